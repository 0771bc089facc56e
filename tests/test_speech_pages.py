"""The speech practice pages: a recording's feedback page and the progress page, the feedback and chart modules
behind them, the impromptu topics, and the recorder's place in the milestone and amphitheatre forms.

Recordings are written as rows with acoustic dicts of the shape ``acoustics.measure`` stores: the pages read what
is stored, whatever produced it (the analysis itself is tested in test_speech_acoustics / test_speech_pipeline).
"""

import datetime
import re

import pytest
from django.urls import reverse
from django.utils import timezone

from myApp.curriculum import services as curriculum_services
from myApp.curriculum.models import AnalysisStatus, SpeechRecording
from myApp.curriculum.speech import charts, feedback, targets, topics

ACOUSTIC = {
    "version": 1,
    "duration_seconds": 20.0,
    "speaking_seconds": 14.0,
    "silence_seconds": 6.0,
    "segments": [[0.5, 6.0], [6.8, 12.0], [16.0, 19.5]],
    "pauses": [{"start": 6.0, "end": 6.8, "seconds": 0.8}, {"start": 12.0, "end": 16.0, "seconds": 4.0}],
    "pause_count": 2,
    "longest_pause_seconds": 4.0,
    "pauses_per_minute": 6.32,
    "pitch": {"median_hz": 180.0, "variability_semitones": 1.2, "range_semitones": 5.0, "voiced_seconds": 10.0},
    "monotone": True,
    "loudness": {"mean_db": 62.0, "variability_db": 3.1},
    "loudness_consistent": True,
}


def _recording(user, *, status=AnalysisStatus.COMPLETED, acoustic=None, transcript="", when=None, **fields):
    recording = SpeechRecording.objects.create(
        user=user,
        purpose="amphitheatre",
        audio=f"{user.pk}/take.wav",
        source_format="webm",
        source_bytes=12_345,
        duration_seconds=20.0,
        transcript=transcript,
        transcript_source="learner" if transcript else "",
        acoustic=ACOUSTIC if acoustic is None and status == AnalysisStatus.COMPLETED else (acoustic or {}),
        analysis_status=status,
        analysed_at=timezone.now() if status == AnalysisStatus.COMPLETED else None,
        **fields,
    )
    if when is not None:
        SpeechRecording.objects.filter(pk=recording.pk).update(created_at=when)
    return recording


def _page(client, user, recording):
    client.force_login(user)
    return client.get(reverse("curriculum:recording", args=[recording.pk]))


# --- The feedback page ---------------------------------------------------------------------------------------


def test_it_shows_a_pending_recording_as_pending_and_refreshes(client, owner):
    recording = _recording(owner, status=AnalysisStatus.PENDING)
    response = _page(client, owner, recording)
    body = response.content.decode()
    assert response.status_code == 200
    assert '<noscript><meta http-equiv="refresh" content="3"></noscript>' in body  # without JavaScript
    assert f'data-recording-status-url="/api/v1/recordings/{recording.pk}/"' in body  # with it
    assert "recording-status.js" in body
    assert "Waiting to be analysed" in body
    assert 'data-testid="timeline"' not in body and 'data-testid="measure-' not in body
    assert f'src="/learn/recordings/{recording.pk}/audio.wav"' in body


def test_it_shows_a_completed_recording_with_its_timeline_and_measures(client, owner):
    recording = _recording(owner)
    response = _page(client, owner, recording)
    body = response.content.decode()
    assert response.status_code == 200
    assert "http-equiv" not in body and "recording-status.js" not in body  # finished: no more refreshing
    assert body.count('class="pause-long"') == 1 and body.count('class="pause"') == 1
    assert body.count('class="speech"') == 3
    for name in ("speaking_time", "pauses", "longest_pause", "pitch_variety", "loudness"):
        assert f'data-testid="measure-{name}"' in body
    assert "1.2 semitones (monotone)" in body
    assert "Lift your voice on the key word" in body  # below the pitch-variety band
    assert "repeat your last point" in body  # the 4 s pause is over the longest-pause target
    assert 'data-testid="measure-pace"' not in body  # no transcript: no pace
    assert 'data-testid="no-transcript"' in body


