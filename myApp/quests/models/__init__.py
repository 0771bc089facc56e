"""Quest models (seed 001), one module per domain; daily quests and streaks live beside them."""

from myApp.quests.models.builder import BuilderStage, QuestBuilderSession
from myApp.quests.models.daily import DailyQuest, StreakFreeze, Vacation
from myApp.quests.models.play import QuestProgress, QuestRating, UserQuestLibrary
from myApp.quests.models.quest import (
    SCORE_FIELDS,
    AgeRange,
    ModerationStatus,
    PsychologicalModule,
    PsychologistReview,
    Quest,
    new_quest_id,
)
from myApp.quests.models.tracks import TrackPhase, TrackType, UserTrack

__all__ = [
    "SCORE_FIELDS",
    "AgeRange",
    "BuilderStage",
    "DailyQuest",
    "ModerationStatus",
    "PsychologicalModule",
    "PsychologistReview",
    "Quest",
    "QuestBuilderSession",
    "QuestProgress",
    "QuestRating",
    "StreakFreeze",
    "TrackPhase",
    "TrackType",
    "UserQuestLibrary",
    "UserTrack",
    "Vacation",
    "new_quest_id",
]
