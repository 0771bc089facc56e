"""Recording a talk in a real browser (Chromium) under the enforced Content Security Policy.

Chromium's fake media device plays a WAV generated with espeak-ng (``tests/speech_audio.py``) as the microphone:
the recorder records it, plays it back, puts the take into the form's file input, and the form posts it like a
chosen file. Screenshots are left in ``tests.browser.artifacts_dir()`` for a person to look at (desktop width and
a phone's 390x844).
"""

import pytest
from selenium import webdriver
from selenium.webdriver.chrome.service import Service
from selenium.webdriver.common.by import By
from selenium.webdriver.support import expected_conditions
from selenium.webdriver.support.ui import WebDriverWait

from myApp.curriculum import services as curriculum_services
from myApp.curriculum.models import AnalysisStatus, SpeechRecording
from tests import speech_audio
from tests.browser import CHROMEDRIVER, CHROMIUM, FLAGS, artifacts_dir, csp_violations, log_in
from tests.factories import PASSWORD

RECORD_SECONDS = 4
TALK_SECONDS = 7  # long enough to take in the fake microphone's one-second pause


@pytest.fixture(scope="module")
def microphone_wav(tmp_path_factory) -> str:
    """What the fake microphone says: a few sentences at a steady pace with a pause, looped by Chromium."""
    talk = speech_audio.concat(
        speech_audio.silence(0.3),
        speech_audio.speak("Today I want to tell you about the bridge in my town.", wpm=150),
        speech_audio.silence(1.0),
        speech_audio.speak("It was built a hundred years ago, and it still carries the morning traffic.", wpm=150),
        speech_audio.silence(0.5),
    )
    path = tmp_path_factory.mktemp("microphone") / "talk.wav"
    path.write_bytes(talk)
    return str(path)


def _chromium(*extra: str):
    options = webdriver.ChromeOptions()
    options.binary_location = CHROMIUM
    for flag in (*FLAGS, *extra):
        options.add_argument(flag)
    options.set_capability("goog:loggingPrefs", {"browser": "ALL"})
    driver = webdriver.Chrome(service=Service(CHROMEDRIVER), options=options)
    driver.implicitly_wait(5)
    return driver


@pytest.fixture
def speaking_browser(microphone_wav):
    """Chromium whose microphone is allowed without asking and plays ``microphone_wav``."""
    driver = _chromium(
        "--use-fake-ui-for-media-stream",
        "--use-fake-device-for-media-stream",
        f"--use-file-for-fake-audio-capture={microphone_wav}",
        "--autoplay-policy=no-user-gesture-required",
    )
    yield driver
    driver.quit()


@pytest.fixture
def microphoneless_browser():
    """Chromium that refuses every permission prompt: getUserMedia fails as if the learner said no."""
    driver = _chromium("--deny-permission-prompts")
    yield driver
    driver.quit()


def _record(driver, form, seconds: float = RECORD_SECONDS) -> None:
    recorder = form.find_element(By.CSS_SELECTOR, "[data-recorder]")
    WebDriverWait(driver, 5).until(lambda _: recorder.is_displayed())  # the script enabled it
    recorder.find_element(By.CSS_SELECTOR, "[data-recorder-start]").click()
    time = recorder.find_element(By.CSS_SELECTOR, "[data-recorder-time]")
    meter = recorder.find_element(By.CSS_SELECTOR, "[data-recorder-level]")
    levels = []  # the meter, read while the fake microphone speaks (and is silent between sentences)
    WebDriverWait(driver, 10, poll_frequency=0.1).until(
        lambda _: levels.append(float(meter.get_attribute("value"))) or time.text == f"00:0{int(seconds)}"
    )
    level = max(levels)
    assert "Recording" in recorder.find_element(By.CSS_SELECTOR, "[data-recorder-status]").text
    recorder.find_element(By.CSS_SELECTOR, "[data-recorder-stop]").click()
    WebDriverWait(driver, 10).until(
        lambda _: "Recorded 00:0" in recorder.find_element(By.CSS_SELECTOR, "[data-recorder-status]").text
    )
    return level


def _playable_seconds(driver, form) -> float:
    """Play the take back (its duration is known once the browser has read it) and return its length."""
    audio = form.find_element(By.CSS_SELECTOR, "[data-recorder-playback]")
    assert audio.is_displayed() and audio.get_attribute("src").startswith("blob:")
    driver.execute_script("arguments[0].play();", audio)
    WebDriverWait(driver, 10).until(lambda _: driver.execute_script("return arguments[0].currentTime", audio) > 0.5)
    driver.execute_script("arguments[0].pause(); arguments[0].currentTime = 1e9;", audio)  # webm: seek to know
    WebDriverWait(driver, 10).until(
        lambda _: (driver.execute_script("return arguments[0].duration", audio) or 0) not in (0, float("inf"))
    )
    return driver.execute_script("return arguments[0].duration", audio)


