"""Writes for the curriculum: every state change of the learner journey happens here."""

from myApp.curriculum.services.amphitheatre import (
    amphitheatre_end,
    amphitheatre_hub,
    amphitheatre_submit,
)
from myApp.curriculum.services.catalogue import course_enroll, course_purchase
from myApp.curriculum.services.content import content_create, content_delete, content_update
from myApp.curriculum.services.courses import course_create, course_manage_check, course_update
from myApp.curriculum.services.lessons import (
    LessonFinish,
    lesson_session_abandon,
    lesson_session_answer,
    lesson_session_finish,
    lesson_session_start,
)
from myApp.curriculum.services.milestone_reviews import milestone_review_create
from myApp.curriculum.services.milestones import (
    attempt_evaluation,
    awaiting_measures,
    milestone_decide,
    milestone_review_request,
    milestone_review_withdraw,
    milestone_submit,
)
from myApp.curriculum.services.progress import curriculum_start, module_complete, module_unlock
from myApp.curriculum.services.stakes import lesson_context_refresh, stakes_map_set
from myApp.curriculum.services.tickets import tickets_grant
from myApp.curriculum.services.world import venue_enter, venue_exercise_attempt, venue_finish

__all__ = [
    "LessonFinish",
    "amphitheatre_end",
    "amphitheatre_hub",
    "amphitheatre_submit",
    "attempt_evaluation",
    "awaiting_measures",
    "content_create",
    "content_delete",
    "content_update",
    "course_create",
    "course_enroll",
    "course_manage_check",
    "course_purchase",
    "course_update",
    "curriculum_start",
    "lesson_context_refresh",
    "lesson_session_abandon",
    "lesson_session_answer",
    "lesson_session_finish",
    "lesson_session_start",
    "milestone_decide",
    "milestone_review_create",
    "milestone_review_request",
    "milestone_review_withdraw",
    "milestone_submit",
    "module_complete",
    "module_unlock",
    "stakes_map_set",
    "tickets_grant",
    "venue_enter",
    "venue_exercise_attempt",
    "venue_finish",
]
