"""Curriculum pages, one module per feature; ``urls.py`` imports them from here."""

from myApp.curriculum.views.amphitheatre import (
    amphitheatre_end,
    amphitheatre_history,
    amphitheatre_hub,
    amphitheatre_submit,
)
from myApp.curriculum.views.catalogue import course_buy, course_enroll, course_list
from myApp.curriculum.views.lessons import (
    lesson_start,
    module_detail,
    module_stakes,
    session_abandon,
    session_answer,
    session_detail,
    session_finish,
)
from myApp.curriculum.views.milestone_reviews import review_attempt, review_queue
from myApp.curriculum.views.milestones import (
    milestone,
    milestone_result,
    milestone_review_request,
    milestone_review_withdraw,
)
from myApp.curriculum.views.recording_audio import recording_audio
from myApp.curriculum.views.speech import recording, recording_reanalyse, recording_transcript, speech_progress
from myApp.curriculum.views.world import district_map, venue_detail, venue_enter, visit_attempt, visit_finish

__all__ = [
    "amphitheatre_end",
    "amphitheatre_history",
    "amphitheatre_hub",
    "amphitheatre_submit",
    "course_buy",
    "course_enroll",
    "course_list",
    "district_map",
    "lesson_start",
    "milestone",
    "milestone_result",
    "milestone_review_request",
    "milestone_review_withdraw",
    "module_detail",
    "module_stakes",
    "recording",
    "recording_audio",
    "recording_reanalyse",
    "recording_transcript",
    "review_attempt",
    "review_queue",
    "session_abandon",
    "session_answer",
    "session_detail",
    "session_finish",
    "speech_progress",
    "venue_detail",
    "venue_enter",
    "visit_attempt",
    "visit_finish",
]
