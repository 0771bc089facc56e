"""Admin for what learners study (levels, modules, lessons, knowledge blocks) and the catalogue."""

from django.contrib import admin, messages
from django.db.models import Count, QuerySet
from django.http import HttpRequest

from myApp.accounts.models import User
from myApp.curriculum import selectors, services
from myApp.curriculum.admin.base import (
    CheapChoicesMixin,
    ContentAdmin,
    LearnerActionForm,
    LearnerStateAdmin,
    TeachingContentAdmin,
)
from myApp.curriculum.admin.forms import LessonAdminForm
from myApp.curriculum.models import Course, Enrollment, KnowledgeBlock, Lesson, Level, Module, Purchase
from myApp.curriculum.services.courses import COURSE_EDITABLE_FIELDS
from myApp.lib.admin import BoundedJSONMixin


class ModuleInline(BoundedJSONMixin, admin.TabularInline):
    model = Module
    fields = ["code", "title", "order", "xp_reward", "coin_reward", "ticket_reward"]
    extra = 0
    show_change_link = True


@admin.register(Level)
class LevelAdmin(TeachingContentAdmin):
    list_display = ["number", "title", "milestone_threshold", "milestone_xp_reward", "module_count"]
    search_fields = ["title", "description"]
    list_filter = ["milestone_threshold"]
    inlines = [ModuleInline]

    def get_queryset(self, request: HttpRequest) -> QuerySet[Level]:
        return super().get_queryset(request).annotate(module_count=Count("modules"))

    @admin.display(description="modules", ordering="module_count")
    def module_count(self, level: Level) -> int:
        return level.module_count


class LessonInline(BoundedJSONMixin, CheapChoicesMixin, admin.TabularInline):
    model = Lesson
    form = LessonAdminForm
    fields = ["order", "title", "xp_reward", "steps"]
    extra = 0
    show_change_link = True


@admin.register(Module)
class ModuleAdmin(TeachingContentAdmin):
    list_display = ["title", "level", "code", "order", "lesson_count", "xp_reward", "coin_reward", "ticket_reward"]
    list_select_related = ["level"]
    list_filter = ["level", "code"]
    search_fields = ["title", "description"]
    inlines = [LessonInline]
    action_form = LearnerActionForm
    actions = ["unlock_for_learner"]

    def get_queryset(self, request: HttpRequest) -> QuerySet[Module]:
        return super().get_queryset(request).annotate(lesson_count=Count("lessons"))

    @admin.display(description="lessons", ordering="lesson_count")
    def lesson_count(self, module: Module) -> int:
        return module.lesson_count

    @admin.action(
        description="Unlock the selected modules (and their venues) for the learner typed beside the action",
        permissions=["change"],
    )
    def unlock_for_learner(self, request: HttpRequest, queryset: QuerySet[Module]) -> None:
        username = (request.POST.get("learner") or "").strip()
        learner = User.objects.filter(username__iexact=username).first() if username else None
        if learner is None:
            self.message_user(request, "Type the username of an existing learner beside the action.", messages.ERROR)
            return
        modules = list(queryset.select_related("level"))
        for module in modules:
            services.module_unlock(user=learner, module=module)
        self.message_user(request, f"Unlocked {len(modules)} module(s) for {learner.username}.", messages.SUCCESS)


@admin.register(Lesson)
class LessonAdmin(TeachingContentAdmin):
    form = LessonAdminForm
    list_display = ["title", "module", "order", "step_count", "xp_reward"]
    list_select_related = ["module__level"]
    list_filter = ["module__level", "module__code"]
    search_fields = ["title", "summary", "module__title"]

    @admin.display(description="steps")
    def step_count(self, lesson: Lesson) -> int:
        return len(lesson.steps) if isinstance(lesson.steps, list) else 0


@admin.register(KnowledgeBlock)
class KnowledgeBlockAdmin(TeachingContentAdmin):
    list_display = ["title", "module", "order", "tag_list"]
    list_select_related = ["module__level"]
    list_filter = ["module__level", "module__code"]
    search_fields = ["title", "summary", "body"]

    @admin.display(description="tags")
    def tag_list(self, block: KnowledgeBlock) -> str:
        return ", ".join(str(tag) for tag in block.tags) if isinstance(block.tags, list) else ""


@admin.register(Course)
class CourseAdmin(ContentAdmin):
    list_display = ["course_number", "title", "level", "country", "price", "currency", "teacher", "enrollment_count"]
    list_display_links = ["course_number", "title"]
    list_select_related = ["teacher"]
    list_filter = ["level", "country", "currency"]
    search_fields = ["title", "description", "country", "teacher__username"]
    raw_id_fields = ["teacher"]
    readonly_fields = ["created_by", "created_at", "updated_at"]

    def get_queryset(self, request: HttpRequest) -> QuerySet[Course]:
        return super().get_queryset(request).annotate(enrollment_count=Count("enrollments"))

    @admin.display(description="enrollments", ordering="enrollment_count")
    def enrollment_count(self, course: Course) -> int:
        return course.enrollment_count

    def formfield_for_foreignkey(self, db_field, request: HttpRequest, **kwargs):
        if db_field.name == "teacher":  # the form refuses whom course_create/course_update would
            kwargs["queryset"] = selectors.course_teachers()
        return super().formfield_for_foreignkey(db_field, request, **kwargs)

    def save_model(self, request: HttpRequest, obj: Course, form, change: bool) -> None:
        """Save through the catalogue services, which record who made the course and log the change."""
        fields = {name: form.cleaned_data[name] for name in COURSE_EDITABLE_FIELDS if name in form.cleaned_data}
        if change:
            changed = {name: value for name, value in fields.items() if name in form.changed_data}
            if "teacher" in form.changed_data:
                changed["teacher"] = form.cleaned_data["teacher"]
            services.course_update(by=request.user, course=obj, **changed)
            return
        course = services.course_create(by=request.user, teacher=form.cleaned_data.get("teacher"), **fields)
        obj.pk = course.pk  # the admin goes on to log and redirect with the form's instance
        obj.refresh_from_db()


@admin.register(Enrollment)
class EnrollmentAdmin(LearnerStateAdmin):
    list_display = ["user", "course", "is_paid", "enrolled_at"]
    list_select_related = ["user", "course"]
    list_filter = ["is_paid", "course__level", "course__country"]
    search_fields = ["user__username", "course__title"]
    raw_id_fields = ["user", "course"]
    readonly_fields = ["enrolled_at"]


@admin.register(Purchase)
class PurchaseAdmin(LearnerStateAdmin):
    list_display = ["user", "course", "amount", "currency", "created_at"]
    list_select_related = ["user", "course"]
    list_filter = ["currency"]
    search_fields = ["user__username", "course__title"]
    raw_id_fields = ["user", "course"]
    readonly_fields = ["created_at"]
