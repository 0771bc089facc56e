"""The learner report in a real browser (Chromium), under the enforced Content Security Policy: the four charts
drawn (no JavaScript needed, nothing fetched from another host), each with its table, and a screenshot to look
at (``LEARNER_REPORT_SCREENSHOT=/path.png`` keeps it)."""

import os

from selenium.webdriver.common.by import By

from tests.browser import csp_violations, log_in
from tests.factories import PASSWORD
from tests.test_learner_report import busy_learner  # noqa: F401  (the hand-built learner)

CHARTS = ("chart-xp", "chart-moods", "chart-breathing", "chart-self-checks")


def test_the_report_page_draws_every_chart_in_a_browser(browser, live_server, busy_learner, tmp_path):  # noqa: F811
    log_in(browser, live_server, busy_learner.username, PASSWORD)
    browser.get(f"{live_server.url}/")
    browser.find_element(By.CSS_SELECTOR, "[data-testid=report-link]").click()

    assert browser.find_element(By.TAG_NAME, "h1").text == "Your report"
    for chart in CHARTS:
        image = browser.find_element(By.CSS_SELECTOR, f"[data-testid={chart}] img")
        # Drawn: the browser decoded the SVG (a broken image has no natural width).
        assert browser.execute_script("return arguments[0].naturalWidth", image) == 640, chart
        assert image.size["width"] > 300, chart
        assert image.get_attribute("alt"), chart
    assert browser.find_element(By.CSS_SELECTOR, "[data-testid=current-level]").text.startswith("Working on Level 1")
    assert len(browser.find_elements(By.CSS_SELECTOR, "[data-testid=self-check-row]")) == 5
    assert (
        browser.find_element(By.CSS_SELECTOR, "[data-testid=pdf-link]")
        .get_attribute("href")
        .endswith("/report/report.pdf")
    )
    assert csp_violations(browser) == []

    height = browser.execute_script("return document.documentElement.scrollHeight")
    browser.set_window_size(1280, min(height + 120, 8000))
    path = os.environ.get("LEARNER_REPORT_SCREENSHOT") or str(tmp_path / "learner-report.png")
    assert browser.save_screenshot(path)
