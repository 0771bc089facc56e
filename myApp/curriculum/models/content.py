"""What learners study: levels, modules, lessons, knowledge blocks, and the course catalogue."""

from decimal import Decimal

from django.conf import settings
from django.contrib.postgres.search import SearchVectorField
from django.core.validators import MaxValueValidator, MinValueValidator, RegexValidator
from django.db import models
from django.db.models import Q

from myApp.curriculum.search import StoredSearchVector
from myApp.lib.json_input import JSONDocumentValidator
from myApp.lib.models import TimeStampedModel


def _non_negative(*names: str, prefix: str) -> list[models.CheckConstraint]:
    return [models.CheckConstraint(condition=Q(**{f"{name}__gte": 0}), name=f"{prefix}_{name}_gte_0") for name in names]


def search_vector_field(*weighted_fields: tuple[str, str]) -> models.GeneratedField:
    """A stored ``tsvector`` the database keeps current (NULL off PostgreSQL); see ``curriculum.search``."""
    return models.GeneratedField(
        expression=StoredSearchVector(*weighted_fields), output_field=SearchVectorField(), db_persist=True, null=True
    )


class SearchableManager(models.Manager):
    """Leaves the stored vectors (about 1 KB a knowledge block) out of ordinary reads; only
    ``curriculum.search`` reads them, in its own SQL."""

    def get_queryset(self) -> models.QuerySet:
        return super().get_queryset().defer("search_vector", "search_title")


class Level(TimeStampedModel):
    number = models.PositiveSmallIntegerField(unique=True)
    title = models.CharField(max_length=120)
    description = models.TextField(blank=True, max_length=2000)
    milestone_threshold = models.PositiveSmallIntegerField(
        default=70,
        validators=[MaxValueValidator(100)],
        help_text="Average rubric score (0-100) a milestone needs to pass.",
    )
    milestone_xp_reward = models.PositiveIntegerField(default=100)
    milestone_coin_reward = models.PositiveIntegerField(default=20)

    class Meta:
        ordering = ["number"]
        constraints = [
            models.CheckConstraint(
                condition=Q(milestone_threshold__lte=100), name="curriculum_level_threshold_lte_100"
            ),
            *_non_negative("milestone_xp_reward", "milestone_coin_reward", prefix="curriculum_level"),
        ]

    def __str__(self) -> str:
        return f"Level {self.number}: {self.title}"


class Module(TimeStampedModel):
    class Code(models.TextChoices):
        A = "A", "A"
        B = "B", "B"
        C = "C", "C"
        D = "D", "D"

    level = models.ForeignKey(Level, on_delete=models.CASCADE, related_name="modules")
    code = models.CharField(max_length=1, choices=Code.choices)
    title = models.CharField(max_length=120)
    description = models.TextField(blank=True, max_length=2000)
    order = models.PositiveSmallIntegerField(default=0)
    lesson_video_url = models.URLField(blank=True)
    xp_reward = models.PositiveIntegerField(default=50)
    coin_reward = models.PositiveIntegerField(default=10)
    ticket_reward = models.PositiveIntegerField(default=2, help_text="Tickets granted when the module is completed.")

    class Meta:
        ordering = ["level__number", "order"]
        constraints = [
            models.UniqueConstraint(fields=["level", "code"], name="curriculum_module_code_unique"),
            models.UniqueConstraint(fields=["level", "order"], name="curriculum_module_order_unique"),
            *_non_negative("xp_reward", "coin_reward", "ticket_reward", prefix="curriculum_module"),
        ]

    def __str__(self) -> str:
        return f"{self.level.number}{self.code}: {self.title}"


class Lesson(TimeStampedModel):
    """A lesson is run step by step; ``steps`` declares each step's prompt and answer kind.

    A step is ``{"prompt": str, "kind": "text" | "choice" | "scale", "choices": [str]}``
    (``kind`` defaults to ``text``; ``choices`` only for kind ``choice``; ``scale`` answers are 1-5).
    The shape rules live in ``myApp/curriculum/content_rules.py``.
    """

    module = models.ForeignKey(Module, on_delete=models.CASCADE, related_name="lessons")
    order = models.PositiveSmallIntegerField(default=0)
    title = models.CharField(max_length=160)
    summary = models.TextField(blank=True, max_length=2000)
    steps = models.JSONField(default=list, blank=True, validators=[JSONDocumentValidator(max_bytes=64 * 1024)])
    xp_reward = models.PositiveIntegerField(default=10)

    class Meta:
        ordering = ["module__level__number", "module__order", "order"]
        constraints = [
            models.UniqueConstraint(fields=["module", "order"], name="curriculum_lesson_order_unique"),
            *_non_negative("xp_reward", prefix="curriculum_lesson"),
        ]

    def __str__(self) -> str:
        return f"{self.module.level.number}{self.module.code}.{self.order} {self.title}"


