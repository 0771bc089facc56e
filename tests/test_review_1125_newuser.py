"""Review 1125 (new-user walk-through of speech practice, issue 13): failing tests for what a learner and a teacher
met in Chromium (fake microphone playing an espeak-ng talk with fillers and pauses) and in the no-JavaScript path.

- The amphitheatre card has two buttons that both say "Record": the recorder's (starts the microphone) and the
  form's submit button. After a take the recorder says "submit the form", but no button says submit.
- A take recorded in the browser is lost when the form comes back for a missing score (the forms are
  ``novalidate`` and the scores are required): the page reloads and the learner has to record the talk again.
- A refused amphitheatre submission (too short, unreadable file, missing scores) comes back scrolled to the top of a
  4000-pixel page: its message is in the exercise's card far below, out of sight, so it looks as if nothing
  happened.
- At a phone's width (390 px) the milestone result page, the teacher's review page and the review queue scroll
  sideways: the rubric's "Rule" column (and the queue's table) run off the screen.
- The teacher's review page says "Your own score" of the learner's scores and "Your teacher" of the teacher's own.
- The milestone rules say "100 at at least 2 semitones" and "100 at at most 3 per minute".
- The transcript's key ("Marked: filler words; underlined: hedges") is drawn with the browser's yellow <mark>, not
  the tint and wavy underline the transcript uses: the key does not look like what it explains.
- The Hedges card shows "1 (i think)": the learner's "I think" is lowered.
- A teacher who sends a review is not told it was sent (same empty form, no message).
"""

import contextlib
import re

import pytest
from django.contrib.messages import get_messages
from django.urls import reverse
from selenium.common.exceptions import TimeoutException
from selenium.webdriver.common.by import By
from selenium.webdriver.support.ui import WebDriverWait

from myApp.curriculum import services as curriculum_services
from myApp.curriculum.models import SpeechRecording
from myApp.curriculum.services.speech import recording_set_transcript
from tests import speech_audio
from tests.browser import log_in
from tests.factories import PASSWORD
from tests.milestone_review_helpers import linked_attempt, ready_for_milestone, teacher_of
from tests.test_speech_browser import _chromium, _record
from tests.test_speech_pages import _recording

# --- the amphitheatre's buttons -------------------------------------------------------------------------------


def _visible_text(html: str) -> str:
    html = re.sub(r'<span class="visually-hidden">.*?</span>', "", html, flags=re.S)
    return re.sub(r"<[^>]+>", "", html).strip()


@pytest.mark.django_db
def test_the_amphitheatre_submit_button_is_not_a_second_record_button(client, owner):
    curriculum_services.amphitheatre_hub(user=owner)
    client.force_login(owner)
    body = client.get(reverse("curriculum:amphitheatre")).content.decode()
    forms = re.findall(r'<form method="post"[^>]*data-testid="form-[^"]+">.*?</form>', body, flags=re.S)
    assert forms
    for form in forms:
        assert "data-recorder-start" in form
        start = _visible_text(re.search(r"<button[^>]*data-recorder-start[^>]*>(.*?)</button>", form, re.S).group(1))
        submit = _visible_text(re.search(r'<button type="submit"[^>]*>(.*?)</button>', form, re.S).group(1))
        assert submit != start, f"the submit button and the microphone button both read {submit!r}"


# --- the browser: a take, a refused form ---------------------------------------------------------------------


@pytest.fixture(scope="module")
def microphone_wav(tmp_path_factory) -> str:
    talk = speech_audio.concat(
        speech_audio.silence(0.3),
        speech_audio.speak("So, um, today I want to talk about the bridge in my town.", wpm=150),
        speech_audio.silence(1.0),
        speech_audio.speak("It was built a hundred years ago.", wpm=150),
    )
    path = tmp_path_factory.mktemp("microphone") / "talk.wav"
    path.write_bytes(talk)
    return str(path)


@pytest.fixture
def speaking_browser(microphone_wav):
    driver = _chromium(
        "--use-fake-ui-for-media-stream",
        "--use-fake-device-for-media-stream",
        f"--use-file-for-fake-audio-capture={microphone_wav}",
    )
    yield driver
    driver.quit()


