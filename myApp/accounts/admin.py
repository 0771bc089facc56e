from axes.models import AccessFailureLog, AccessLog
from django.contrib import admin, messages
from django.contrib.auth.admin import UserAdmin as DjangoUserAdmin
from django.db.models import QuerySet
from django.http import HttpRequest, HttpResponseRedirect
from django.template.defaultfilters import pluralize
from django.template.response import TemplateResponse
from django.urls import reverse
from knox.models import AuthToken

from myApp.accounts import services
from myApp.accounts.models import (
    PERSONA_FIELDS,
    AccessRecord,
    ChildPrivacySettings,
    DeviceToken,
    ErasureRecord,
    PairingCode,
    Profile,
    User,
)
from myApp.curriculum import economy
from myApp.curriculum import services as curriculum_services
from myApp.lib.admin import BoundedJSONMixin, HiddenFieldsMixin, ReadOnlyInline, ServiceStateAdmin
from myApp.lib.exceptions import ServiceError

# The only device fields staff see: never the digest or the key prefix.
DEVICE_FIELDS = ["name", "created", "last_used_at", "expiry"]


class ProfileInline(BoundedJSONMixin, admin.StackedInline):
    model = Profile
    can_delete = False
    fk_name = "user"
    # The economy changes only through services (atomic F() updates), never by hand-edit.
    readonly_fields = ["xp", "coins", "tickets", "ab_variant", "created_at", "updated_at"]
    fieldsets = [
        ("Persona", {"fields": [*PERSONA_FIELDS, "onboarding_completed"]}),
        ("Mode, family and time zone", {"fields": ["mode", "parent_name", "time_zone"]}),
        ("Economy", {"fields": ["xp", "coins", "tickets", "ab_variant"]}),
        ("Audit", {"fields": ["created_at", "updated_at"]}),
    ]


class DeviceTokenInline(ReadOnlyInline):
    """The user's signed-in API devices; "view" opens the device, where staff can revoke it."""

    model = DeviceToken
    fk_name = "user"
    # The row's label is already the device's name (a tabular inline prints it above the fields).
    fields = [field for field in DEVICE_FIELDS if field != "name"]
    max_num = 0
    verbose_name_plural = "API devices (signed in)"


