"""A clinician follows an urgent alert in a real browser (Chromium): the nav badge, the notification, the insight
with its evidence, rejected from the review page; under the enforced Content Security Policy."""

from selenium.webdriver.common.by import By
from selenium.webdriver.support import expected_conditions
from selenium.webdriver.support.ui import WebDriverWait

from myApp.sessions.models import ClinicianNotification, SessionInsight
from tests.browser import csp_violations, log_in
from tests.clinical_helpers import client_create, clinician_create, session_with_transcript, urgent_notification
from tests.factories import PASSWORD


def test_a_clinician_follows_an_urgent_alert_in_a_browser(browser, live_server, db):
    clinician = clinician_create("dr_alert")
    notification = urgent_notification(session_with_transcript(client_create(clinician, name="Robin Vale")))
    log_in(browser, live_server, clinician.username, PASSWORD)

    assert browser.find_element(By.CSS_SELECTOR, "[data-testid=unread-badge]").text.startswith("1")
    browser.find_element(By.PARTIAL_LINK_TEXT, "Notifications").click()
    browser.find_element(By.CSS_SELECTOR, f"[data-testid=notification-{notification.pk}] button[value='1']").click()
    WebDriverWait(browser, 10).until(expected_conditions.url_contains(f"/clinic/insights/{notification.insight_id}/"))
    assert "end my life" in browser.find_element(By.CSS_SELECTOR, "main").text
    assert browser.find_elements(By.CSS_SELECTOR, "[data-testid=unread-badge]") == []

    # An urgent alert is rejected only with a reason, typed beside the buttons.
    browser.find_element(By.CSS_SELECTOR, f"[data-testid=note-{notification.insight_id}]").send_keys(
        "Not a risk: she was quoting a song."
    )
    browser.find_element(By.CSS_SELECTOR, "button[value=reject]").click()
    WebDriverWait(browser, 10).until(
        lambda _: SessionInsight.objects.get(pk=notification.insight_id).status == "rejected"
    )
    assert ClinicianNotification.objects.get(pk=notification.pk).read_at is not None
    # The decision, with its reason, is in the insight's history.
    browser.get(f"{live_server.url}/clinic/insights/{notification.insight_id}/")
    history = browser.find_element(By.CSS_SELECTOR, "[data-testid=decisions]").text
    assert "Rejected by" in history and "quoting a song" in history
    assert csp_violations(browser) == []