class KnowledgeBlock(TimeStampedModel):
    """A RAG-friendly chunk of teaching content; full-text searched through its stored, GIN-indexed
    vectors on PostgreSQL (``curriculum.search``, migrations 0009 and 0010)."""

    module = models.ForeignKey(Module, on_delete=models.CASCADE, related_name="knowledge_blocks")
    order = models.PositiveSmallIntegerField(default=0)
    title = models.CharField(max_length=200)
    summary = models.TextField(blank=True, max_length=2000)
    body = models.TextField(max_length=20_000)
    tags = models.JSONField(
        default=list, blank=True, validators=[JSONDocumentValidator(max_bytes=16 * 1024, kind=list)]
    )
    exercise_seeds = models.JSONField(
        default=list, blank=True, validators=[JSONDocumentValidator(max_bytes=16 * 1024, kind=list)]
    )
    citations = models.JSONField(
        default=list, blank=True, validators=[JSONDocumentValidator(max_bytes=16 * 1024, kind=list)]
    )
    search_vector = search_vector_field(("title", "A"), ("summary", "B"), ("body", ""))
    search_title = search_vector_field(("title", "A"))

    objects = SearchableManager()

    class Meta:
        ordering = ["module__level__number", "module__order", "order"]
        constraints = [
            models.UniqueConstraint(fields=["module", "order"], name="curriculum_kb_order_unique"),
        ]

    def __str__(self) -> str:
        return self.title


class CourseLevel(models.TextChoices):
    BEGINNER = "Beginner", "Beginner"
    INTERMEDIATE = "Intermediate", "Intermediate"
    ADVANCED = "Advanced", "Advanced"


class Course(TimeStampedModel):
    """A catalogue course (seed 004's ``courses`` table, with ``country``)."""

    title = models.CharField(max_length=200)
    description = models.TextField(blank=True, max_length=2000)
    level = models.CharField(max_length=16, choices=CourseLevel.choices, default=CourseLevel.BEGINNER)
    teacher = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True, related_name="taught_courses"
    )
    course_order = models.PositiveIntegerField(default=0)
    course_number = models.PositiveIntegerField(unique=True)
    country = models.CharField(max_length=64, blank=True, db_index=True)
    file_metadata = models.JSONField(
        default=dict, blank=True, validators=[JSONDocumentValidator(max_bytes=16 * 1024, kind=dict)]
    )
    price = models.DecimalField(max_digits=10, decimal_places=2, default=Decimal("0.00"))
    currency = models.CharField(
        max_length=3,
        default="USD",
        validators=[RegexValidator(r"^[A-Z]{3}\Z", "Three capital letters: an ISO 4217 code such as USD or EUR.")],
        help_text="An ISO 4217 code such as USD or EUR.",
    )
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True, related_name="created_courses"
    )
    search_vector = search_vector_field(("title", "A"), ("description", "B"))
    search_title = search_vector_field(("title", "A"))

    objects = SearchableManager()

    class Meta:
        ordering = ["course_order", "course_number"]
        constraints = [
            models.CheckConstraint(condition=Q(price__gte=0), name="curriculum_course_price_gte_0"),
            models.CheckConstraint(condition=Q(level__in=CourseLevel.values), name="curriculum_course_level_valid"),
            # Purchases copy it and the revenue figures group by it: "=A1" or "usd" made a row of its own.
            models.CheckConstraint(condition=Q(currency__regex=r"^[A-Z]{3}$"), name="curriculum_course_currency_code"),
        ]
        indexes = [models.Index(fields=["level", "country"], name="curr_course_level_country")]

    def __str__(self) -> str:
        return f"{self.course_number} {self.title}"

    @property
    def is_free(self) -> bool:
        return self.price == 0


class Enrollment(models.Model):
    user = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="enrollments")
    course = models.ForeignKey(Course, on_delete=models.CASCADE, related_name="enrollments")
    is_paid = models.BooleanField(default=False)
    enrolled_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["-enrolled_at"]
        constraints = [models.UniqueConstraint(fields=["user", "course"], name="curriculum_enrollment_unique")]
        indexes = [
            # The staff dashboard's enrolments and paid enrolments per course (seed 004): counted from this index
            # alone. One (course, enrolled_at) INCLUDE (is_paid) serving the page's ranges too made this count
            # slower (47 against 30 ms at 100k enrolments: paid ones were filtered, not sought).
            models.Index(fields=["course", "is_paid"], name="curriculum_enrollment_course"),
            # The dashboard page's enrolments within a range of days.
            models.Index(fields=["enrolled_at"], name="curriculum_enrollment_time"),
        ]

    def __str__(self) -> str:
        return f"{self.user} in {self.course}"


class Purchase(models.Model):
    user = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="purchases")
    course = models.ForeignKey(Course, on_delete=models.PROTECT, related_name="purchases")
    amount = models.DecimalField(max_digits=10, decimal_places=2, validators=[MinValueValidator(Decimal("0"))])
    currency = models.CharField(max_length=3)
    created_at = models.DateTimeField(auto_now_add=True, db_index=True)

    class Meta:
        ordering = ["-created_at"]
        constraints = [
            models.UniqueConstraint(fields=["user", "course"], name="curriculum_purchase_once_per_course"),
            models.CheckConstraint(condition=Q(amount__gte=0), name="curriculum_purchase_amount_gte_0"),
        ]

    def __str__(self) -> str:
        return f"{self.user} bought {self.course} for {self.amount} {self.currency}"