def test_it_shows_a_failed_recording_with_its_reason_and_a_way_to_run_it_again(client, owner):
    recording = _recording(owner, status=AnalysisStatus.FAILED, analysis_error="The audio could not be read.")
    body = _page(client, owner, recording).content.decode()
    assert "The audio could not be read." in body
    assert reverse("curriculum:recording_reanalyse", args=[recording.pk]) in body
    assert "http-equiv" not in body


def test_it_runs_a_failed_analysis_again_from_the_page(client, owner, monkeypatch):
    queued = []
    monkeypatch.setattr("myApp.curriculum.services.speech._enqueue", queued.append)
    recording = _recording(owner, status=AnalysisStatus.FAILED, analysis_error="boom")
    client.force_login(owner)
    with_commit = client.post(reverse("curriculum:recording_reanalyse", args=[recording.pk]))
    assert with_commit.status_code == 302
    recording.refresh_from_db()
    assert recording.analysis_status == AnalysisStatus.PENDING


def test_it_refuses_to_run_a_completed_analysis_again(client, owner):
    recording = _recording(owner)
    client.force_login(owner)
    response = client.post(reverse("curriculum:recording_reanalyse", args=[recording.pk]))
    assert response.status_code == 409
    recording.refresh_from_db()
    assert recording.analysis_status == AnalysisStatus.COMPLETED


@pytest.mark.parametrize("who", ["outsider", "staff", "member"])
def test_it_hides_a_recording_from_everyone_but_its_owner(client, owner, request, who):
    recording = _recording(owner)
    other = request.getfixturevalue(who)
    client.force_login(other)
    assert client.get(reverse("curriculum:recording", args=[recording.pk])).status_code == 404
    url = reverse("curriculum:recording_transcript", args=[recording.pk])
    assert client.post(url, {"transcript": "mine now"}).status_code == 404
    recording.refresh_from_db()
    assert recording.transcript == ""


def test_it_asks_to_log_in_first(client, owner):
    recording = _recording(owner)
    response = client.get(reverse("curriculum:recording", args=[recording.pk]))
    assert response.status_code == 302 and "/login/" in response["Location"]


def test_it_saves_a_transcript_from_the_page(client, owner):
    recording = _recording(owner)
    client.force_login(owner)
    url = reverse("curriculum:recording_transcript", args=[recording.pk])
    response = client.post(url, {"transcript": "Um, so today I want to talk about bridges."})
    assert response.status_code == 302
    recording.refresh_from_db()
    assert recording.transcript == "Um, so today I want to talk about bridges."
    assert recording.transcript_source == "learner"


def test_it_refuses_a_transcript_that_is_too_long_with_a_field_message(client, owner):
    recording = _recording(owner)
    client.force_login(owner)
    url = reverse("curriculum:recording_transcript", args=[recording.pk])
    response = client.post(url, {"transcript": "word " * 5000})
    assert response.status_code == 400
    assert "at most 20000 characters" in response.content.decode().replace(",", "")
    recording.refresh_from_db()
    assert recording.transcript == ""


def test_it_refuses_a_transcript_with_a_nul_byte(client, owner):
    recording = _recording(owner)
    client.force_login(owner)
    url = reverse("curriculum:recording_transcript", args=[recording.pk])
    response = client.post(url, {"transcript": "hello\x00there"})
    assert response.status_code == 400
    recording.refresh_from_db()
    assert recording.transcript == ""


def test_it_escapes_a_transcript_and_a_topic(client, owner):
    recording = _recording(owner, transcript="Um, <script>alert(1)</script> you know & so on", topic="<b>x</b>")
    body = _page(client, owner, recording).content.decode()
    assert "<script>alert(1)</script>" not in body and "<b>x</b>" not in body
    assert "&lt;script&gt;alert(1)&lt;/script&gt;" in body
    assert "&lt;b&gt;x&lt;/b&gt;" in body


