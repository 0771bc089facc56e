import functools
import zoneinfo

from django.contrib.auth.models import AbstractUser, UserManager
from django.core.exceptions import ValidationError
from django.core.validators import MaxValueValidator, MinValueValidator
from django.db import models
from django.db.models import F, Q
from django.db.models.functions import Lower
from django.utils import timezone
from knox.models import AbstractAuthToken
from knox.settings import CONSTANTS as KNOX

from myApp.lib.models import TimeStampedModel


class Role(models.TextChoices):
    LEARNER = "learner", "Learner"
    PARENT = "parent", "Parent"
    TEACHER = "teacher", "Teacher"
    PSYCHOLOGIST = "psychologist", "Psychologist"
    STAFF = "staff", "Staff"


# Roles a person may pick when signing up; the others are granted by staff.
SELF_SERVICE_ROLES = (Role.LEARNER, Role.PARENT)


class AccountManager(UserManager):
    """Routes ``createsuperuser`` and friends through the service, so every user has a profile."""

    def create_user(self, username, email=None, password=None, **extra_fields):
        from myApp.accounts.services import user_create

        return user_create(username=username, email=email or "", password=password, **extra_fields)

    def create_superuser(self, username, email=None, password=None, **extra_fields):
        from myApp.accounts.services import user_create

        extra_fields.update(is_staff=True, is_superuser=True)
        extra_fields.setdefault("role", Role.STAFF)
        return user_create(username=username, email=email or "", password=password, **extra_fields)


class User(AbstractUser):
    role = models.CharField(max_length=16, choices=Role.choices, default=Role.LEARNER, db_index=True)

    objects = AccountManager()

    class Meta:
        constraints = [
            models.CheckConstraint(condition=Q(role__in=Role.values), name="accounts_user_role_valid"),
            # "Admin" and "admin" are one name to people: sign-up refuses it, and the database holds it.
            models.UniqueConstraint(
                Lower("username"),
                name="accounts_user_username_ci_unique",
                violation_error_message="A user with that username already exists (usernames ignore case).",
            ),
        ]
        # The staff dashboard's newest users (ORDER BY date_joined DESC, id DESC LIMIT 10): read from the index's
        # end instead of sorting every user.
        indexes = [models.Index(fields=["-date_joined", "-id"], name="accounts_user_joined_recent")]

    def __str__(self) -> str:
        return self.username


class Mode(models.TextChoices):
    EDUCATIONAL = "educational", "Educational"
    THERAPEUTIC = "therapeutic", "Therapeutic"


class ABVariant(models.TextChoices):
    UNASSIGNED = "", "Unassigned"
    A = "A", "A"
    B = "B", "B"


# What a learner tells us about themselves at onboarding (seed 002's persona).
PERSONA_FIELDS = (
    "role",
    "main_goal",
    "audience",
    "comfort_one_on_one",
    "comfort_small_group",
    "comfort_large_audience",
)
# Everything on the profile its owner may change; the economy is not among them.
PROFILE_EDITABLE_FIELDS = (*PERSONA_FIELDS, "mode", "parent_name", "time_zone")
DEFAULT_TIME_ZONE = "UTC"


@functools.cache
def time_zone_names() -> frozenset[str]:
    """The IANA zone names this machine knows."""
    return frozenset(zoneinfo.available_timezones())


def validate_time_zone(value: str) -> None:
    if value not in time_zone_names():
        raise ValidationError(
            "%(value)s is not a known time zone; use a name like Europe/Berlin or America/New_York.",
            code="invalid_time_zone",
            params={"value": value},
        )


_comfort = dict(
    null=True,
    blank=True,
    validators=[MinValueValidator(1), MaxValueValidator(5)],
    help_text="1 (very uncomfortable) to 5 (at ease).",
)