def _submit_and_settle(driver, form) -> None:
    """Submit the form; return once the next page is there, or once it is clear no page is coming (the browser
    refused the form itself: its window marker is still there and the form was not sent)."""
    driver.execute_script("window.__beforeSubmit = true;")
    form.find_element(By.CSS_SELECTOR, "button[type=submit]").click()
    with contextlib.suppress(TimeoutException):  # no navigation: the browser kept the page
        WebDriverWait(driver, 15).until(
            lambda _: (
                not driver.execute_script("return window.__beforeSubmit === true")
                and driver.execute_script("return document.readyState") == "complete"
            )
        )


def test_a_recorded_take_is_not_lost_when_the_form_is_refused_for_a_missing_score(
    speaking_browser, live_server, owner, curriculum
):
    driver = speaking_browser
    curriculum_services.amphitheatre_hub(user=owner)
    log_in(driver, live_server, owner.username, PASSWORD)
    driver.get(f"{live_server.url}/learn/amphitheatre/")
    form = driver.find_element(By.CSS_SELECTOR, "[data-testid=form-impromptu]")
    _record(driver, form, seconds=3)  # a take, then "submit" without scoring it (the scores are required)

    _submit_and_settle(driver, form)

    kept = SpeechRecording.objects.filter(user=owner).exists()
    still_chosen = driver.execute_script(
        "var form = document.querySelector('[data-testid=form-impromptu]');"
        "return !!form && form.querySelector('input[type=file][name=audio]').files.length > 0;"
    )
    assert kept or still_chosen, "the three-second take is gone: the learner has to record it again"


def test_a_refused_submission_shows_its_message_where_the_learner_is_looking(
    speaking_browser, live_server, owner, curriculum, tmp_path
):
    driver = speaking_browser
    driver.set_window_size(1280, 900)
    curriculum_services.amphitheatre_hub(user=owner)
    short = tmp_path / "hi.wav"
    short.write_bytes(speech_audio.speak("Hi.", wpm=160))  # well under the two seconds a talk needs
    log_in(driver, live_server, owner.username, PASSWORD)
    driver.get(f"{live_server.url}/learn/amphitheatre/")
    form = driver.find_element(By.CSS_SELECTOR, "[data-testid=form-q_and_a]")  # the last card, far down
    form.find_element(By.CSS_SELECTOR, "input[type=file][name=audio]").send_keys(str(short))
    for score in form.find_elements(By.CSS_SELECTOR, ".score-grid input"):
        score.send_keys("70")
    driver.execute_script("arguments[0].scrollIntoView();", form)

    _submit_and_settle(driver, form)

    assert not SpeechRecording.objects.filter(user=owner).exists()
    in_view = driver.execute_script(
        """
        var found = false;
        document.querySelectorAll('main *').forEach(function (e) {
          if (e.children.length || e.textContent.indexOf('at least 2 seconds') === -1) return;
          var box = e.getBoundingClientRect();
          if (box.height && box.top >= 0 && box.bottom <= window.innerHeight) found = true;
        });
        return found;
        """
    )
    assert in_view, "the refusal's message is off screen: the page came back at its top"


# --- a phone's width -----------------------------------------------------------------------------------------


def _sideways(driver) -> int:
    return driver.execute_script("return document.documentElement.scrollWidth - window.innerWidth")


def test_the_milestone_result_and_review_pages_fit_a_phone(browser, live_server, owner, curriculum, complete_lesson):
    ready_for_milestone(owner, curriculum, complete_lesson)
    teacher = teacher_of(owner, username="phone_teacher")
    attempt = linked_attempt(owner, curriculum.level, score=80)
    browser.set_window_size(390, 844)
    overflow = {}

    log_in(browser, live_server, owner.username, PASSWORD)
    browser.get(f"{live_server.url}/learn/milestones/{attempt.pk}/")
    browser.find_element(By.CSS_SELECTOR, "main table")
    overflow["milestone result"] = _sideways(browser)

    log_in(browser, live_server, teacher.username, PASSWORD)
    browser.get(f"{live_server.url}/learn/reviews/")
    browser.find_element(By.CSS_SELECTOR, "main table")
    overflow["review queue"] = _sideways(browser)
    browser.get(f"{live_server.url}/learn/reviews/{attempt.pk}/")
    browser.find_element(By.CSS_SELECTOR, "main table")
    overflow["review page"] = _sideways(browser)

    assert {page: pixels for page, pixels in overflow.items() if pixels > 0} == {}