def _chosen_file(driver, form) -> dict:
    return driver.execute_script(
        "var f = arguments[0].querySelector('input[type=file][name=audio]').files[0];"
        "return f ? {name: f.name, type: f.type, size: f.size} : null;",
        form,
    )


def _screenshot(driver, name: str) -> None:
    height = driver.execute_script("return document.documentElement.scrollHeight")
    width = driver.execute_script("return window.innerWidth")
    driver.set_window_size(max(width, 390), min(height + 140, 6000))
    assert driver.save_screenshot(str(artifacts_dir() / name))


def test_it_records_plays_back_and_fills_the_milestone_form(speaking_browser, live_server, owner, curriculum):
    driver = speaking_browser
    log_in(driver, live_server, owner.username, PASSWORD)
    driver.get(f"{live_server.url}/learn/levels/{curriculum.level.number}/milestone/")
    form = driver.find_element(By.CSS_SELECTOR, "[data-testid=milestone-form]")

    level = _record(driver, form)

    assert level > 0  # the meter moved while the fake microphone spoke
    assert RECORD_SECONDS - 1 <= _playable_seconds(driver, form) <= RECORD_SECONDS + 2
    chosen = _chosen_file(driver, form)
    assert chosen["type"] == "audio/webm" and chosen["name"].endswith(".webm") and chosen["size"] > 5_000
    # Record again: the take is dropped and a new one replaces it.
    form.find_element(By.CSS_SELECTOR, "[data-recorder-reset]").click()
    status = form.find_element(By.CSS_SELECTOR, "[data-recorder-status]")
    WebDriverWait(driver, 5).until(lambda _: "Recording" in status.text)
    assert not form.find_element(By.CSS_SELECTOR, "[data-recorder-playback]").is_displayed()
    # Stop once the new take has a second of audio (its timer says so), not at once: a take stopped before the
    # recorder delivered any data holds nothing, which is not what this checks.
    timer = form.find_element(By.CSS_SELECTOR, "[data-recorder-time]")
    WebDriverWait(driver, 10, poll_frequency=0.1).until(lambda _: timer.text >= "00:01")
    form.find_element(By.CSS_SELECTOR, "[data-recorder-stop]").click()
    WebDriverWait(driver, 10).until(lambda _: "Recorded" in status.text)
    WebDriverWait(driver, 10).until(lambda _: _chosen_file(driver, form)["size"] > 0)
    assert csp_violations(driver) == []


def test_it_says_so_and_keeps_the_upload_when_the_microphone_is_refused(
    microphoneless_browser, live_server, owner, curriculum
):
    driver = microphoneless_browser
    log_in(driver, live_server, owner.username, PASSWORD)
    driver.get(f"{live_server.url}/learn/levels/{curriculum.level.number}/milestone/")
    form = driver.find_element(By.CSS_SELECTOR, "[data-testid=milestone-form]")
    recorder = form.find_element(By.CSS_SELECTOR, "[data-recorder]")
    WebDriverWait(driver, 5).until(lambda _: recorder.is_displayed())
    recorder.find_element(By.CSS_SELECTOR, "[data-recorder-start]").click()
    status = recorder.find_element(By.CSS_SELECTOR, "[data-recorder-status]")
    WebDriverWait(driver, 10).until(lambda _: "choose an audio file" in status.text)
    assert "refused" in status.text or "No microphone" in status.text
    assert form.find_element(By.CSS_SELECTOR, "input[type=file][name=audio]").is_enabled()
    assert csp_violations(driver) == []


def _set(form, name: str, value: str) -> None:
    field = form.find_element(By.NAME, name)
    field.clear()
    field.send_keys(value)


