"""Milestones: a recorded speech per level, scored on a rubric; the first pass is rewarded."""

from django.core.files.uploadedfile import UploadedFile
from django.core.validators import URLValidator
from django.db import IntegrityError, transaction

from myApp.accounts.models import User
from myApp.accounts.services import profile_adjust_balance
from myApp.analytics import events
from myApp.analytics.services import track
from myApp.curriculum.models import Level, MilestoneAttempt, UserProgress
from myApp.lib.exceptions import Conflict, ServiceError

RUBRIC_CRITERIA = ("clarity", "structure", "pacing", "confidence", "engagement")
MAX_AUDIO_BYTES = 10 * 1024 * 1024
MAX_TRANSCRIPT = 20_000
# Leading bytes of the audio containers browsers and phones record.
_AUDIO_SIGNATURES = {
    "wav": lambda head: head[:4] == b"RIFF" and head[8:12] == b"WAVE",
    "mp3": lambda head: head[:3] == b"ID3" or (len(head) > 1 and head[0] == 0xFF and head[1] & 0xE0 == 0xE0),
    "ogg": lambda head: head[:4] == b"OggS",
    "webm": lambda head: head[:4] == b"\x1a\x45\xdf\xa3",
    "m4a": lambda head: head[4:8] == b"ftyp",
}


def validate_audio_upload(audio: UploadedFile) -> None:
    """Accept WAV, MP3, OGG, WebM or M4A up to 10 MB, judged by the bytes, not the name."""
    if audio.size is None or audio.size == 0:
        raise ServiceError("Invalid audio.", errors={"audio": ["The file is empty."]})
    if audio.size > MAX_AUDIO_BYTES:
        raise ServiceError("Invalid audio.", errors={"audio": ["Audio must be 10 MB or smaller."]})
    audio.seek(0)
    head = audio.read(16)
    audio.seek(0)
    if not any(matches(head) for matches in _AUDIO_SIGNATURES.values()):
        raise ServiceError("Invalid audio.", errors={"audio": ["Upload a WAV, MP3, OGG, WebM or M4A recording."]})


def validate_rubric(rubric_scores: object) -> dict[str, int]:
    if not isinstance(rubric_scores, dict) or not rubric_scores:
        raise ServiceError("Invalid rubric.", errors={"rubric_scores": ["Give at least one criterion score."]})
    unknown = sorted(set(rubric_scores) - set(RUBRIC_CRITERIA))
    if unknown:
        raise ServiceError(
            "Invalid rubric.",
            errors={"rubric_scores": [f"Unknown criteria: {', '.join(unknown)}. Use {', '.join(RUBRIC_CRITERIA)}."]},
        )
    cleaned = {}
    for criterion, score in rubric_scores.items():
        if isinstance(score, bool) or not isinstance(score, int) or not 0 <= score <= 100:
            raise ServiceError(
                "Invalid rubric.", errors={f"rubric_scores.{criterion}": ["A whole number from 0 to 100."]}
            )
        cleaned[criterion] = score
    return cleaned


def milestone_submit(
    *,
    user: User,
    level: Level,
    rubric_scores: dict,
    audio: UploadedFile | None = None,
    audio_url: str = "",
    transcript: str = "",
) -> MilestoneAttempt:
    """Record an attempt; it passes when the rubric average reaches the level's threshold.
    XP and coins are paid on the first pass only (a partial unique constraint holds that)."""
    level_modules = level.modules.values_list("pk", flat=True)
    completed = UserProgress.objects.filter(user=user, module__in=level_modules, completed_at__isnull=False)
    if completed.count() < len(level_modules):
        raise Conflict("Complete every module of this level first.", errors={"level": ["Modules remain."]})
    if bool(audio) == bool(audio_url):
        raise ServiceError("Send a recording.", errors={"audio": ["Upload a file or give an audio_url, not both."]})
    if audio:
        validate_audio_upload(audio)
    else:
        try:
            URLValidator(schemes=["https"])(audio_url)
        except Exception:
            raise ServiceError("Invalid audio URL.", errors={"audio_url": ["Give an https:// URL."]}) from None
    if len(transcript) > MAX_TRANSCRIPT:
        raise ServiceError("Transcript too long.", errors={"transcript": [f"At most {MAX_TRANSCRIPT} characters."]})
    scores = validate_rubric(rubric_scores)
    score = round(sum(scores.values()) / len(scores))
    passed = score >= level.milestone_threshold
    attempt = MilestoneAttempt(
        user=user,
        level=level,
        audio_url=audio_url,
        transcript=transcript,
        rubric_scores=scores,
        score=score,
        pass_bool=passed,
        rewarded=passed,
    )
    if audio:
        attempt.audio.save(audio.name, audio, save=False)
    with transaction.atomic():
        try:
            with transaction.atomic():
                attempt.save()
        except IntegrityError:  # an earlier (or concurrent) pass already took the reward
            attempt.rewarded = False
            attempt.save()
        if attempt.rewarded:
            profile_adjust_balance(user=user, xp=level.milestone_xp_reward, coins=level.milestone_coin_reward)
        track(
            event_type=events.MILESTONE_SUBMITTED,
            user=user,
            data={"level": level.number, "score": score, "passed": passed, "rewarded": attempt.rewarded},
        )
    return attempt