def test_it_marks_filler_words_in_the_transcript_and_measures_pace(client, owner):
    recording = _recording(owner, transcript="Um, I think we should, you know, build the bridge. Uh, it matters.")
    body = _page(client, owner, recording).content.decode()
    transcript = re.search(r'data-testid="transcript">(.*?)</p>', body, re.S).group(1)
    marked = re.findall(r'<mark class="filler">(.*?)</mark>', transcript)
    assert [word.lower() for word in marked] == ["um", "you know", "uh"]
    assert 'data-testid="measure-pace"' in body and 'data-testid="measure-fillers"' in body


def test_it_marks_filler_times_on_the_timeline_when_the_words_have_times(client, owner):
    words = [
        {"word": "Um", "start": 0.6, "end": 0.9},
        {"word": "hello", "start": 1.0, "end": 1.4},
        {"word": "uh", "start": 7.0, "end": 7.3},
        {"word": "world", "start": 7.4, "end": 7.9},
    ]
    recording = _recording(owner, transcript="Um hello uh world", transcript_words=words)
    body = _page(client, owner, recording).content.decode()
    assert body.count('<path class="filler"') == 2


def test_it_reads_a_recording_page_in_constant_queries(client, owner, django_assert_max_num_queries):
    recording = _recording(owner, transcript="Um, hello there, you know.")
    client.force_login(owner)
    client.get(reverse("curriculum:recording", args=[recording.pk]))  # warm the session
    with django_assert_max_num_queries(4):  # the user (and the session without Redis), the recording
        assert client.get(reverse("curriculum:recording", args=[recording.pk])).status_code == 200


# --- The progress page -----------------------------------------------------------------------------------


def test_it_shows_an_empty_progress_page_that_leads_to_practice(client, owner):
    client.force_login(owner)
    body = client.get(reverse("curriculum:speech_progress")).content.decode()
    assert 'data-testid="empty"' in body
    assert reverse("curriculum:amphitheatre") in body and reverse("curriculum:district_map") in body
    assert "<svg" not in body


def test_it_charts_one_attempt(client, owner):
    recording = _recording(owner, transcript="Um, so, hello there everyone.")
    client.force_login(owner)
    body = client.get(reverse("curriculum:speech_progress")).content.decode()
    for band in ("pace", "pauses", "pitch_variety", "fillers"):
        assert f'data-testid="progress-{band}"' in body
    assert reverse("curriculum:recording", args=[recording.pk]) in body
    assert body.count("<circle") == 4  # one dot on each chart


def test_it_lists_only_the_owners_analysed_recordings(client, owner, outsider):
    mine = _recording(owner)
    pending = _recording(owner, status=AnalysisStatus.PENDING)
    theirs = _recording(outsider)
    client.force_login(owner)
    body = client.get(reverse("curriculum:speech_progress")).content.decode()
    assert f'data-testid="attempt-{mine.pk}"' in body
    assert f'data-testid="attempt-{pending.pk}"' not in body and f'data-testid="attempt-{theirs.pk}"' not in body
    assert "1 recording still being analysed" in body


def test_it_reads_the_progress_page_in_constant_queries(client, owner, django_assert_max_num_queries):
    start = timezone.now() - datetime.timedelta(days=200)
    for day in range(3):
        _recording(owner, when=start + datetime.timedelta(days=day), transcript="so um hello")
    client.force_login(owner)
    client.get(reverse("curriculum:speech_progress"))
    with django_assert_max_num_queries(5) as few:  # the user (+ session), the series, the unfinished count
        client.get(reverse("curriculum:speech_progress"))
    for day in range(3, 103):
        _recording(owner, when=start + datetime.timedelta(days=day))
    with django_assert_max_num_queries(len(few.captured_queries)):
        body = client.get(reverse("curriculum:speech_progress")).content.decode()
    assert body.count('data-testid="attempt-') == 100  # the last hundred


# --- Feedback, pure ------------------------------------------------------------------------------------------


