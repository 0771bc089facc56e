"""Milestones: a recorded speech per level, scored on the rubric (``myApp.curriculum.speech.rubric``); the first
pass is rewarded.

An attempt recorded here (an upload) gets a ``SpeechRecording`` that a background task measures; until that
analysis has finished the attempt is *awaiting measures* (derived from the recording's ``analysis_status``,
never stored) and ``milestone_decide`` settles its score and pass when the task calls it. An attempt with a
linked recording (an https ``audio_url``) cannot be measured and is decided at once on the assessed criteria.

A pass stands: ``milestone_decide`` re-runs whenever a teacher reviews the attempt, and a review can lift an
attempt to a pass but never takes one back (a reward once paid is never clawed back, and a learner must be able
to trust a result they were shown). The score shown is always the current evaluation's.
"""

from django.core.files.uploadedfile import UploadedFile
from django.core.validators import URLValidator
from django.db import IntegrityError, transaction
from django.utils import timezone

from myApp.accounts.models import User
from myApp.accounts.services import profile_adjust_balance
from myApp.analytics import events
from myApp.analytics.services import track
from myApp.curriculum import speech_selectors
from myApp.curriculum.models import Level, MilestoneAttempt, UserProgress
from myApp.curriculum.models.speech import AnalysisStatus, MilestoneReview, RecordingPurpose, SpeechRecording
from myApp.curriculum.services import speech
from myApp.curriculum.speech import rubric
from myApp.lib import access
from myApp.lib.exceptions import Conflict, ServiceError

RUBRIC_CRITERIA = rubric.ASSESSED_CRITERIA
MAX_TRANSCRIPT = 20_000
UNFINISHED = (AnalysisStatus.PENDING, AnalysisStatus.PROCESSING)


def validate_scores(scores: object, *, field: str, required: bool) -> dict[str, int]:
    """Criterion → whole number 0-100, only the rubric's assessed criteria; at least one when ``required``."""
    if not isinstance(scores, dict) or (required and not scores):
        raise ServiceError("Invalid rubric.", errors={field: ["Give at least one criterion score."]})
    unknown = sorted(str(name) for name in set(scores) - set(RUBRIC_CRITERIA))
    if unknown:
        raise ServiceError(
            "Invalid rubric.",
            errors={field: [f"Unknown criteria: {', '.join(unknown)}. Use {', '.join(RUBRIC_CRITERIA)}."]},
        )
    cleaned = {}
    for criterion, score in scores.items():
        if isinstance(score, bool) or not isinstance(score, int) or not 0 <= score <= 100:
            raise ServiceError("Invalid rubric.", errors={f"{field}.{criterion}": ["A whole number from 0 to 100."]})
        cleaned[criterion] = score
    return cleaned


def validate_rubric(rubric_scores: object) -> dict[str, int]:
    return validate_scores(rubric_scores, field="rubric_scores", required=True)


def milestone_submit(
    *,
    user: User,
    level: Level,
    rubric_scores: dict,
    audio: UploadedFile | None = None,
    audio_url: str = "",
    transcript: str = "",
    topic: str = "",
) -> MilestoneAttempt:
    """Record an attempt. An uploaded recording is measured in the background and the attempt is decided when
    that finishes (``milestone_decide``); a linked one is decided now on the assessed criteria alone. XP and
    coins are paid on the first pass only (a partial unique constraint holds that)."""
    level_modules = level.modules.values_list("pk", flat=True)
    completed = UserProgress.objects.filter(user=user, module__in=level_modules, completed_at__isnull=False)
    if completed.count() < len(level_modules):
        raise Conflict("Complete every module of this level first.", errors={"level": ["Modules remain."]})
    if bool(audio) == bool(audio_url):
        raise ServiceError("Send a recording.", errors={"audio": ["Upload a file or give an audio_url, not both."]})
    if audio_url:
        try:
            URLValidator(schemes=["https"])(audio_url)
        except Exception:
            raise ServiceError("Invalid audio URL.", errors={"audio_url": ["Give an https:// URL."]}) from None
    if len(transcript) > MAX_TRANSCRIPT:
        raise ServiceError("Transcript too long.", errors={"transcript": [f"At most {MAX_TRANSCRIPT} characters."]})
    scores = validate_rubric(rubric_scores)
    # Checked and converted before any row is written (and outside the transaction: ffmpeg takes a while).
    normalised = speech.recording_normalise(audio) if audio else None
    provisional = rubric.evaluate(
        self_scores=scores, teacher_scores=None, acoustic=None, language=None, threshold=level.milestone_threshold
    )
    awaiting = normalised is not None
    attempt = MilestoneAttempt(
        user=user,
        level=level,
        audio_url=audio_url,
        transcript=transcript,
        rubric_scores=scores,
        score=provisional.score,
        pass_bool=provisional.passed and not awaiting,
    )
    with transaction.atomic():
        attempt.save()
        if awaiting:
            # A refusal here (the topic, the transcript) rolls the attempt back with it: nothing is kept.
            speech.recording_create(
                user=user,
                upload=normalised,
                purpose=RecordingPurpose.MILESTONE,
                milestone_attempt=attempt,
                topic=topic,
                transcript=transcript,
            )
        else:
            _reward_first_pass(attempt)
        track(
            event_type=events.MILESTONE_SUBMITTED,
            user=user,
            data={
                "level": level.number,
                "score": attempt.score,
                "passed": attempt.pass_bool,
                "rewarded": attempt.rewarded,
            },
        )
    return attempt


