"""Writing quests: create, revise, submit for review. The graph is validated and the YAML regenerated
on every change, and what a quest says (title, location, every text of its graph) passes the builder's
safety screen (``builder.safety.refuse_risk``) whichever way it arrives: builder, API or revise page."""

from typing import Any

from django.contrib.auth import get_user_model
from django.db import transaction

from myApp.accounts.services import is_psychologist, may_link_children
from myApp.analytics import events
from myApp.analytics.services import track
from myApp.lib import access
from myApp.lib.exceptions import Conflict, NotAllowed, ServiceError
from myApp.quests import graph
from myApp.quests.builder.safety import refuse_risk
from myApp.quests.models import ModerationStatus, Quest
from myApp.quests.services.tracks import Activity, track_activity_record
from myApp.quests.text_rules import one_line_problem

EDITABLE_FIELDS = ("title", "graph_structure", "psychological_module", "age_range", "location", "is_public")
# Changing anything but visibility makes an approved quest a new version that needs a new review.
CONTENT_FIELDS = frozenset(EDITABLE_FIELDS) - {"is_public"}


def _check_one_line(quest: Quest) -> None:
    """The title and location are shown to everyone in the marketplace: one plain line of text
    (``one_line_problem``)."""
    errors = {}
    for field in ("title", "location"):
        value = getattr(quest, field)
        problem = one_line_problem(value) if isinstance(value, str) else None
        if problem:
            errors[field] = [problem]
    if errors:
        raise ServiceError("Invalid quest.", errors=errors)


def _refuse_risk(quest: Quest, fields) -> None:
    """The builder's safety screen (``builder.safety.refuse_risk``) on the texts a quest shows its players,
    whichever way it is written (the API, the pages, the builder): risk is refused, 400 naming the field."""
    texts = {field: getattr(quest, field) for field in ("title", "location") if field in fields}
    if "graph_structure" in fields:
        texts.update(graph.texts(quest.graph_structure, field="graph_structure"))
    refuse_risk(texts)


def _set_graph(quest: Quest, document: Any) -> None:
    quest.graph_structure = graph.validate(document)
    quest.quest_yaml = graph.graph_to_yaml(quest.graph_structure)


MAX_AWAITING_REVIEW = 3  # quests one writer may have waiting for a psychologist at once


def quest_writing_refused_for(user) -> str | None:
    """Why ``user`` may not write quests (None: they may), in the builder or by hand. Quests are written by
    parents for their own children (with staff: those who link children, ``may_link_children``) and by
    psychologists; learners and children play them."""
    if may_link_children(user) or is_psychologist(user):
        return None
    return "Quests are written by parents for their own children, and by psychologists; learners play them."


@transaction.atomic
def quest_create(
    *,
    creator,
    title: str,
    graph_structure: Any,
    psychological_module: str,
    age_range: str,
    location: str = "",
    is_public: bool = False,
) -> Quest:
    """A draft quest owned by ``creator``; ``GraphError`` (400) for an invalid graph; 403 for a creator who may
    not write quests (``quest_writing_refused_for``)."""
    refused = quest_writing_refused_for(creator)
    if refused:
        raise NotAllowed(refused)
    quest = Quest(
        creator=creator,
        title=title,
        psychological_module=psychological_module,
        age_range=age_range,
        location=location,
        is_public=is_public,
    )
    _set_graph(quest, graph_structure)
    _check_one_line(quest)
    _refuse_risk(quest, ("title", "location", "graph_structure"))
    quest.full_clean()
    quest.save()
    track_activity_record(user=creator, activity=Activity.QUEST_CREATED)
    track(event_type=events.QUEST_CREATED, user=creator, data={"quest_id": quest.pk})
    return quest


