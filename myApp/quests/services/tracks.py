"""Recovery tracks advance only from real activities that other quest services report here.

A track's counts are derived, not incremented: each report recounts the track's sources (distinct quests,
sessions and reviews) and writes the result into the ``UserTrack`` row, which is a cache of them. So a
replay, a repeated report or a retried request cannot inflate a track, and a track never drifts from what
actually happened.

What counts, per track (``total_activities`` / ``completed_activities``):

- self work: quests the user wrote by hand (not through the builder) / the same;
- child connection: distinct quests the user started plus builder sessions that made a quest / distinct
  quests the user has ever finished (``QuestProgress.first_completed_at``, kept across replays) plus
  those builder sessions;
- negotiation (working a reviewer's concerns into a quest until you agree): the user's quests a psychologist
  rejected and that the user revised and sent again (under review, or reviewed again) / those approved after a
  rejection;
- community: reviews the user's quests received / distinct quests of theirs a psychologist approved.
"""

import enum
from collections.abc import Callable

from django.db import transaction
from django.db.models import Count, Exists, OuterRef, Q
from django.utils import timezone

from myApp.quests.models import (
    ModerationStatus,
    PsychologistReview,
    Quest,
    QuestBuilderSession,
    QuestProgress,
    TrackPhase,
    TrackType,
    UserTrack,
)
from myApp.quests.track_rules import PERCENT_PER_COMPLETED_ACTIVITY

# Completed activities a track needs to reach each phase (checked from the highest down).
PHASE_THRESHOLDS = ((8, TrackPhase.MASTERY), (5, TrackPhase.ACTION), (3, TrackPhase.EXPRESSION))


class Activity(enum.Enum):
    """What happened, and which tracks it moves. The value is unique per member (``enum`` would merge
    members with equal values), the tracks come from ``TRACKS_OF``."""

    QUEST_CREATED = "quest_created"
    QUEST_REVISED = "quest_revised"  # an approved quest changed back to a draft: no longer self work done
    BUILDER_SESSION_FINISHED = "builder_session_finished"
    QUEST_STARTED = "quest_started"
    QUEST_COMPLETED = "quest_completed"
    REVIEW_RECEIVED = "review_received"
    QUEST_APPROVED = "quest_approved"
    QUEST_SUBMITTED = "quest_submitted"  # sent for review: after a rejection, negotiation under way

    @property
    def track_types(self) -> tuple[str, ...]:
        return TRACKS_OF[self]


TRACKS_OF = {
    Activity.QUEST_CREATED: (TrackType.SELF_WORK,),
    Activity.QUEST_REVISED: (TrackType.SELF_WORK,),
    Activity.BUILDER_SESSION_FINISHED: (TrackType.CHILD_CONNECTION,),
    Activity.QUEST_STARTED: (TrackType.CHILD_CONNECTION,),
    Activity.QUEST_COMPLETED: (TrackType.CHILD_CONNECTION,),
    Activity.QUEST_SUBMITTED: (TrackType.NEGOTIATION,),
    Activity.REVIEW_RECEIVED: (TrackType.COMMUNITY, TrackType.NEGOTIATION),
    # An approval completes community work, negotiation after a rejection and, for a quest written by hand,
    # self work.
    Activity.QUEST_APPROVED: (TrackType.COMMUNITY, TrackType.SELF_WORK, TrackType.NEGOTIATION),
}


def _self_work(user) -> tuple[int, int]:
    """Quests written by hand are self work under way; each one a psychologist approved is self work done
    (copies of one draft, never reviewed, complete nothing)."""
    by_hand = Quest.objects.filter(creator=user).exclude(
        Exists(QuestBuilderSession.objects.filter(quest=OuterRef("pk")))
    )
    counts = by_hand.aggregate(
        written=Count("pk"), approved=Count("pk", filter=Q(moderation_status=ModerationStatus.APPROVED))
    )
    return counts["written"], counts["approved"]


def _child_connection(user) -> tuple[int, int]:
    built = QuestBuilderSession.objects.filter(user=user, quest__isnull=False).count()
    plays = QuestProgress.objects.filter(user=user)
    return plays.count() + built, plays.filter(first_completed_at__isnull=False).count() + built


def _negotiation(user) -> tuple[int, int]:
    """A quest of the user's that a psychologist rejected and that the user revised and sent again (it is under
    review, or a review came after the rejection) is negotiation under way; approved after a rejection, done."""
    rejected = PsychologistReview.objects.filter(quest=OuterRef("pk"), is_approved=False)
    later = PsychologistReview.objects.filter(quest=OuterRef(OuterRef("pk")), reviewed_at__gt=OuterRef("decided_at"))
    approved_later = later.filter(is_approved=True)
    counts = (
        Quest.objects.filter(creator=user)
        .filter(Exists(rejected))
        .aggregate(
            sent_again=Count(
                "pk",
                filter=Q(moderation_status=ModerationStatus.PENDING_REVIEW) | Q(Exists(rejected.filter(Exists(later)))),
            ),
            agreed=Count("pk", filter=Q(Exists(rejected.filter(Exists(approved_later))))),
        )
    )
    return counts["sent_again"], counts["agreed"]


def _community(user) -> tuple[int, int]:
    reviews = PsychologistReview.objects.filter(quest__creator=user)
    approved = reviews.filter(is_approved=True).values("quest_id").distinct().count()
    return reviews.count(), approved


COUNTS: dict[str, Callable[[object], tuple[int, int]]] = {
    TrackType.SELF_WORK: _self_work,
    TrackType.CHILD_CONNECTION: _child_connection,
    TrackType.NEGOTIATION: _negotiation,
    TrackType.COMMUNITY: _community,
}


def phase_for(completed: int) -> str:
    return next((phase for needed, phase in PHASE_THRESHOLDS if completed >= needed), TrackPhase.AWARENESS)


@transaction.atomic
def track_refresh(*, user, track_type: str) -> UserTrack:
    """Recount ``user``'s track of ``track_type`` from its sources. The row is locked before counting:
    in READ COMMITTED each statement after the lock sees every activity committed before it, so of two
    racing reports the later one counts both (the caller writes its own source row first)."""
    track, _ = UserTrack.objects.get_or_create(user=user, track_type=track_type)
    track = UserTrack.objects.select_for_update().get(pk=track.pk)
    total, completed = COUNTS[track_type](user)
    track.total_activities = total
    track.completed_activities = completed
    track.completion_percentage = min(100, completed * PERCENT_PER_COMPLETED_ACTIVITY)
    track.current_phase = phase_for(completed)
    track.last_activity_at = timezone.now()
    track.save()
    return track


def track_activity_record(*, user, activity: Activity) -> UserTrack:
    """Report that ``activity`` happened to ``user`` (after writing its source row, in the same
    transaction): the tracks it moves are recounted; the first of them is returned."""
    tracks = [track_refresh(user=user, track_type=track_type) for track_type in activity.track_types]
    return tracks[0]