def _by_name(rows):
    return {row.name: row for row in rows}


@pytest.mark.parametrize(
    ("wpm", "within", "hint"),
    [(190.0, False, "Pause for a breath at each full stop"), (135.0, True, "easy to follow"), (80.0, False, "Join")],
)
def test_it_suggests_by_where_the_pace_falls(wpm, within, hint):
    language = {"word_count": 50, "words_per_minute": wpm, "fillers": [], "filler_count": 0, "fillers_per_minute": 0}
    pace = _by_name(feedback.measures_from(None, language))["pace"]
    assert pace.within is within and hint in pace.suggestion
    assert pace.band == targets.PACE.describe() == "110-160 words per minute"


def test_it_names_the_fillers_heard_and_flags_too_many():
    language = {
        "words_per_minute": 140.0,
        "fillers": [{"text": "um"}, {"text": "Um"}, {"text": "like"}],
        "filler_count": 3,
        "fillers_per_minute": 6.0,
        "repeats": [{"text": "the the"}],
        "hedges": [],
        "hedge_count": 0,
    }
    rows = _by_name(feedback.measures_from(None, language))
    assert rows["fillers"].within is False and "like, um" in rows["fillers"].value
    assert rows["repeats"].within is False and rows["hedges"].within is True


def test_it_says_what_is_unknown_instead_of_guessing():
    acoustic = {**ACOUSTIC, "pitch": {"median_hz": None, "variability_semitones": None}, "monotone": None}
    rows = _by_name(feedback.measures_from(acoustic, {"words_per_minute": None, "fillers_per_minute": None}))
    assert rows["pitch_variety"].value == feedback.UNKNOWN and rows["pitch_variety"].within is None
    assert rows["pace"].value == feedback.UNKNOWN and "transcript" in rows["pace"].suggestion


def test_it_praises_pauses_within_the_band_and_asks_for_some_when_there_are_none():
    rows = _by_name(feedback.measures_from({**ACOUSTIC, "pauses_per_minute": 0.0, "pause_count": 0}, None))
    assert rows["pauses"].within is False and "Pause on purpose" in rows["pauses"].suggestion
    assert rows["longest_pause"].value == "No pauses"
    rows = _by_name(feedback.measures_from(ACOUSTIC, None))
    assert rows["pauses"].within is True


def test_it_cuts_the_transcript_around_overlapping_marks():
    text = "Um you know it works"
    language = {
        "fillers": [{"text": "Um", "start": 0, "end": 2}, {"text": "you know", "start": 3, "end": 11}],
        "hedges": [{"text": "know", "start": 7, "end": 11}, {"text": "bad", "start": 40, "end": 50}],
    }
    parts = feedback.marked_transcript(text, language)
    assert "".join(part.text for part in parts) == text
    assert [(part.text, part.kind) for part in parts if part.kind] == [("Um", "filler"), ("you know", "filler")]


# --- Charts --------------------------------------------------------------------------------------------------


def test_it_draws_a_timeline_without_scripts_or_styles():
    svg = str(charts.timeline(ACOUSTIC, [0.7, 30.0]))
    assert "<script" not in svg and "style=" not in svg and "<style" not in svg
    assert svg.count('class="filler"') == 1  # the one past the end is left out
    ticks = re.findall(r">(\d+)s</text>", svg)
    assert ticks == ["0", "2", "4", "6", "8", "10", "12", "14", "16", "18", "20"]


def test_it_draws_a_timeline_of_an_unanalysed_recording():
    assert "Not analysed yet" in str(charts.timeline({}))


@pytest.mark.parametrize("count", [0, 1, 100])
def test_it_draws_progress_for_any_number_of_attempts(count):
    start = datetime.datetime(2026, 1, 1, tzinfo=datetime.UTC)
    points = [charts.ProgressPoint(start + datetime.timedelta(days=n), 100.0 + n) for n in range(count)]
    svg = str(charts.progress(targets.PACE, points, testid="pace"))
    assert svg.count("<circle") == count
    assert 'class="band"' in svg or count == 0
    assert ('<path class="line"' in svg) is (count > 1)
    coordinates = [float(v) for v in re.findall(r'c[xy]="([\d.]+)"', svg)]
    assert all(0 <= value <= 640 for value in coordinates)


