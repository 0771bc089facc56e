"""Playing quests: the library, starting and walking a quest's graph one edge at a time, the reveal at
the end, and ratings from people who played."""

import datetime
import unicodedata

from django.core.exceptions import ValidationError
from django.db import transaction
from django.db.models import Avg, F, OuterRef, Q, Subquery
from django.db.models.functions import Now
from django.http import Http404
from django.utils import timezone

from myApp.analytics import events
from myApp.analytics.services import track
from myApp.lib import json_input
from myApp.lib.exceptions import Conflict, NotAllowed, ServiceError
from myApp.quests import graph, selectors
from myApp.quests.builder.safety import refuse_risk
from myApp.quests.models import Quest, QuestProgress, QuestRating, UserQuestLibrary
from myApp.quests.services import daily as daily_quests
from myApp.quests.services.tracks import Activity, track_activity_record
from myApp.quests.text_rules import BIDI_CONTROLS

# Time between two steps counts as play up to this much; a longer gap is a pause.
MAX_MINUTES_PER_STEP = 30
MAX_REVIEW_TEXT = 2000


def _require_playable(*, user, quest: Quest) -> None:
    if not selectors.quests_playable_by(user=user).filter(pk=quest.pk).exists():
        raise Http404("No such quest for you.")


@transaction.atomic
def library_add(*, user, quest: Quest) -> tuple[UserQuestLibrary, bool]:
    """Add a listed quest (or one's own) to ``user``'s library; adding it again changes nothing (and logs
    nothing: the event counts additions, not clicks)."""
    allowed = Quest.objects.filter(pk=quest.pk).filter(selectors.listed_in_marketplace() | Q(creator=user))
    if not allowed.exists():
        raise Http404("No such quest in the marketplace.")
    entry, created = UserQuestLibrary.objects.get_or_create(user=user, quest=quest)
    if created:
        track(event_type=events.QUEST_LIBRARY_ADDED, user=user, data={"quest_id": quest.pk})
    return entry, created


@transaction.atomic
def quest_play_start(*, user, quest: Quest) -> QuestProgress:
    """Start (or resume) playing.

    A play is a player: ``plays_count`` counts the people who ever started the quest, once each, when
    their progress row is created (in SQL, in the transaction that creates it; the unique progress row
    makes a second creation impossible, also when one player's starts race). Resuming, replaying after
    finishing, a step or a page view are sessions of that play (``session_count``), never new plays, so
    one player cannot push a quest up the marketplace's "plays" order.

    A replay after finishing, or a play whose node the creator has since removed, starts again at the
    start node."""
    _require_playable(user=user, quest=quest)
    start = graph.start_node(quest.graph_structure)["id"]
    progress, created = QuestProgress.objects.get_or_create(user=user, quest=quest, defaults={"current_node": start})
    if created:
        Quest.objects.filter(pk=quest.pk).update(plays_count=F("plays_count") + 1)
    progress = QuestProgress.objects.select_for_update().get(pk=progress.pk)
    if progress.completed or graph.node(quest.graph_structure, progress.current_node) is None:
        progress.current_node = start
        progress.current_step = 0
        progress.completed = False
        progress.completed_at = None
    progress.session_count += 1
    progress.last_played_at = timezone.now()
    progress.save()
    if created:
        track_activity_record(user=user, activity=Activity.QUEST_STARTED)
    # Every start or resume (a POST, never a page view); ``first`` tells the plays from their sessions.
    track(event_type=events.QUEST_STARTED, user=user, data={"quest_id": quest.pk, "first": created})
    return progress


class StaleChoice(Conflict):
    """A choice from a step the player is no longer on: sent from a second window or after the Back button.
    The detail names the edge and node for API clients; pages say it in ``people_words``."""

    people_words = (
        "That choice belongs to a step you have already left, perhaps in another window or before using the "
        "Back button. Nothing was changed: go back to the quest to carry on from where you are."
    )


@transaction.atomic
def quest_play_advance(*, user, quest: Quest, edge_id: str) -> QuestProgress:
    """Follow one edge from the node the player stands on. An edge that does not leave that node, or a
    finished play, is a ``Conflict`` (409). Reaching an ending completes the quest."""
    _require_playable(user=user, quest=quest)
    progress = QuestProgress.objects.select_for_update().filter(user=user, quest=quest).first()
    if progress is None:
        raise Conflict("Start the quest before moving through it.")
    if progress.completed:
        raise Conflict("This play is finished; start the quest again to replay it.")
    current_graph = Quest.objects.get(pk=quest.pk).graph_structure
    edge = next((item for item in current_graph["edges"] if item["id"] == edge_id), None)
    if edge is None or edge["source"] != progress.current_node:
        raise StaleChoice(
            f"Edge {edge_id!r} does not leave node {progress.current_node!r}.",
            errors={"edge_id": [f"Choose an edge leaving {progress.current_node!r}."]},
        )
    now = timezone.now()
    if progress.last_played_at is not None:
        gap = (now - progress.last_played_at) / datetime.timedelta(minutes=1)
        progress.total_time_minutes += max(0.0, min(gap, MAX_MINUTES_PER_STEP))
    progress.current_node = edge["target"]
    progress.current_step += 1
    progress.last_played_at = now
    first_completion = False
    if graph.node(current_graph, edge["target"])["type"] == "ending":
        progress.completed = True
        progress.completed_at = now
        first_completion = progress.first_completed_at is None
        if first_completion:
            progress.first_completed_at = now
    progress.save()
    daily_quests.quest_step_played(user=user, at=now)  # a step counts toward the day's "play a quest step"
    if first_completion:  # a replay's ending finishes no new quest
        track_activity_record(user=user, activity=Activity.QUEST_COMPLETED)
    track(event_type=events.QUEST_STEP_COMPLETED, user=user, data={"quest_id": quest.pk, "step": progress.current_step})
    if progress.completed:  # every ending reached, replays included; ``first`` counts the quests finished
        track(event_type=events.QUEST_FINISHED, user=user, data={"quest_id": quest.pk, "first": first_completion})
    return progress