class Profile(TimeStampedModel):
    """Persona, onboarding and economy (seed 002's UserProfile).

    Which districts a learner has fully open is derived from module progress
    (``curriculum.selectors.district_full_access``), not stored here.
    """

    user = models.OneToOneField(User, on_delete=models.CASCADE, related_name="profile")

    # Persona (filled by onboarding). ``role`` is the persona the learner describes
    # ("student", "team lead"), not the account role on ``User``.
    role = models.CharField("persona", max_length=200, blank=True)
    main_goal = models.CharField(max_length=200, blank=True)
    audience = models.CharField(max_length=200, blank=True, help_text="Who the learner usually speaks to.")
    comfort_one_on_one = models.PositiveSmallIntegerField(**_comfort)
    comfort_small_group = models.PositiveSmallIntegerField(**_comfort)
    comfort_large_audience = models.PositiveSmallIntegerField(**_comfort)
    onboarding_completed = models.BooleanField(default=False)

    ab_variant = models.CharField(max_length=1, choices=ABVariant.choices, blank=True, default=ABVariant.UNASSIGNED)
    mode = models.CharField(max_length=16, choices=Mode.choices, default=Mode.EDUCATIONAL)
    parent_name = models.CharField(max_length=150, blank=True)
    time_zone = models.CharField(
        max_length=64,
        default=DEFAULT_TIME_ZONE,
        validators=[validate_time_zone],
        help_text="Where the learner lives (an IANA name): their days, daily quests and streak follow it.",
    )
    # The last change of ``time_zone`` (written by ``services.profile_update``): it takes effect from the
    # learner's next day (the rule is ``quests.daily_rules.LearnerZone``).
    previous_time_zone = models.CharField(max_length=64, blank=True, editable=False)
    time_zone_changed_at = models.DateTimeField(null=True, blank=True, editable=False)
    time_zone_changed_on = models.DateField(
        null=True, blank=True, editable=False, help_text="The learner's day when they changed their time zone."
    )

    # Economy: changed only through services.profile_adjust_balance (F() updates).
    xp = models.IntegerField(default=0)
    coins = models.IntegerField(default=0)
    tickets = models.IntegerField(default=0)

    class Meta:
        constraints = [
            models.CheckConstraint(condition=Q(xp__gte=0), name="accounts_profile_xp_non_negative"),
            models.CheckConstraint(condition=Q(coins__gte=0), name="accounts_profile_coins_non_negative"),
            models.CheckConstraint(condition=Q(tickets__gte=0), name="accounts_profile_tickets_non_negative"),
            models.CheckConstraint(condition=Q(mode__in=Mode.values), name="accounts_profile_mode_valid"),
            models.CheckConstraint(condition=Q(ab_variant__in=ABVariant.values), name="accounts_profile_ab_valid"),
            models.CheckConstraint(
                condition=Q(previous_time_zone="", time_zone_changed_at__isnull=True, time_zone_changed_on__isnull=True)
                | (
                    ~Q(previous_time_zone="")
                    & Q(time_zone_changed_at__isnull=False, time_zone_changed_on__isnull=False)
                ),
                name="accounts_profile_time_zone_change_complete",
            ),
            *(
                models.CheckConstraint(
                    condition=Q(**{f"{name}__isnull": True}) | Q(**{f"{name}__gte": 1, f"{name}__lte": 5}),
                    name=f"accounts_profile_{name}_range",
                )
                for name in ("comfort_one_on_one", "comfort_small_group", "comfort_large_audience")
            ),
        ]

    def __str__(self) -> str:
        return f"Profile of {self.user}"


