"""A person with a row in every model of the data-rights registry, for the export and erasure tests.

``fill(user, peer=...)`` gives ``user`` every role at once (learner, parent of ``peer``, clinician of ``peer``,
teacher, quest author, psychologist reviewer, staff who used the admin), so one export or erasure touches every
rule. Rows are plain ORM rows: the tests are about which rows leave or stay, not how they were made. Every text a
row holds carries ``marker(user)`` so a leak shows as that string in the wrong place.
"""

import datetime
import uuid
from decimal import Decimal

from axes.models import AccessAttempt, AccessFailureLog, AccessLog
from django.contrib.admin.models import CHANGE, LogEntry
from django.contrib.contenttypes.models import ContentType
from django.contrib.sessions.backends.db import SessionStore
from django.core.files.base import ContentFile
from django.utils import timezone

from myApp.accounts import services
from myApp.accounts.models import ChildPrivacySettings, ErasureRecord, Profile
from myApp.analytics.models import AnalyticsEvent, TelemetryEvent
from myApp.curriculum import models as curriculum
from myApp.quests import models as quests
from myApp.sessions import models as chat
from tests.factories import CourseFactory, LessonFactory, VenueFactory


def marker(user) -> str:
    """Words a person wrote (by id: an erased person's own kept records, a clinician's notes, may hold them)."""
    return f"words-of-person-{user.pk}-"


def add_messages(conversation, count: int, *, offset: int = 0) -> None:
    chat.Message.objects.bulk_create(
        chat.Message(
            user=conversation.user,
            conversation=conversation,
            role="user" if index % 2 == 0 else "assistant",
            content=f"{marker(conversation.user)} message {offset + index}",
        )
        for index in range(count)
    )