# --- words ---------------------------------------------------------------------------------------------------


@pytest.mark.django_db
def test_the_teachers_review_page_does_not_call_the_learners_scores_the_teachers_own(
    client, owner, curriculum, complete_lesson
):
    ready_for_milestone(owner, curriculum, complete_lesson)
    teacher = teacher_of(owner, username="wording_teacher")
    attempt = linked_attempt(owner, curriculum.level, score=80)
    curriculum_services.milestone_review_create(
        reviewer=teacher, attempt_id=attempt.pk, comments="Good pauses.", scores={"pacing": 55}
    )
    client.force_login(teacher)
    body = client.get(reverse("curriculum:review_attempt", args=[attempt.pk])).content.decode()
    assert 'data-testid="review-form"' in body
    assert "Your own score" not in body  # they are the learner's scores, not the teacher's
    assert "Your teacher" not in body  # the teacher is reading their own review


@pytest.mark.django_db
def test_the_milestone_rules_do_not_say_at_at(client, owner, curriculum, complete_lesson):
    ready_for_milestone(owner, curriculum, complete_lesson)
    attempt = linked_attempt(owner, curriculum.level, score=80, shared=False)
    client.force_login(owner)
    pages = {
        "milestone": reverse("curriculum:milestone", args=[curriculum.level.number]),
        "result": reverse("curriculum:milestone_result", args=[attempt.pk]),
    }
    doubled = {
        name: re.findall(r"\bat at\b[^<]{0,30}", client.get(url).content.decode()) for name, url in pages.items()
    }
    assert {name: found for name, found in doubled.items() if found} == {}


@pytest.mark.django_db
def test_the_hedges_card_quotes_i_think_as_the_learner_said_it(client, owner):
    recording = _recording(owner)
    recording_set_transcript(user=owner, recording=recording, transcript="I think we should keep the bridge.")
    client.force_login(owner)
    body = client.get(reverse("curriculum:recording", args=[recording.pk])).content.decode()
    value = re.search(r'data-testid="measure-hedges-value"[^>]*>(.*?)<', body, re.S).group(1)
    assert "I think" in value, value


def test_the_transcript_key_looks_like_the_transcript(browser, live_server, owner):
    recording = _recording(owner)
    recording_set_transcript(user=owner, recording=recording, transcript="So, um, I think we should keep it.")
    log_in(browser, live_server, owner.username, PASSWORD)
    browser.get(f"{live_server.url}/learn/recordings/{recording.pk}/")
    style = (
        "var s = getComputedStyle(arguments[0]);"
        "return [s.backgroundColor, s.textDecorationLine, s.textDecorationStyle];"
    )
    transcript = browser.find_element(By.CSS_SELECTOR, "[data-testid=transcript]")
    key = transcript.find_element(By.XPATH, "preceding-sibling::p[1]")
    for kind in ("filler", "hedge"):
        shown = browser.execute_script(style, transcript.find_element(By.CSS_SELECTOR, f"mark.{kind}"))
        explained = browser.execute_script(style, key.find_element(By.CSS_SELECTOR, f"mark.{kind}"))
        assert explained == shown, f"the key's {kind} looks like {explained}, the transcript's like {shown}"


@pytest.mark.django_db
def test_a_teacher_who_sends_a_review_is_told_it_was_sent(client, owner, curriculum, complete_lesson):
    """After "Send the review" the page comes back with the same empty form and no word that it went: the review
    is only to be found in the list above it."""
    ready_for_milestone(owner, curriculum, complete_lesson)
    teacher = teacher_of(owner, username="sending_teacher")
    attempt = linked_attempt(owner, curriculum.level, score=80)
    client.force_login(teacher)
    url = reverse("curriculum:review_attempt", args=[attempt.pk])
    response = client.post(url, {"comments": "Clear opening.", "clarity": "75"}, follow=True)
    assert response.status_code == 200
    assert [str(message) for message in get_messages(response.wsgi_request)] != []