def _reward_first_pass(attempt: MilestoneAttempt) -> bool:
    """Pay the level's reward if ``attempt`` passed and is the user's first rewarded pass of the level. Called
    inside a transaction; the partial unique constraint makes a concurrent second reward fail, not pay."""
    if not attempt.pass_bool or attempt.rewarded:
        return False
    try:
        with transaction.atomic():
            updated = MilestoneAttempt.objects.filter(pk=attempt.pk, pass_bool=True, rewarded=False).update(
                rewarded=True
            )
    except IntegrityError:  # an earlier (or concurrent) pass of this level already took the reward
        return False
    if not updated:
        return False
    attempt.rewarded = True
    level = attempt.level
    profile_adjust_balance(user=attempt.user, xp=level.milestone_xp_reward, coins=level.milestone_coin_reward)
    return True


def attempt_recording(attempt: MilestoneAttempt) -> SpeechRecording | None:
    """The attempt's recording, using what a selector already fetched when it did."""
    try:
        return attempt.recording
    except SpeechRecording.DoesNotExist:
        return None


def awaiting_measures(attempt: MilestoneAttempt) -> bool:
    """Derived: the attempt has a recording whose analysis has not finished."""
    recording = attempt_recording(attempt)
    return recording is not None and recording.analysis_status in UNFINISHED


def teacher_scores_of(reviews) -> dict[str, int]:
    """The reviews' scores merged oldest to newest: a later review's score for a criterion wins."""
    merged: dict[str, int] = {}
    for review in sorted(reviews, key=lambda review: (review.created_at, review.pk)):
        merged.update(review.scores or {})
    return merged


def language_measures(recording: SpeechRecording | None) -> dict | None:
    """What the recording's transcript tells (derived, never stored), or None without a transcript."""
    if recording is None:
        return None
    return speech_selectors.language_measures(recording)


def attempt_evaluation(attempt: MilestoneAttempt, *, reviews=None) -> rubric.Evaluation:
    """The rubric's evaluation of ``attempt`` now: its self-scores, its reviews' scores, its recording's measures.
    ``reviews`` may be passed when already fetched (a page, a prefetch)."""
    if reviews is None:
        reviews = list(attempt.reviews.all())
    recording = attempt_recording(attempt)
    return rubric.evaluate(
        self_scores=attempt.rubric_scores or {},
        teacher_scores=teacher_scores_of(reviews),
        acoustic=(recording.acoustic or None) if recording is not None else None,
        language=language_measures(recording),
        threshold=attempt.level.milestone_threshold,
    )


@transaction.atomic
def milestone_decide(*, attempt_id: int) -> MilestoneAttempt | None:
    """Settle an attempt's score and pass from its evaluation now, and pay the level's reward on its first pass.

    Called by the analysis task when a recording's analysis completes or fails (failed: decided on what is
    known), and after every review. Idempotent; concurrent calls are serialised by a lock on the attempt's row.
    An attempt still awaiting measures is left as it is (the task decides it when the analysis finishes). A pass
    stands: a later evaluation under the threshold keeps ``pass_bool``."""
    attempt = MilestoneAttempt.objects.select_for_update().filter(pk=attempt_id).first()
    if attempt is None:
        return None
    if awaiting_measures(attempt):
        return attempt
    evaluation = attempt_evaluation(attempt)
    passed = attempt.pass_bool or evaluation.passed
    if (attempt.score, attempt.pass_bool) != (evaluation.score, passed):
        attempt.score = evaluation.score
        attempt.pass_bool = passed
        attempt.save(update_fields=["score", "pass_bool"])
    _reward_first_pass(attempt)
    return attempt


@transaction.atomic
def milestone_review_request(*, user: User, attempt: MilestoneAttempt) -> MilestoneAttempt:
    """Share the attempt with the learner's teachers for review (asking twice keeps the first request)."""
    access.require_owner(attempt, user=user, message="Only the learner asks for a review of their attempt.")
    locked = MilestoneAttempt.objects.select_for_update().get(pk=attempt.pk)
    if locked.review_requested_at is None:
        locked.review_requested_at = timezone.now()
        locked.save(update_fields=["review_requested_at"])
    attempt.review_requested_at = locked.review_requested_at
    return attempt


@transaction.atomic
def milestone_review_withdraw(*, user: User, attempt: MilestoneAttempt) -> MilestoneAttempt:
    """Stop sharing the attempt for review, while no teacher has reviewed it (a review, once given, stays)."""
    access.require_owner(attempt, user=user, message="Only the learner withdraws their review request.")
    locked = MilestoneAttempt.objects.select_for_update().get(pk=attempt.pk)
    if MilestoneReview.objects.filter(attempt=locked).exists():
        raise Conflict(
            "This attempt has been reviewed.", errors={"review": ["A teacher has reviewed it; the request stays."]}
        )
    if locked.review_requested_at is not None:
        locked.review_requested_at = None
        locked.save(update_fields=["review_requested_at"])
    attempt.review_requested_at = None
    return attempt
