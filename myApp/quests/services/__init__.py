"""Writes for therapeutic quests: every state change of a quest, a review, a play or a track happens here.
Daily quests and streaks: ``services.daily``."""

from myApp.quests.services.builder import (
    builder_chat,
    builder_finish,
    builder_refused_for,
    builder_session_create,
    builder_session_update,
    may_build_quests,
)
from myApp.quests.services.play import (
    library_add,
    quest_play_advance,
    quest_play_start,
    quest_rate,
    quest_reveal_view,
    rating_refused_for,
)
from myApp.quests.services.quests import (
    MAX_AWAITING_REVIEW,
    may_submit,
    quest_create,
    quest_revise,
    quest_submit_for_review,
    quest_update,
    quest_writing_refused_for,
    revise_refused_for,
)
from myApp.quests.services.reviews import (
    is_psychologist,
    review_approve,
    review_reject,
    review_submit,
    review_submit_and_decide,
)
from myApp.quests.services.tracks import Activity, track_activity_record

__all__ = [
    "MAX_AWAITING_REVIEW",
    "Activity",
    "builder_chat",
    "builder_finish",
    "builder_refused_for",
    "builder_session_create",
    "builder_session_update",
    "is_psychologist",
    "library_add",
    "may_build_quests",
    "may_submit",
    "quest_create",
    "quest_play_advance",
    "quest_play_start",
    "quest_rate",
    "quest_reveal_view",
    "quest_revise",
    "quest_submit_for_review",
    "quest_update",
    "quest_writing_refused_for",
    "rating_refused_for",
    "review_approve",
    "review_reject",
    "review_submit",
    "review_submit_and_decide",
    "revise_refused_for",
    "track_activity_record",
]