@admin.register(User)
class UserAdmin(HiddenFieldsMixin, DjangoUserAdmin):
    hidden_fields = ("digest", "token_key", "password")
    inlines = [ProfileInline, DeviceTokenInline]
    list_display = ["username", "email", "role", "is_staff", "is_active", "date_joined"]
    list_filter = ["role", "is_staff", "is_active", "profile__mode", "profile__onboarding_completed"]
    search_fields = ["username", "email", "first_name", "last_name"]
    list_select_related = ["profile"]
    readonly_fields = ["last_login", "date_joined"]
    fieldsets = [*DjangoUserAdmin.fieldsets, ("Platform", {"fields": ["role"]})]
    add_fieldsets = [*DjangoUserAdmin.add_fieldsets, ("Platform", {"fields": ["email", "role"]})]
    actions = ["grant_tickets", "revoke_api_tokens", "erase_accounts"]

    def get_inlines(self, request: HttpRequest, obj: User | None):
        # A user being added has no devices yet (and the add form then posts no device formset).
        return [ProfileInline] if obj is None else self.inlines

    # An account is erased (``services.account_erase``), never deleted: a deletion cascades into rows other people
    # need (a clinician's client record, quests others play, purchases the revenue counts) and keeps nothing of
    # the audit. The admin's own delete (the button and the "delete selected" action) leads to the erasure.
    def get_actions(self, request: HttpRequest) -> dict:
        actions = super().get_actions(request)
        actions.pop("delete_selected", None)
        return actions

    def delete_view(self, request: HttpRequest, object_id: str, extra_context=None) -> HttpResponseRedirect:
        self.message_user(
            request,
            'Accounts are erased, not deleted: tick the account and choose "Erase the selected accounts". '
            "Erasure removes the person's data and keeps what other people's records need.",
            messages.WARNING,
        )
        return HttpResponseRedirect(reverse("admin:accounts_user_changelist"))

    def save_formset(self, request: HttpRequest, form, formset, change: bool) -> None:
        """The profile inline's changes go through ``profile_staff_update``: only the fields staff changed are
        written (the whole row, as read when the form was sent, would put back a balance that changed meanwhile)
        and a new time zone is recorded as a change. A new user's profile is saved whole."""
        if formset.model is not Profile or any(not profile_form.instance.pk for profile_form in formset.forms):
            super().save_formset(request, form, formset, change)
            return
        # What ``formset.save()`` would record, for the admin's change message and history.
        formset.new_objects, formset.deleted_objects, formset.changed_objects = [], [], []
        for profile_form in formset.forms:
            if not profile_form.changed_data:
                continue
            profile = services.profile_staff_update(
                user=form.instance,
                profile_data={name: profile_form.cleaned_data[name] for name in profile_form.changed_data},
            )
            formset.changed_objects.append((profile, profile_form.changed_data))

    def save_related(self, request: HttpRequest, form, formsets, change: bool) -> None:
        # The profile inline saves first when staff filled it in; otherwise make an empty one.
        super().save_related(request, form, formsets, change)
        services.profile_assign_ab_variant(profile=services.profile_ensure(user=form.instance))

    @admin.action(description=f"Grant {economy.STAFF_TICKET_GRANT} tickets to the selected users")
    def grant_tickets(self, request: HttpRequest, queryset: QuerySet[User]) -> None:
        granted = curriculum_services.tickets_grant(learners=queryset.order_by("pk"), by=request.user)
        self.message_user(
            request, f"Granted {economy.STAFF_TICKET_GRANT} tickets to {granted} user(s).", messages.SUCCESS
        )

    @admin.action(description="Log the selected users out of every API device")
    def revoke_api_tokens(self, request: HttpRequest, queryset: QuerySet[User]) -> None:
        revoked = sum(services.device_tokens_revoke_all(user=user) for user in queryset)
        self.message_user(request, f"Revoked {revoked} API device(s) of {queryset.count()} user(s).", messages.SUCCESS)

    @admin.action(description="Erase the selected accounts (asks for confirmation)", permissions=["delete"])
    def erase_accounts(self, request: HttpRequest, queryset: QuerySet[User]) -> TemplateResponse | None:
        """Data-rights erasure by staff: a confirmation page first, then ``services.account_erase`` per account."""
        users = list(queryset.order_by("pk"))
        if request.POST.get("confirm") != "yes":
            context = {
                **self.admin_site.each_context(request),
                "title": "Erase accounts",
                "users": users,
                "opts": self.model._meta,
                "action_checkbox_name": admin.helpers.ACTION_CHECKBOX_NAME,
            }
            return TemplateResponse(request, "admin/accounts/user/erase_confirmation.html", context)
        erased = 0
        for user in users:
            if user.pk == request.user.pk:
                self.message_user(
                    request,
                    "Your own account is not erased from here: use “Erase my account” on your home page, which asks "
                    "for your password.",
                    messages.WARNING,
                )
                continue
            try:
                services.account_erase(user=user, by=request.user)
            except ServiceError as error:
                self.message_user(request, f"{user}: {error.detail}", messages.ERROR)
            else:
                erased += 1
        if erased:
            self.message_user(request, f"Erased {erased} account{pluralize(erased)}.", messages.SUCCESS)
        return None


@admin.register(ChildPrivacySettings)
class ChildPrivacySettingsAdmin(admin.ModelAdmin):
    list_display = ["parent", "child", "share_quest_progress", "consent_granted_at", "consent_revoked_at"]
    list_filter = ["share_quest_progress"]
    search_fields = ["parent__username", "child__username"]
    list_select_related = ["parent", "child"]
    # A link is made only by the parent redeeming the child's pairing code (or creating the child's
    # account), and consent is the child's to give: staff see both here and never add, re-point or
    # grant one. Revoking goes through the service (the action below).
    readonly_fields = [
        "parent",
        "child",
        "share_quest_progress",
        "consent_granted_at",
        "consent_revoked_at",
        "consent_changed_by",
        "created_at",
        "updated_at",
    ]
    actions = ["revoke_consent"]

    def has_add_permission(self, request: HttpRequest) -> bool:
        return False

    @admin.action(description="Revoke consent for the selected links")
    def revoke_consent(self, request: HttpRequest, queryset: QuerySet[ChildPrivacySettings]) -> None:
        for link in queryset:
            services.child_consent_set(link=link, by=request.user, share=False)
        self.message_user(request, f"Revoked consent on {queryset.count()} link(s).", messages.SUCCESS)


