"""Curriculum models (seed 002, section 2; courses from seed 004), one module per domain."""

from myApp.curriculum.models.amphitheatre import AmphitheatreExerciseRecord, AmphitheatreSession
from myApp.curriculum.models.content import (
    Course,
    CourseLevel,
    Enrollment,
    KnowledgeBlock,
    Lesson,
    Level,
    Module,
    Purchase,
)
from myApp.curriculum.models.lessons import (
    LessonSession,
    LessonSessionContext,
    LessonSessionState,
    LessonStepResponse,
    StakesMap,
)
from myApp.curriculum.models.progress import (
    ExerciseAttempt,
    ExerciseSubmission,
    MilestoneAttempt,
    ProgressStatus,
    SubmissionStage,
    UserProgress,
)
from myApp.curriculum.models.speech import (
    AnalysisStatus,
    MilestoneReview,
    RecordingPurpose,
    SpeechRecording,
    TranscriptSource,
)
from myApp.curriculum.models.world import District, Venue, VenueEntry, VenueTaskSheet

__all__ = [
    "AmphitheatreExerciseRecord",
    "AmphitheatreSession",
    "AnalysisStatus",
    "Course",
    "CourseLevel",
    "District",
    "Enrollment",
    "ExerciseAttempt",
    "ExerciseSubmission",
    "KnowledgeBlock",
    "Lesson",
    "LessonSession",
    "LessonSessionContext",
    "LessonSessionState",
    "LessonStepResponse",
    "Level",
    "MilestoneAttempt",
    "MilestoneReview",
    "Module",
    "ProgressStatus",
    "Purchase",
    "RecordingPurpose",
    "SpeechRecording",
    "StakesMap",
    "SubmissionStage",
    "TranscriptSource",
    "UserProgress",
    "Venue",
    "VenueEntry",
    "VenueTaskSheet",
]
