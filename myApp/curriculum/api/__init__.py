"""Curriculum API: thin viewsets over the curriculum's services and selectors.

Registered in ``myProject.api_router`` under ``/api/v1/``; seed 004's
``GET /api/courses`` is routed in ``myApp.curriculum.api_urls``.
"""

from myApp.curriculum.api.amphitheatre import AmphitheatreSessionViewSet
from myApp.curriculum.api.content import (
    CourseCatalogueView,
    CourseViewSet,
    EnrollmentViewSet,
    KnowledgeBlockViewSet,
    LessonViewSet,
    LevelViewSet,
    ModuleViewSet,
)
from myApp.curriculum.api.lessons import LessonSessionViewSet, StakesMapViewSet
from myApp.curriculum.api.milestones import MilestoneReviewViewSet, MilestoneViewSet
from myApp.curriculum.api.progress import ProgressViewSet
from myApp.curriculum.api.speech import SpeechRecordingViewSet
from myApp.curriculum.api.world import (
    DistrictViewSet,
    ExerciseAttemptViewSet,
    VenueEntryViewSet,
    VenueViewSet,
)

__all__ = [
    "AmphitheatreSessionViewSet",
    "CourseCatalogueView",
    "CourseViewSet",
    "DistrictViewSet",
    "EnrollmentViewSet",
    "ExerciseAttemptViewSet",
    "KnowledgeBlockViewSet",
    "LessonSessionViewSet",
    "LessonViewSet",
    "LevelViewSet",
    "MilestoneReviewViewSet",
    "MilestoneViewSet",
    "ModuleViewSet",
    "ProgressViewSet",
    "SpeechRecordingViewSet",
    "StakesMapViewSet",
    "VenueEntryViewSet",
    "VenueViewSet",
]
