"""What moves each recovery track, in words and numbers, shared by the tracks service (which counts) and the
tracks page (which says so). ``services.tracks`` describes how each track is counted from its sources."""

from myApp.quests.models import TrackType

PERCENT_PER_COMPLETED_ACTIVITY = 10

# What a person does to move each track, as the page says it. A track with no entry has no source yet.
WHAT_MOVES = {
    TrackType.SELF_WORK: "Write a quest of your own (by hand, not with the builder).",
    TrackType.CHILD_CONNECTION: "Finish a quest you play, or make one with the quest builder.",
    TrackType.NEGOTIATION: (
        "When a psychologist turns a quest of yours down, revise it with their concerns in mind and send it again; "
        "it is done when they approve it."
    ),
    TrackType.COMMUNITY: "Have a psychologist review and approve a quest you wrote.",
}

# Tracks whose counted-but-not-done activities are "under way" (a quest started and not finished). Elsewhere the
# difference means something else (community: reviews that did not approve), so the page does not show it.
UNDER_WAY_SHOWN = frozenset({TrackType.CHILD_CONNECTION, TrackType.NEGOTIATION})