@transaction.atomic
def quest_update(*, quest: Quest, by, **changes: Any) -> Quest:
    """Revise a quest (its creator only); the API's PATCH/PUT and the revise page both come here.

    A quest under review cannot change (409). A change to the content of an approved or rejected quest
    makes it a draft again, to be resubmitted (its reviews are kept); this holds for an approved quest
    changed through the API too: it leaves the marketplace until a psychologist approves the new version.
    Only values that differ count as changes (the graph compared in its normal form), so sending a quest
    back as it was changes nothing, and a rejected quest cannot be resubmitted unrevised that way."""
    access.require_owner(quest, user=by, owner_field="creator", message="Only the quest's creator can change it.")
    unknown = sorted(set(changes) - set(EDITABLE_FIELDS))
    if unknown:
        raise ValueError(f"Not editable: {', '.join(unknown)}")
    quest = Quest.objects.select_for_update().get(pk=quest.pk)
    if quest.moderation_status == ModerationStatus.PENDING_REVIEW:
        raise Conflict("The quest is under review; it can be changed once the review is decided.")
    changed = set()
    for field, value in changes.items():
        before = getattr(quest, field)
        if field == "graph_structure":
            _set_graph(quest, value)
        else:
            setattr(quest, field, value)
        if getattr(quest, field) != before:
            changed.add(field)
    was_approved = quest.moderation_status == ModerationStatus.APPROVED
    if CONTENT_FIELDS & changed and quest.moderation_status != ModerationStatus.DRAFT:
        quest.moderation_status = ModerationStatus.DRAFT
        quest.psychologist_reviewed = False
    _check_one_line(quest)
    _refuse_risk(quest, changed)  # what the caller changed: unchanged texts were screened when written
    quest.full_clean()
    if changed:
        quest.save()
        track(  # which fields changed, never their values
            event_type=events.QUEST_REVISED,
            user=by,
            data={"quest_id": quest.pk, "fields": sorted(changed), "status": quest.moderation_status},
        )
    if was_approved and quest.moderation_status != ModerationStatus.APPROVED:
        track_activity_record(user=quest.creator, activity=Activity.QUEST_REVISED)
    return quest


def may_submit(quest: Quest) -> bool:
    """Whether the creator may send the quest for review now: a draft only (a new one, or a rejected or
    approved quest whose content changed since)."""
    return quest.moderation_status == ModerationStatus.DRAFT


@transaction.atomic
def quest_submit_for_review(*, quest: Quest, by) -> Quest:
    """The creator asks for a psychologist's review of a draft (a new one, or a revised rejected one)."""
    access.require_owner(quest, user=by, owner_field="creator", message="Only the quest's creator can submit it.")
    quest = Quest.objects.select_for_update().get(pk=quest.pk)
    if quest.moderation_status == ModerationStatus.REJECTED:
        raise Conflict("Revise the rejected quest before submitting it again.")
    if not may_submit(quest):
        raise Conflict(f"A quest that is {quest.get_moderation_status_display().lower()} cannot be submitted.")
    # The writer's row is locked so that submissions made at once are counted one after the other.
    get_user_model().objects.select_for_update().filter(pk=quest.creator_id).first()
    waiting = Quest.objects.filter(creator_id=quest.creator_id, moderation_status=ModerationStatus.PENDING_REVIEW)
    if waiting.count() >= MAX_AWAITING_REVIEW:
        raise Conflict(
            f"You already have {MAX_AWAITING_REVIEW} quests waiting for a psychologist's review; "
            "send this one when one of them has been decided.",
            errors={"quest": ["too_many_awaiting_review"]},
        )
    quest.moderation_status = ModerationStatus.PENDING_REVIEW
    quest.save(update_fields=["moderation_status", "updated_at"])
    track_activity_record(user=quest.creator, activity=Activity.QUEST_SUBMITTED)
    track(event_type=events.QUEST_SUBMITTED, user=by, data={"quest_id": quest.pk})
    return quest


def revise_refused_for(quest: Quest) -> str | None:
    """Why the revise page (/quests/mine/<id>/edit/) will not change this quest, or None when it will: a draft
    or a rejected quest. A quest under review waits for its decision (as ``quest_update`` says). An approved
    quest is listed and may be in families' libraries and mid-play; the page is for getting a quest through
    review, so it does not take a listed quest down. (The API's PATCH can: see ``quest_update``.)"""
    if quest.moderation_status == ModerationStatus.PENDING_REVIEW:
        return "This quest is under review; it can be revised once the psychologist has decided."
    if quest.moderation_status == ModerationStatus.APPROVED:
        return (
            "This quest is approved and listed in the marketplace, where families may be playing it; "
            "this page does not change an approved quest, because any change would take it out of the "
            "marketplace until a psychologist reviews it again."
        )
    return None


@transaction.atomic
def quest_revise(*, quest: Quest, by, submit: bool = False, **changes: Any) -> Quest:
    """The revise page's save: ``quest_update`` (the one rule for changing a quest) and, with ``submit``,
    ``quest_submit_for_review``, both or neither. A rejected quest revised and submitted is pending again."""
    access.require_owner(quest, user=by, owner_field="creator", message="Only the quest's creator can change it.")
    reason = revise_refused_for(Quest.objects.select_for_update().get(pk=quest.pk))
    if reason:
        raise Conflict(reason)
    quest = quest_update(quest=quest, by=by, **changes)
    if submit:
        quest = quest_submit_for_review(quest=quest, by=by)
    return quest