@pytest.mark.parametrize(("width", "height", "name"), [(1280, 1000, "desktop"), (390, 844, "phone")])
def test_it_records_an_impromptu_talk_and_shows_its_feedback(
    speaking_browser, live_server, owner, curriculum, width, height, name
):
    driver = speaking_browser
    driver.set_window_size(width, height)
    curriculum_services.amphitheatre_hub(user=owner)
    log_in(driver, live_server, owner.username, PASSWORD)
    driver.get(f"{live_server.url}/learn/amphitheatre/")
    form = driver.find_element(By.CSS_SELECTOR, "[data-testid=form-impromptu]")
    topic = driver.find_element(By.CSS_SELECTOR, "[data-testid=topic-impromptu] strong").text
    assert "one minute" in form.find_element(By.CSS_SELECTOR, ".recorder-timer").text

    _record(driver, form, seconds=TALK_SECONDS)
    assert _playable_seconds(driver, form) >= TALK_SECONDS - 1
    _screenshot(driver, f"speech-recorder-{name}.png")
    for criterion in form.find_elements(By.CSS_SELECTOR, ".score-grid input"):
        criterion.clear()
        criterion.send_keys("70")
    driver.execute_script("arguments[0].requestSubmit();", form)

    WebDriverWait(driver, 30).until(lambda _: SpeechRecording.objects.filter(user=owner).exists())
    recording = SpeechRecording.objects.get(user=owner)
    assert recording.topic == topic and recording.source_format == "webm"
    driver.get(f"{live_server.url}/learn/recordings/{recording.pk}/")
    WebDriverWait(driver, 30).until(
        expected_conditions.presence_of_element_located((By.CSS_SELECTOR, "[data-testid=measure-pitch_variety]"))
    )
    recording.refresh_from_db()
    assert recording.analysis_status == AnalysisStatus.COMPLETED
    assert TALK_SECONDS - 1 <= recording.acoustic["duration_seconds"] <= TALK_SECONDS + 2
    assert recording.acoustic["speaking_seconds"] > 3 and recording.acoustic["pause_count"] >= 1
    assert driver.find_element(By.CSS_SELECTOR, "[data-testid=timeline]").is_displayed()
    speaking = driver.find_element(By.CSS_SELECTOR, "[data-testid=measure-speaking_time-value]").text
    assert "of speech in" in speaking
    assert driver.execute_script("return document.documentElement.scrollWidth <= window.innerWidth")
    audio = driver.find_element(By.CSS_SELECTOR, "[data-testid=recording-audio]")
    WebDriverWait(driver, 10).until(lambda _: driver.execute_script("return arguments[0].readyState", audio) >= 1)
    assert csp_violations(driver) == []
    _screenshot(driver, f"speech-feedback-{name}.png")

    driver.set_window_size(width, height)
    driver.find_element(By.LINK_TEXT, "All your recordings").click()
    chart = driver.find_element(By.CSS_SELECTOR, "[data-testid=progress-pauses]")
    assert chart.is_displayed() and chart.size["width"] > 300
    row = driver.find_element(By.CSS_SELECTOR, f"[data-testid=attempt-{recording.pk}]")
    assert "Amphitheatre" in row.text
    assert driver.execute_script("return document.documentElement.scrollWidth <= window.innerWidth")  # no sideways
    assert csp_violations(driver) == []
    _screenshot(driver, f"speech-progress-{name}.png")


def test_it_records_a_milestone_talk_and_reaches_its_feedback_from_the_result(
    speaking_browser, live_server, owner, curriculum, complete_lesson
):
    driver = speaking_browser
    curriculum_services.curriculum_start(user=owner)
    for lesson in [*curriculum.lessons_a, *curriculum.lessons_b]:
        complete_lesson(owner, lesson)
    log_in(driver, live_server, owner.username, PASSWORD)
    driver.get(f"{live_server.url}/learn/levels/{curriculum.level.number}/milestone/")
    form = driver.find_element(By.CSS_SELECTOR, "[data-testid=milestone-form]")

    _record(driver, form, seconds=TALK_SECONDS)
    for criterion in form.find_elements(By.CSS_SELECTOR, ".score-grid input"):
        criterion.clear()
        criterion.send_keys("80")
    driver.execute_script("arguments[0].requestSubmit();", form)

    link = WebDriverWait(driver, 30).until(
        expected_conditions.presence_of_element_located((By.CSS_SELECTOR, "[data-testid=recording-feedback]"))
    )
    link.click()
    WebDriverWait(driver, 30).until(
        expected_conditions.presence_of_element_located((By.CSS_SELECTOR, "[data-testid=measure-pauses]"))
    )
    recording = SpeechRecording.objects.get(user=owner)
    assert recording.milestone_attempt_id is not None and recording.purpose == "milestone"
    assert driver.find_element(By.TAG_NAME, "h1").text == "Milestone recording"
    assert driver.find_element(By.CSS_SELECTOR, "[data-testid=measure-pauses-value]").text != "Not measured"
    assert csp_violations(driver) == []


