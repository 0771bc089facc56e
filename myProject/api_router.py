"""The one router: every app's viewsets are registered here, under /api/v1/."""

from rest_framework.routers import DefaultRouter

from myApp.accounts.api import ChildLinkViewSet, ChildViewSet, DeviceViewSet, PairingCodeViewSet
from myApp.analytics.api import TelemetryViewSet
from myApp.curriculum import api as curriculum
from myApp.quests.api import v1 as quests
from myApp.quests.api.daily import DailyQuestViewSet
from myApp.sessions import api as chat


class Router(DefaultRouter):
    """No format suffix twins (``/clients.json``): the API has one renderer (``?format=json`` still names it), the
    schema never listed them, and every viewset method written without a ``format`` argument answered them with
    500."""

    include_format_suffixes = False


router = Router()
router.register("auth/devices", DeviceViewSet, basename="device")
router.register("child-links", ChildLinkViewSet, basename="child-link")
router.register("pairing-codes", PairingCodeViewSet, basename="pairing-code")
router.register("children", ChildViewSet, basename="child")

# Curriculum: content and catalogue
router.register("levels", curriculum.LevelViewSet, basename="level")
router.register("modules", curriculum.ModuleViewSet, basename="module")
router.register("lessons", curriculum.LessonViewSet, basename="lesson")
router.register("knowledge-blocks", curriculum.KnowledgeBlockViewSet, basename="knowledge-block")
router.register("courses", curriculum.CourseViewSet, basename="course")
router.register("enrollments", curriculum.EnrollmentViewSet, basename="enrollment")
# Curriculum: a learner's own journey
router.register("progress", curriculum.ProgressViewSet, basename="progress")
router.register("lesson-sessions", curriculum.LessonSessionViewSet, basename="lesson-session")
router.register("milestones", curriculum.MilestoneViewSet, basename="milestone")
router.register("milestone-reviews", curriculum.MilestoneReviewViewSet, basename="milestone-review")
router.register("recordings", curriculum.SpeechRecordingViewSet, basename="recording")
router.register("stakes-maps", curriculum.StakesMapViewSet, basename="stakes-map")
router.register("exercise-attempts", curriculum.ExerciseAttemptViewSet, basename="exercise-attempt")
# Curriculum: the practice world
router.register("districts", curriculum.DistrictViewSet, basename="district")
router.register("venues", curriculum.VenueViewSet, basename="venue")
router.register("venue-entries", curriculum.VenueEntryViewSet, basename="venue-entry")
router.register("amphitheatre-sessions", curriculum.AmphitheatreSessionViewSet, basename="amphitheatre-session")

# Analytics: batches of client telemetry
router.register("telemetry", TelemetryViewSet, basename="telemetry")

# Chat: a user's own conversations and messages
router.register("conversations", chat.ConversationViewSet, basename="conversation")
router.register("messages", chat.MessageViewSet, basename="message")
router.register("module-completions", chat.ModuleCompletionViewSet, basename="module-completion")

# Clinical sessions (seed 003): a clinician's clients, their therapy sessions and transcripts, insights
router.register("clients", chat.ClientViewSet, basename="client")
router.register("therapy-sessions", chat.TherapySessionViewSet, basename="therapy-session")
router.register("session-insights", chat.SessionInsightViewSet, basename="session-insight")
router.register("clinician-notifications", chat.ClinicianNotificationViewSet, basename="clinician-notification")

# Quests: the caller's daily quests (their streak: myApp.quests.daily_api_urls)
router.register("daily-quests", DailyQuestViewSet, basename="daily-quest")
# Quests: a creator's quests, playing, and each person's own library, ratings, progress, tracks, reviews
router.register("quests", quests.QuestViewSet, basename="quest")
router.register("quest-plays", quests.QuestPlayViewSet, basename="quest-play")
router.register("quest-progress", quests.QuestProgressViewSet, basename="quest-progress")
router.register("child-quest-progress", quests.ChildQuestProgressViewSet, basename="child-quest-progress")
router.register("quest-library", quests.LibraryViewSet, basename="quest-library")
router.register("quest-ratings", quests.RatingViewSet, basename="quest-rating")
router.register("quest-reviews", quests.ReviewViewSet, basename="quest-review")
router.register("user-tracks", quests.TrackViewSet, basename="user-track")
router.register("quest-builder-sessions", quests.BuilderSessionViewSet, basename="quest-builder-session")
