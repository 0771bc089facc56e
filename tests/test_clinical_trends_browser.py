"""The client page's trend chart in a real browser (Chromium), under the enforced Content Security Policy:
drawn without JavaScript, one sentiment line and a line per emotion of the client's speech."""

from selenium.webdriver.common.by import By

from tests.browser import csp_violations, log_in
from tests.clinical_helpers import client_create, clinician_create, session_with_transcript
from tests.factories import PASSWORD


def test_the_client_page_draws_the_trend_chart_in_a_browser(browser, live_server, db):
    clinician = clinician_create("dr_chart")
    robin = client_create(clinician, name="Robin Vale")
    # Outside a test transaction the run each save queues executes at its commit (immediate task backend).
    for days_ago in (9, 2):
        session_with_transcript(robin, days_ago=days_ago)
    log_in(browser, live_server, clinician.username, PASSWORD)

    browser.get(f"{live_server.url}/clinic/clients/{robin.pk}/")

    sentiment = browser.find_element(By.CSS_SELECTOR, "[data-testid=sentiment-chart]")
    assert sentiment.size["width"] > 200 and sentiment.size["height"] > 50
    assert len(sentiment.find_elements(By.CSS_SELECTOR, "circle")) == 2
    assert browser.find_elements(By.CSS_SELECTOR, "[data-testid=emotion-chart] polyline")
    assert len(browser.find_elements(By.CSS_SELECTOR, "[data-testid=trend-table] tbody tr")) == 2
    assert csp_violations(browser) == []