def quest_reveal_view(*, user, quest: Quest) -> selectors.Reveal:
    """The reveal of the ending ``user`` reached, as ``selectors.reveal_for`` words it for them (the family
    message only for the creator's children). Each view counts (``reveal_count`` and ``last_reveal_at`` in
    one UPDATE); a quest not finished yet has nothing to reveal (409)."""
    progress = QuestProgress.objects.filter(user=user, quest=quest, completed=True).first()
    if progress is None:
        raise Conflict("Finish the quest to see its reveal.")
    Quest.objects.filter(pk=quest.pk).update(reveal_count=F("reveal_count") + 1, last_reveal_at=Now())
    return selectors.reveal_for(viewer=user, quest=quest, node_id=progress.current_node)


def rating_refused_for(*, user, quest: Quest) -> str | None:
    """Why ``user`` may not rate ``quest`` (None when they may): the marketplace's ratings come from players
    outside the creator's family. Not the creator, not their family (``selectors.family_linked``: a child
    rating their parent's quest, a parent their child's, the other parent of their child, a sibling), and
    only someone who played it. The rating
    service refuses with this reason (403); the quest pages show it instead of the form."""
    if quest.creator_id == user.pk:
        return "A quest's creator cannot rate it."
    if selectors.family_linked(user=user, other_id=quest.creator_id):
        return "Family members cannot rate each other's quests: marketplace ratings come from outside the family."
    if not QuestProgress.objects.filter(user=user, quest=quest).exists():
        return "Only someone who played this quest can rate it."
    return None


def _check_review_text(text: str) -> None:
    """A rating's text is what a player writes about a quest: text without control characters (line breaks
    and tabs are fine), and through the builder's safety screen like every other text written into the
    quests (risk is refused with the chat's crisis answer, naming the field)."""
    problem = json_input.text_problem(text) or next(
        (
            "Text without control characters or direction overrides."
            for char in text
            if (unicodedata.category(char) == "Cc" and char not in "\n\r\t") or char in BIDI_CONTROLS
        ),
        None,
    )
    if problem:
        raise ServiceError("Invalid rating.", errors={"review_text": [problem]})
    refuse_risk({"review_text": text})


@transaction.atomic
def quest_rate(*, user, quest: Quest, rating: int, review_text: str = "") -> QuestRating:
    """Rate a quest one has played (1-5, optional text); a second rating replaces the first. The quest's
    ``rating`` becomes the average of its ratings, computed by the database while the quest row is
    locked, so concurrent ratings each see the others that committed before them."""
    refusal = rating_refused_for(user=user, quest=quest)
    if refusal is not None:
        raise NotAllowed(refusal, errors={"rating": [refusal]})
    if isinstance(rating, bool) or not isinstance(rating, int) or not 1 <= rating <= 5:
        raise ServiceError("Invalid rating.", errors={"rating": ["A whole number from 1 to 5."]})
    if len(review_text) > MAX_REVIEW_TEXT:
        raise ValidationError({"review_text": [f"At most {MAX_REVIEW_TEXT} characters."]})
    _check_review_text(review_text)
    # Lock first: an UPDATE's subquery reads the snapshot its statement started with, so without the lock
    # two raters could each compute an average that misses the other's rating.
    Quest.objects.select_for_update().filter(pk=quest.pk).values_list("pk", flat=True).get()
    entry, created = QuestRating.objects.update_or_create(
        user=user, quest=quest, defaults={"rating": rating, "review_text": review_text}
    )
    average = (
        QuestRating.objects.filter(quest=OuterRef("pk")).values("quest").annotate(value=Avg("rating")).values("value")
    )
    Quest.objects.filter(pk=quest.pk).update(rating=Subquery(average))
    track(  # whether there is a text, never the text
        event_type=events.QUEST_RATED,
        user=user,
        data={"quest_id": quest.pk, "rating": rating, "replaced": not created, "with_text": bool(review_text)},
    )
    return entry
