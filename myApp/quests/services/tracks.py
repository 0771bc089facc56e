"""Recovery tracks advance only from real activities that other quest services report here."""

import enum

from django.db import transaction
from django.db.models import Case, F, Value, When
from django.db.models.functions import Least
from django.utils import timezone

from myApp.quests.models import TrackPhase, TrackType, UserTrack

PERCENT_PER_COMPLETED_ACTIVITY = 10
# Completed activities a track needs to reach each phase (checked from the highest down).
PHASE_THRESHOLDS = ((8, TrackPhase.MASTERY), (5, TrackPhase.ACTION), (3, TrackPhase.EXPRESSION))


class Activity(enum.Enum):
    """What happened, which track it moves, and whether it counts as a completed activity."""

    QUEST_CREATED = (TrackType.SELF_WORK, True)
    QUEST_STARTED = (TrackType.CHILD_CONNECTION, False)
    QUEST_COMPLETED = (TrackType.CHILD_CONNECTION, True)
    REVIEW_RECEIVED = (TrackType.COMMUNITY, False)
    QUEST_APPROVED = (TrackType.COMMUNITY, True)

    @property
    def track_type(self) -> str:
        return self.value[0]

    @property
    def completes(self) -> bool:
        return self.value[1]


@transaction.atomic
def track_activity_record(*, user, activity: Activity) -> UserTrack:
    """Count one activity on ``user``'s track in one UPDATE (concurrent activities never lose each
    other); the percentage and the phase follow from the completed count in the same statement."""
    track, _ = UserTrack.objects.get_or_create(user=user, track_type=activity.track_type)
    done = 1 if activity.completes else 0
    completed_after = F("completed_activities") + done
    UserTrack.objects.filter(pk=track.pk).update(
        total_activities=F("total_activities") + 1,
        completed_activities=completed_after,
        completion_percentage=Least(Value(100), completed_after * PERCENT_PER_COMPLETED_ACTIVITY),
        current_phase=Case(
            *(When(completed_activities__gte=needed - done, then=Value(phase)) for needed, phase in PHASE_THRESHOLDS),
            default=Value(TrackPhase.AWARENESS),
        ),
        last_activity_at=timezone.now(),
    )
    track.refresh_from_db()
    return track
