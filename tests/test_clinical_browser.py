"""The clinician's pages in a real browser (Chromium): from the caseload to a session, search within the
transcript, approve an insight; under the enforced Content Security Policy."""

from selenium.webdriver.common.by import By
from selenium.webdriver.support import expected_conditions
from selenium.webdriver.support.ui import Select, WebDriverWait

from myApp.sessions.models import SessionInsight
from tests.browser import csp_violations, log_in
from tests.clinical_helpers import client_create, clinician_create, draft_insight, session_with_transcript
from tests.factories import PASSWORD


def test_a_clinician_reviews_a_session_in_a_browser(browser, live_server, db):
    clinician = clinician_create("dr_browser")
    session = session_with_transcript(client_create(clinician, name="Robin Vale"))
    insight = draft_insight(session)
    log_in(browser, live_server, clinician.username, PASSWORD)

    browser.find_element(By.LINK_TEXT, "Clients").click()
    browser.find_element(By.LINK_TEXT, "Robin Vale").click()
    browser.find_element(By.CSS_SELECTOR, f"[data-testid=session-{session.pk}] a").click()
    WebDriverWait(browser, 10).until(expected_conditions.url_contains(f"/clinic/sessions/{session.pk}/"))
    field = browser.find_element(By.NAME, "q")
    field.send_keys("evidence")
    field.submit()
    WebDriverWait(browser, 10).until(expected_conditions.url_contains("q=evidence"))
    marks = browser.find_elements(By.CSS_SELECTOR, "[data-testid=hits] mark")
    assert [mark.text.lower() for mark in marks] == ["evidence"]

    browser.find_element(By.CSS_SELECTOR, f"#insight-{insight.pk} button[value=approve]").click()
    WebDriverWait(browser, 10).until(expected_conditions.url_contains(f"#insight-{insight.pk}"))
    assert SessionInsight.objects.get(pk=insight.pk).status == "approved"
    assert csp_violations(browser) == []


def test_a_refused_upload_takes_the_focus_to_what_went_wrong(browser, live_server, db, tmp_path):
    """The second new-user review's refused upload came back at the top of the page (the upload sits below the
    search and the insights; at 390 px wide, screens below), the focus on the page itself: nothing said it had
    failed without scrolling. The refusal's note now takes the focus, so it is in view and read out."""
    clinician = clinician_create("dr_browser")
    session = session_with_transcript(client_create(clinician, name="Robin Vale"))
    for number in range(4):
        draft_insight(session, title=f"Insight {number}")
    broken = tmp_path / "broken.vtt"
    broken.write_text("WEBVTT\n\n00:00:05.000 --> 00:00:02.000\n<v Robin>Backwards.\n", encoding="utf-8")
    browser.set_window_size(390, 844)
    log_in(browser, live_server, clinician.username, PASSWORD)

    browser.get(f"{live_server.url}/clinic/sessions/{session.pk}/")
    browser.find_element(By.CSS_SELECTOR, "#upload summary").click()
    browser.find_element(By.NAME, "file").send_keys(str(broken))
    Select(browser.find_element(By.NAME, "mode")).select_by_value("replace")  # chosen: the session has a transcript
    browser.find_element(By.CSS_SELECTOR, "#upload button[type=submit]").click()
    WebDriverWait(browser, 10).until(expected_conditions.url_contains("/transcript/"))

    focused = browser.switch_to.active_element
    assert focused.get_attribute("data-testid") == "upload-refused"
    top = browser.execute_script("return arguments[0].getBoundingClientRect().top", focused)
    assert 0 <= top < browser.execute_script("return window.innerHeight")
    assert csp_violations(browser) == []