def _axis_labels(svg: str) -> list[str]:
    return re.findall(r'<text x="[\d.]+" y="220" font-size="13"[^>]*>([^<]*)</text>', svg)


def test_a_progress_chart_of_one_day_labels_its_ends_by_time():
    """Review 1125: recordings all from one day gave both ends of the x-axis the same date."""
    morning = datetime.datetime(2026, 1, 1, 9, 5, tzinfo=datetime.UTC)
    points = [charts.ProgressPoint(morning, 120.0), charts.ProgressPoint(morning.replace(hour=17, minute=40), 130.0)]
    labels = _axis_labels(str(charts.progress(targets.PACE, points, testid="pace")))
    assert labels == ["1 Jan 2026, 09:05", "1 Jan 2026, 17:40"]


def test_a_progress_chart_of_several_days_labels_its_ends_by_date():
    start = datetime.datetime(2026, 1, 1, 9, 5, tzinfo=datetime.UTC)
    points = [charts.ProgressPoint(start, 120.0), charts.ProgressPoint(start + datetime.timedelta(days=3), 130.0)]
    assert _axis_labels(str(charts.progress(targets.PACE, points, testid="pace"))) == ["1 Jan 2026", "4 Jan 2026"]


def test_it_leaves_unmeasured_attempts_out_of_a_progress_chart():
    start = datetime.datetime(2026, 1, 1, tzinfo=datetime.UTC)
    points = [charts.ProgressPoint(start, None), charts.ProgressPoint(start, 120.0)]
    assert str(charts.progress(targets.PACE, points, testid="pace")).count("<circle") == 1


def test_it_escapes_what_reaches_a_chart():
    band = targets.Band("x", "<b>", "<i>", 1, 2)
    svg = str(charts.progress(band, [charts.ProgressPoint(timezone.now(), 1.5)], testid="x"))
    assert "<b>" not in svg and "<i>" not in svg and "&lt;b&gt;" in svg


# --- Topics and the recorder in the forms --------------------------------------------------------------------


def test_it_has_at_least_forty_distinct_topics_and_draws_them_reproducibly():
    assert len(set(topics.TOPICS)) == len(topics.TOPICS) >= 40
    assert topics.draw(seed=7) == topics.draw(seed=7)
    assert len({topics.draw(seed=n) for n in range(200)}) > 20  # seeds spread over the list


def test_it_shows_a_topic_and_a_one_minute_target_on_the_impromptu_exercise(client, owner):
    client.force_login(owner)
    curriculum_services.amphitheatre_hub(user=owner)
    body = client.get(reverse("curriculum:amphitheatre")).content.decode()
    topic = re.search(r'data-testid="topic-impromptu">Your topic: <strong>(.*?)</strong>', body).group(1)
    assert topic.replace("&#x27;", "'") in topics.TOPICS
    assert 'name="topic" value=' in body
    assert 'data-target-label="one minute"' in body and 'data-target-label="90 seconds"' in body
    assert 'src="/static/js/recorder.js"' in body and body.count("recorder.js") == 1
    assert reverse("curriculum:speech_progress") in body


def test_it_puts_the_recorder_in_the_milestone_form(client, owner, curriculum):
    client.force_login(owner)
    body = client.get(reverse("curriculum:milestone", args=[curriculum.level.number])).content.decode()
    form = re.search(r'data-testid="milestone-form">(.*?)</form>', body, re.S).group(1)
    assert 'name="audio"' in form and "data-recorder" in form
    assert 'enctype="multipart/form-data"' in body


def test_it_links_the_progress_page_from_the_navigation(client, owner):
    client.force_login(owner)
    body = client.get(reverse("accounts:home")).content.decode()
    assert f'href="{reverse("curriculum:speech_progress")}"' in body