def fill(user, *, peer) -> dict:
    """One row (or two) of every registered model for ``user``; ``peer`` is the other person in the links."""
    now = timezone.now()
    today = now.date()
    text = marker(user)
    rows: dict = {}

    # accounts
    profile = Profile.objects.get(user=user)
    Profile.objects.filter(pk=profile.pk).update(main_goal=text, parent_name=f"{text} parent")
    services.device_token_create(user=user, name="Phone")
    services.pairing_code_create(child=user)
    ChildPrivacySettings.objects.create(parent=user, child=peer)
    services.access_record_create(viewer=peer, subject=user, what="wellbeing_report", through="test")
    services.access_record_create(viewer=user, subject=peer, what="wellbeing_report", through="test")
    ErasureRecord.objects.create(erased_user_id=10**9 + user.pk, erased_by=user)
    session = SessionStore()
    session["_auth_user_id"] = str(user.pk)
    session.create()
    rows["session_key"] = session.session_key
    for model in (AccessLog, AccessFailureLog):
        model.objects.create(username=user.username, user_agent="test", http_accept="*/*", path_info="/login/")
    AccessAttempt.objects.create(
        username=user.username,
        user_agent="test",
        http_accept="*/*",
        path_info="/login/",
        get_data="",
        post_data="",
        failures_since_start=1,
    )
    LogEntry.objects.create(
        user=user,
        content_type=ContentType.objects.get_for_model(Profile),
        object_id=str(peer.profile.pk),
        object_repr=str(peer.profile),
        action_flag=CHANGE,
    )

    # analytics
    AnalyticsEvent.objects.create(user=user, event_type="module_completed", event_data={"module": "A"})
    TelemetryEvent.objects.create(user=user, name="screen_view")

    # chat
    conversation = chat.Conversation.objects.create(user=user)
    rows["conversation"] = conversation
    add_messages(conversation, 2)
    chat.ModuleCompletion.objects.create(
        conversation=conversation, user=user, module_id="breathing_exercise", completed_at=now
    )

    # clinical: ``user`` is the clinician, ``peer`` their linked client
    client = chat.Client.objects.create(
        clinician=user, user=peer, display_name=f"client of {user.pk}", clinical_notes=f"{text} notes"
    )
    rows["client"] = client
    therapy = chat.TherapySession.objects.create(client=client, date=now)
    sentence = chat.SessionSentence.objects.create(
        session=therapy, start_ms=0, end_ms=10, sequence_number=1, text=f"{text} said"
    )
    chat.SessionStatusChange.objects.create(
        session=therapy, field="status", from_status="scheduled", to_status="completed", by=user
    )
    insight = chat.SessionInsight.objects.create(
        client=client,
        session=therapy,
        evidence_sentence=sentence,
        insight_type="risk",
        confidence=0.5,
        title="Insight",
        description=f"{text} insight",
        therapeutic_method="CBT",
        reviewed_by=user,
    )
    chat.InsightDecision.objects.create(insight=insight, status="approved", decided_at=now, decided_by=user)
    chat.ClientProfile.objects.create(client=client)
    chat.ClinicianNotification.objects.create(recipient=user, insight=insight)
    chat.ClinicalRetentionPolicy.objects.create(clinician=user, keep_years=7)

    # curriculum
    lesson = LessonFactory()
    module = lesson.module
    venue = VenueFactory(module=module)
    curriculum.ExerciseSubmission.objects.create(user=user, module=module, stage="lesson", payload={"t": text})
    attempt = curriculum.MilestoneAttempt.objects.create(
        user=user, level=module.level, score=50, transcript=text, audio_url="/media/milestone.webm"
    )
    # A review of the user's attempt by the peer: in both exports (an assessment of the user; the peer's own words),
    # so its text carries neither marker.
    curriculum.MilestoneReview.objects.create(
        attempt=attempt, reviewer=peer, comments="A teacher's review.", scores={"clarity": 60}
    )
    curriculum.UserProgress.objects.create(user=user, module=module)
    curriculum.StakesMap.objects.create(user=user, module=module)
    curriculum.LessonSessionContext.objects.create(user=user, module=module, scenario=text, cooldown_until=now)
    entry = curriculum.VenueEntry.objects.create(user=user, venue=venue)
    curriculum.ExerciseAttempt.objects.create(
        user=user, module=module, venue_entry=entry, exercise_key="x", score=50, notes=text
    )
    lesson_session = curriculum.LessonSession.objects.create(user=user, lesson=lesson)
    curriculum.LessonStepResponse.objects.create(session=lesson_session, step_index=0, value={"answer": text})
    visit = curriculum.AmphitheatreSession.objects.create(user=user, visit_number=1)
    record = curriculum.AmphitheatreExerciseRecord.objects.create(session=visit, exercise_key="x", reflection=text)
    recording = curriculum.SpeechRecording(
        user=user,
        purpose="amphitheatre",
        amphitheatre_record=record,
        source_format="wav",
        source_bytes=4,
        duration_seconds=3.0,
        transcript=text,
        transcript_source="learner",
        acoustic={"version": 1},
    )
    recording.audio.save(f"{uuid.uuid4().hex}.wav", ContentFile(b"RIFF"), save=True)
    rows["recording"] = recording
    course = CourseFactory(teacher=user, created_by=user, price=Decimal("10.00"))
    rows["course"] = course
    curriculum.Enrollment.objects.create(user=user, course=course)
    curriculum.Purchase.objects.create(user=user, course=course, amount=Decimal("10.00"), currency="USD")

    # quests: one the peer plays (kept on erasure), one nobody else uses (deleted)
    shared = quests.Quest.objects.create(
        title=f"{user.pk} shared", creator=user, psychological_module="CBT", age_range="7-9"
    )
    alone = quests.Quest.objects.create(
        title=f"{user.pk} alone", creator=user, psychological_module="DBT", age_range="7-9"
    )
    rows["quests"] = (shared, alone)
    quests.PsychologistReview.objects.create(
        quest=alone,
        emotional_safety_score=4,
        therapeutic_correctness_score=4,
        age_appropriateness_score=4,
        reveal_timing_score=4,
        reviewed_at=now,
        reviewer=user,
        decided_by=user,
    )
    quests.QuestBuilderSession.objects.create(user=user)
    quests.DailyQuest.objects.create(user=user, date=today, quest_type="finish_lesson", target=1)
    quests.StreakFreeze.objects.create(user=user, bought_at=now, bought_on=today, coins_paid=1)
    quests.Vacation.objects.create(user=user, starts_on=today + datetime.timedelta(days=30))
    quests.UserQuestLibrary.objects.create(user=user, quest=alone)
    quests.UserQuestLibrary.objects.create(user=peer, quest=shared)
    quests.QuestProgress.objects.create(user=user, quest=alone, current_node="start")
    quests.UserTrack.objects.create(user=user, track_type="self_work")
    quests.QuestRating.objects.create(user=user, quest=alone, rating=4, review_text=f"{text} review")
    return rows
