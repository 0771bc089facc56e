"""Staff writes to teaching content: levels, modules, lessons and knowledge blocks.

One path for the content API and the admin, so both apply the same rules: only staff write; the
model's own checks (bounds, unique orders); the content rules for lesson steps (``content_rules``:
checked whenever a lesson is made or its steps change, then stored with each step's default kind
written out); and a concurrent write that took the same order answered as a conflict, not a 500.
"""

from typing import Any

from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction

from myApp.accounts.models import User
from myApp.curriculum.content_rules import lesson_steps_errors, normalized_steps
from myApp.curriculum.models import KnowledgeBlock, Lesson, Level, Module
from myApp.lib.exceptions import Conflict, NotAllowed, ServiceError

ContentModel = Level | Module | Lesson | KnowledgeBlock
CONTENT_MODELS: tuple[type[ContentModel], ...] = (Level, Module, Lesson, KnowledgeBlock)


def _check_staff(by: User) -> None:
    if not by.is_staff:
        raise NotAllowed("Only staff manage teaching content.")


def _apply_content_rules(instance: ContentModel, fields: dict[str, Any]) -> None:
    if isinstance(instance, Lesson) and ("steps" in fields or instance.pk is None):
        errors = lesson_steps_errors(instance.steps)
        if errors:
            raise ServiceError("Invalid lesson steps.", errors={"steps": errors})
        instance.steps = normalized_steps(instance.steps)


def _save(instance: ContentModel, *, update_fields: list[str] | None = None) -> None:
    label = instance._meta.verbose_name
    try:
        instance.full_clean()
    except ValidationError as error:
        raise ServiceError(f"Invalid {label}.", errors=error.message_dict) from None
    try:
        with transaction.atomic():
            instance.save(update_fields=update_fields)
    except IntegrityError:  # a concurrent write took the same number or order between the check and the save
        raise Conflict(f"Another {label} was saved with the same position; reload and try again.") from None


def content_create(*, model: type[ContentModel], by: User, **fields: Any) -> ContentModel:
    """Create a level, module, lesson or knowledge block from its field values."""
    _check_staff(by)
    if model not in CONTENT_MODELS:
        raise TypeError(f"{model.__name__} is not teaching content")
    instance = model(**fields)
    _apply_content_rules(instance, fields)
    _save(instance)
    return instance


def content_update(*, instance: ContentModel, by: User, **fields: Any) -> ContentModel:
    """Change the given fields of a level, module, lesson or knowledge block."""
    _check_staff(by)
    if not fields:
        return instance
    for name, value in fields.items():
        setattr(instance, name, value)
    _apply_content_rules(instance, fields)
    _save(instance, update_fields=[*fields, "updated_at"])
    return instance


def content_delete(*, instance: ContentModel, by: User) -> None:
    """Delete a piece of content with everything under it (a level's modules, a module's lessons)."""
    _check_staff(by)
    instance.delete()