@admin.register(DeviceToken)
class DeviceTokenAdmin(HiddenFieldsMixin, ServiceStateAdmin):
    """Signed-in API devices. The row id is the only handle (URLs included); revoking or deleting
    a device logs it out through the service."""

    hidden_fields = ("digest", "token_key")
    list_display = ["name", "user", "created", "last_used_at", "expiry"]
    list_filter = ["created", "expiry"]
    search_fields = ["user__username", "name"]
    list_select_related = ["user"]
    fields = ["user", *DEVICE_FIELDS]
    readonly_fields = fields
    actions = ["revoke_devices"]

    @admin.action(description="Revoke (log out) the selected devices", permissions=["operate"])
    def revoke_devices(self, request: HttpRequest, queryset: QuerySet[DeviceToken]) -> None:
        devices = list(queryset)
        for device in devices:
            services.device_token_revoke(device=device)
        self.message_user(request, f"Revoked {len(devices)} device(s).", messages.SUCCESS)

    def delete_model(self, request: HttpRequest, obj: DeviceToken) -> None:
        services.device_token_revoke(device=obj)

    def delete_queryset(self, request: HttpRequest, queryset: QuerySet[DeviceToken]) -> None:
        for device in queryset:
            services.device_token_revoke(device=device)


@admin.register(PairingCode)
class PairingCodeAdmin(HiddenFieldsMixin, ServiceStateAdmin):
    """Pairing codes children made, without the code: only its keyed hash is stored, and not shown."""

    hidden_fields = ("digest",)
    list_display = ["id", "child", "state", "created_at", "expires_at", "used_at", "used_by"]
    list_filter = ["created_at", "expires_at"]
    search_fields = ["child__username", "used_by__username"]
    list_select_related = ["child", "used_by"]
    fields = ["child", "state", "created_at", "expires_at", "used_at", "used_by"]
    readonly_fields = fields


@admin.register(AccessRecord)
class AccessRecordAdmin(ServiceStateAdmin):
    """The audit log of looks at someone else's data (a parent at a consenting child's report, staff at a
    learner's): read-only, append-only, never deleted from here."""

    list_display = ["created_at", "viewer_username", "subject_username", "what", "through", "where"]
    list_filter = ["through", "what", "created_at"]
    search_fields = ["viewer_username", "subject_username", "where"]
    raw_id_fields = ["viewer", "subject"]
    date_hierarchy = "created_at"
    fields = ["created_at", "viewer", "viewer_username", "subject", "subject_username", "what", "through", "where"]
    readonly_fields = fields

    def has_delete_permission(self, request: HttpRequest, obj=None) -> bool:
        return False


# Knox's token admin lists digests and key prefixes, and axes' access and failure logs are
# switched off (AXES_DISABLE_ACCESS_LOG): none of them belongs in the admin. Axes' access
# attempts stay, so staff can see lockouts and clear one by deleting its row.
for _model in (AuthToken, AccessLog, AccessFailureLog):
    if admin.site.is_registered(_model):
        admin.site.unregister(_model)


@admin.register(ErasureRecord)
class ErasureRecordAdmin(ServiceStateAdmin):
    """Who erased which account and when (ids and counts only): read-only, never deleted from here."""

    list_display = ["created_at", "erased_user_id", "erased_by", "by_staff"]
    list_filter = ["by_staff", "created_at"]
    search_fields = ["=erased_user_id", "erased_by__username"]
    list_select_related = ["erased_by"]
    raw_id_fields = ["erased_by"]
    fields = ["created_at", "erased_user_id", "erased_by", "by_staff", "rows"]
    readonly_fields = fields

    def has_delete_permission(self, request: HttpRequest, obj=None) -> bool:
        return False