def test_it_links_a_recorded_exercise_to_its_feedback_in_the_history(client, owner, django_assert_max_num_queries):
    session, _ = curriculum_services.amphitheatre_hub(user=owner)
    scores = {"clarity": 70, "structure": 70, "pacing": 70, "confidence": 70, "engagement": 70}
    with_recording = curriculum_services.amphitheatre_submit(
        user=owner, session=session, exercise_key="impromptu", scores=scores
    )
    curriculum_services.amphitheatre_submit(user=owner, session=session, exercise_key="story", scores=scores)
    recording = _recording(owner, amphitheatre_record=with_recording)
    client.force_login(owner)
    client.get(reverse("curriculum:amphitheatre_history"))
    with django_assert_max_num_queries(8):
        body = client.get(reverse("curriculum:amphitheatre_history")).content.decode()
    assert body.count("Feedback on your recording") == 1
    assert reverse("curriculum:recording", args=[recording.pk]) in body
    hub = client.get(reverse("curriculum:amphitheatre")).content.decode()  # the open visit's list too
    assert hub.count("Feedback on your recording") == 1
    assert f'href="{reverse("curriculum:recording", args=[recording.pk])}"' in hub


def test_it_gives_feedback_on_a_talk_analysed_by_the_real_pipeline(client, owner, django_capture_on_commit_callbacks):
    """Real espeak-ng speech through intake, acoustics and language: every measure has a figure and a band."""
    from myApp.curriculum.services import speech as speech_services
    from tests.speech_helpers import analysed_recording

    recording = analysed_recording(owner, django_capture_on_commit_callbacks)
    assert recording.analysis_status == AnalysisStatus.COMPLETED
    speech_services.recording_set_transcript(
        user=owner,
        recording=recording,
        transcript="Um, good evening everyone. So tonight I want to talk about bridges.",
    )
    body = _page(client, owner, recording).content.decode()
    values = dict(re.findall(r'data-testid="measure-(\w+)-value">([^<]*)<', body))
    assert set(values) == {
        "speaking_time",
        "pauses",
        "longest_pause",
        "pitch_variety",
        "loudness",
        "pace",
        "fillers",
        "repeats",
        "hedges",
    }
    assert feedback.UNKNOWN not in (values["speaking_time"], values["pauses"], values["pace"], values["fillers"])
    assert body.count('class="pause"') + body.count('class="pause-long"') == recording.acoustic["pause_count"] >= 2
    transcript = re.search(r'data-testid="transcript">(.*?)</p>', body, re.S).group(1)
    assert re.findall(r'<mark class="filler">(.*?)</mark>', transcript) == ["Um", "So"]


def test_it_limits_how_many_recordings_a_learner_uploads_from_the_page(client, owner, monkeypatch):
    """Each recording costs an ffmpeg run and disk: past ``THROTTLE_RECORDING_RATE`` the amphitheatre form answers
    429 with the way back and keeps nothing; a submission without a recording is not counted."""
    from django.core.files.uploadedfile import SimpleUploadedFile

    from myApp.curriculum.speech.rubric import ASSESSED_CRITERIA
    from myApp.curriculum.throttling import RecordingRateThrottle
    from tests.speech_helpers import talk_webm

    monkeypatch.setattr(RecordingRateThrottle, "THROTTLE_RATES", {"recording": "2/hour"})
    visit, _ = curriculum_services.amphitheatre_hub(user=owner)
    client.force_login(owner)
    url = reverse("curriculum:amphitheatre_submit", args=[visit.pk])
    scores = {"exercise_key": visit.plan[0]["key"], **dict.fromkeys(ASSESSED_CRITERIA, 70)}

    def post(with_audio: bool):
        audio = {"audio": SimpleUploadedFile("talk.webm", talk_webm(), content_type="audio/webm")} if with_audio else {}
        return client.post(url, {**scores, **audio}).status_code

    assert [post(True), post(False), post(True), post(False), post(True)] == [302, 302, 302, 302, 429]
    assert SpeechRecording.objects.filter(user=owner).count() == 2
