"""Guided wellbeing modules inside a conversation (seed 000).

Updates to ``metadata.module_status`` happen under a row lock on the
conversation, so completions of different modules sent at the same moment are
all kept; each completion is also appended to ``ModuleCompletion`` for history.
"""

from typing import Any

from django.db import transaction
from django.utils import timezone

from myApp.accounts.models import User
from myApp.analytics import events
from myApp.analytics.services import track
from myApp.lib import access, json_input
from myApp.lib.exceptions import ServiceError, field_errors
from myApp.lib.timestamps import format_timestamp, now_timestamp
from myApp.quests.daily_rules import DailyQuestType
from myApp.quests.services import daily as daily_quests
from myApp.sessions.models import Conversation, ModuleCompletion, WellbeingModule
from myApp.sessions.services.clinical.risk import self_check_screen
from myApp.sessions.wellbeing import SCHEMAS


def validate_module_id(module_id: str) -> str:
    if module_id not in WellbeingModule.values:
        raise ServiceError(
            "Invalid module_id", errors={"module_id": [f"Use one of {', '.join(WellbeingModule.values)}."]}
        )
    return module_id


def validate_completion_data(module_id: str, completion_data: Any) -> dict:
    """The module's data, checked where its schema declares a field, other keys as sent; absent means ``{}``."""
    schema_class = SCHEMAS[validate_module_id(module_id)]
    if completion_data is None:
        completion_data = {}
    if not isinstance(completion_data, dict):
        raise ServiceError("Invalid completion_data.", errors={"completion_data": ["Send a JSON object."]})
    # Before the schema: its messages may quote the input, which must be text a response can carry, and it
    # is stored as jsonb. The API's parser already refused such bodies; other callers (pages, seeds) meet it here.
    try:
        json_input.check(completion_data)
    except json_input.JSONInputError as error:
        path = f"completion_data.{error.path}" if error.path else "completion_data"
        raise ServiceError("Invalid completion_data.", errors={path: [error.message]}) from None
    schema = schema_class(data=completion_data)
    if not schema.is_valid():
        raise ServiceError(
            "Invalid completion_data.",
            errors={f"completion_data.{name}": messages for name, messages in field_errors(schema.errors).items()},
        )
    return dict(schema.data)


def _update_module_entry(conversation: Conversation, module_id: str, changes: dict) -> dict:
    """Merge ``changes`` into ``metadata.module_status[module_id]`` under a row lock; returns module_status."""
    locked = Conversation.objects.select_for_update().get(pk=conversation.pk)
    metadata = dict(locked.metadata or {})
    module_status = dict(metadata.get("module_status") or {})
    module_status[module_id] = {**(module_status.get(module_id) or {}), **changes}
    metadata["module_status"] = module_status
    locked.metadata = metadata
    locked.save(update_fields=["metadata", "updated_at"])
    conversation.metadata = metadata
    return module_status


def _own(conversation: Conversation, user: User) -> None:
    """Only the conversation's owner (staff included: they act for a learner through seed 004's user_id,
    which makes the learner the user here)."""
    access.require_owner(conversation, user=user, message="This is not your conversation.")


@transaction.atomic
def conversation_module_complete(
    *, conversation: Conversation, user: User, module_id: str, completion_data: Any
) -> tuple[str, dict]:
    """Record a completion; returns (completed_at ISO string, the whole module_status)."""
    _own(conversation, user)
    data = validate_completion_data(module_id, completion_data)
    now = timezone.now()
    completed_at = format_timestamp(now)
    module_status = _update_module_entry(
        conversation, module_id, {"completed_at": completed_at, "completion_data": data}
    )
    completion = ModuleCompletion.objects.create(
        conversation=conversation,
        user_id=conversation.user_id,
        module_id=module_id,
        completion_data=data,
        completed_at=now,
    )
    track(event_type=events.WELLBEING_MODULE_COMPLETED, user=user, data={"module_id": module_id})
    # A linked client's written answers showing risk alert their clinician (that answer alone is the evidence).
    self_check_screen(completion=completion, user_id=conversation.user_id)
    if module_id == WellbeingModule.BREATHING:
        daily_quests.record(user=user, event_type=DailyQuestType.BREATHING, at=now)
    return completed_at, module_status


@transaction.atomic
def conversation_module_recommend(*, conversation: Conversation, user: User, module_id: str) -> dict:
    _own(conversation, user)
    validate_module_id(module_id)
    return _update_module_entry(conversation, module_id, {"recommended_at": now_timestamp()})