def test_it_stops_at_the_longest_talk_and_warns_of_a_too_short_one(
    speaking_browser, live_server, owner, curriculum, settings
):
    settings.SPEECH_MIN_SECONDS, settings.SPEECH_MAX_SECONDS = 2, 3
    driver = speaking_browser
    log_in(driver, live_server, owner.username, PASSWORD)
    driver.get(f"{live_server.url}/learn/levels/{curriculum.level.number}/milestone/")
    recorder = driver.find_element(By.CSS_SELECTOR, "[data-testid=milestone-form] [data-recorder]")
    WebDriverWait(driver, 5).until(lambda _: recorder.is_displayed())
    status = recorder.find_element(By.CSS_SELECTOR, "[data-recorder-status]")

    recorder.find_element(By.CSS_SELECTOR, "[data-recorder-start]").click()
    WebDriverWait(driver, 10).until(lambda _: "Stopped at the longest talk accepted (00:03)" in status.text)

    recorder.find_element(By.CSS_SELECTOR, "[data-recorder-reset]").click()
    WebDriverWait(driver, 5).until(lambda _: "Recording" in status.text)
    recorder.find_element(By.CSS_SELECTOR, "[data-recorder-stop]").click()
    WebDriverWait(driver, 5).until(lambda _: "too short to measure (at least 2 seconds)" in status.text)
    assert "recorder-error" in status.get_attribute("class")
    assert csp_violations(driver) == []


def test_it_keeps_a_form_from_being_sent_while_recording(speaking_browser, live_server, owner, curriculum):
    driver = speaking_browser
    curriculum_services.amphitheatre_hub(user=owner)
    log_in(driver, live_server, owner.username, PASSWORD)
    driver.get(f"{live_server.url}/learn/amphitheatre/")
    form = driver.find_element(By.CSS_SELECTOR, "[data-testid=form-story]")
    recorder = form.find_element(By.CSS_SELECTOR, "[data-recorder]")
    WebDriverWait(driver, 5).until(lambda _: recorder.is_displayed())
    recorder.find_element(By.CSS_SELECTOR, "[data-recorder-start]").click()
    status = recorder.find_element(By.CSS_SELECTOR, "[data-recorder-status]")
    WebDriverWait(driver, 5).until(lambda _: "Recording" in status.text)

    driver.execute_script("arguments[0].requestSubmit();", form)

    WebDriverWait(driver, 5).until(lambda _: "Press Stop before submitting" in status.text)
    assert driver.current_url == f"{live_server.url}/learn/amphitheatre/"
    assert not SpeechRecording.objects.exists()
    # Recording another exercise stops this one first.
    other = driver.find_element(By.CSS_SELECTOR, "[data-testid=form-impromptu] [data-recorder]")
    other.find_element(By.CSS_SELECTOR, "[data-recorder-start]").click()
    WebDriverWait(driver, 10).until(lambda _: "Recorded" in status.text)
    assert csp_violations(driver) == []


def _pending_recording(user) -> SpeechRecording:
    return SpeechRecording.objects.create(
        user=user,
        purpose="amphitheatre",
        audio=f"{user.pk}/x.wav",
        source_format="wav",
        source_bytes=1,
        duration_seconds=6,
    )


def _complete(recording: SpeechRecording) -> None:
    acoustic = {
        "version": 1,
        "duration_seconds": 6.0,
        "speaking_seconds": 4.0,
        "segments": [[0.5, 2.5], [3.5, 5.5]],
        "pauses": [{"start": 2.5, "end": 3.5, "seconds": 1.0}],
        "pause_count": 1,
        "longest_pause_seconds": 1.0,
        "pauses_per_minute": 12.0,
        "pitch": {"variability_semitones": 3.0},
        "monotone": False,
        "loudness": {"variability_db": 2.0},
    }
    SpeechRecording.objects.filter(pk=recording.pk).update(analysis_status=AnalysisStatus.COMPLETED, acoustic=acoustic)


def test_it_shows_the_feedback_once_the_analysis_finishes_without_losing_typing(browser, live_server, owner):
    first, second = _pending_recording(owner), _pending_recording(owner)
    log_in(browser, live_server, owner.username, PASSWORD)

    browser.get(f"{live_server.url}/learn/recordings/{first.pk}/")
    assert browser.find_elements(By.CSS_SELECTOR, "[data-testid=measure-pauses]") == []
    _complete(first)
    WebDriverWait(browser, 15).until(
        expected_conditions.presence_of_element_located((By.CSS_SELECTOR, "[data-testid=measure-pauses]"))
    )

    browser.get(f"{live_server.url}/learn/recordings/{second.pk}/")
    browser.find_element(By.CSS_SELECTOR, "[data-testid=transcript-form] textarea").send_keys("Half typed")
    _complete(second)
    status = browser.find_element(By.CSS_SELECTOR, "[data-recording-status-url]")
    WebDriverWait(browser, 15).until(lambda _: "Your feedback is ready" in status.text)
    textarea = browser.find_element(By.CSS_SELECTOR, "[data-testid=transcript-form] textarea")
    assert textarea.get_attribute("value") == "Half typed"  # not reloaded away
    assert csp_violations(browser) == []