class ChildPrivacySettings(TimeStampedModel):
    """A parent-child link and the child's consent to share quest progress with that parent."""

    parent = models.ForeignKey(User, on_delete=models.CASCADE, related_name="child_links")
    child = models.ForeignKey(User, on_delete=models.CASCADE, related_name="parent_links")
    share_quest_progress = models.BooleanField(default=False)
    consent_granted_at = models.DateTimeField(null=True, blank=True)
    consent_revoked_at = models.DateTimeField(null=True, blank=True)
    consent_changed_by = models.ForeignKey(User, on_delete=models.SET_NULL, null=True, blank=True, related_name="+")

    class Meta:
        verbose_name = "child privacy settings"
        verbose_name_plural = "child privacy settings"
        constraints = [
            models.UniqueConstraint(fields=["parent", "child"], name="accounts_child_link_unique"),
            models.CheckConstraint(condition=~Q(parent=F("child")), name="accounts_child_link_not_self"),
            # Sharing is on exactly when consent was granted more recently than revoked.
            models.CheckConstraint(
                condition=Q(share_quest_progress=False) | Q(consent_granted_at__isnull=False),
                name="accounts_child_link_sharing_needs_consent",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.parent} → {self.child}"


class DeviceToken(AbstractAuthToken):
    """One API sign-in (a phone, a tablet, a script), as django-rest-knox stores it: a SHA-512
    digest of the key and the key's first characters for lookup, never the key itself.

    ``id`` is the only public handle (API URLs, the admin); the digest and key prefix never
    leave the server. Every device expires; use slides the expiry forward up to a hard cap.
    """

    id = models.BigAutoField(primary_key=True)
    digest = models.CharField(max_length=KNOX.DIGEST_LENGTH, unique=True)
    expiry = models.DateTimeField(db_index=True)
    name = models.CharField(
        max_length=100, help_text="What the person recognises: sent by the app or read from its User-Agent."
    )
    last_used_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        verbose_name = "API device"
        verbose_name_plural = "API devices"
        ordering = ["-created", "-id"]

    def __str__(self) -> str:
        return self.name


class PairingCodeState(models.TextChoices):
    OPEN = "open", "Open"
    USED = "used", "Used"
    EXPIRED = "expired", "Expired"


class PairingCode(TimeStampedModel):
    """A one-use code a child makes so that a parent can link to them.

    Only a keyed hash of the code is stored; the code itself is shown once, to the child.
    A child has at most one open (unused) code: a new one replaces it.
    """

    child = models.ForeignKey(User, on_delete=models.CASCADE, related_name="pairing_codes")
    digest = models.CharField(max_length=64, unique=True)
    expires_at = models.DateTimeField()
    used_at = models.DateTimeField(null=True, blank=True)
    used_by = models.ForeignKey(User, on_delete=models.SET_NULL, null=True, blank=True, related_name="+")

    class Meta:
        ordering = ["-created_at", "-pk"]
        constraints = [
            models.UniqueConstraint(
                fields=["child"], condition=Q(used_at__isnull=True), name="accounts_pairing_code_one_open_per_child"
            ),
            models.CheckConstraint(condition=Q(expires_at__gt=F("created_at")), name="accounts_pairing_code_expires"),
        ]

    def __str__(self) -> str:
        return f"Pairing code #{self.pk} ({self.state})"

    @property
    def state(self) -> str:
        if self.used_at is not None:
            return PairingCodeState.USED
        return PairingCodeState.EXPIRED if self.expires_at <= timezone.now() else PairingCodeState.OPEN


class AccessRecordQuerySet(models.QuerySet):
    """The audit log only grows: no bulk update or delete through the ORM (PostgreSQL refuses them too,
    with a trigger, see migration ``accounts_access_records``)."""

    def update(self, **kwargs):
        raise TypeError("Access records are append-only.")

    def delete(self):
        raise TypeError("Access records are append-only.")

    def pseudonymise(self, *, user_id: int, username: str) -> int:
        """The one change the audit log allows (erasure): an erased person's copied username becomes their
        pseudonym, in the rows that name them. PostgreSQL's trigger refuses any other change."""
        viewer = models.QuerySet.update(self.filter(viewer_id=user_id), viewer_username=username)
        subject = models.QuerySet.update(self.filter(subject_id=user_id), subject_username=username)
        return viewer + subject


class AccessRecord(models.Model):
    """One look at someone else's data: who, whose, what, through which relationship, where and when.

    Written only by ``myApp.lib.access`` (through ``services.access_record_create``); append-only. The
    people are kept by id without a foreign-key constraint, with their usernames as they were, so the
    record outlives a renamed or deleted account.
    """

    viewer = models.ForeignKey(
        User,
        on_delete=models.DO_NOTHING,
        db_constraint=False,
        db_index=False,  # the composite index below leads with it
        null=True,
        related_name="+",
        help_text="Who looked.",
    )
    viewer_username = models.CharField(max_length=150)
    subject = models.ForeignKey(
        User,
        on_delete=models.DO_NOTHING,
        db_constraint=False,
        db_index=False,
        null=True,
        related_name="+",
        help_text="Whose data.",
    )
    subject_username = models.CharField(max_length=150)
    what = models.CharField(max_length=64, help_text="The kind of data, e.g. wellbeing_report.")
    through = models.CharField(
        max_length=64, help_text="The relationship that allowed it (e.g. parent_with_consent), or staff_operations."
    )
    where = models.CharField(max_length=300, blank=True, help_text="The page or endpoint.")
    created_at = models.DateTimeField(default=timezone.now, db_index=True)

    objects = AccessRecordQuerySet.as_manager()

    class Meta:
        ordering = ["-created_at", "-pk"]
        indexes = [
            models.Index(fields=["subject", "created_at"], name="accounts_access_subject_idx"),
            models.Index(fields=["viewer", "created_at"], name="accounts_access_viewer_idx"),
        ]
        constraints = [
            models.CheckConstraint(condition=~Q(viewer=F("subject")), name="accounts_access_record_not_own"),
        ]

    def __str__(self) -> str:
        return f"{self.viewer_username} saw {self.subject_username}'s {self.what} ({self.through})"

    def save(self, *args, **kwargs):
        if not self._state.adding:
            raise TypeError("Access records are append-only.")
        super().save(*args, **kwargs)

    def delete(self, *args, **kwargs):
        raise TypeError("Access records are append-only.")


class ErasureRecord(models.Model):
    """That an account was erased, by whom and when: the audit of erasure, with ids and counts only.

    ``erased_user_id`` is a plain id (the account row stays, anonymised); ``erased_by`` is the person who asked
    (the user themself, or a staff member). ``rows`` counts what each rule did, per model and action.
    """

    erased_user_id = models.BigIntegerField(db_index=True)
    erased_by = models.ForeignKey(User, on_delete=models.SET_NULL, null=True, related_name="+")
    by_staff = models.BooleanField(default=False)
    rows = models.JSONField(default=dict, blank=True)
    created_at = models.DateTimeField(default=timezone.now, db_index=True)

    class Meta:
        ordering = ["-created_at", "-pk"]

    def __str__(self) -> str:
        return f"Account #{self.erased_user_id} erased"
