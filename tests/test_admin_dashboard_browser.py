"""The staff dashboard page in a real browser (Chromium): the charts draw as SVG without JavaScript from anywhere,
the CSP refuses nothing on the page, and a screenshot is left for a person to look at."""

import re

from selenium.webdriver.common.by import By

from tests.browser import artifacts_dir, csp_violations, log_in
from tests.factories import PASSWORD
from tests.test_admin_dashboard_page import RANGE, world  # noqa: F401 - the hand-built data set, as a fixture


def test_it_draws_every_chart_as_svg_with_no_remote_script(browser, live_server, staff, world):  # noqa: F811
    log_in(browser, live_server, staff.username, PASSWORD)
    browser.set_window_size(1280, 1000)

    browser.get(f"{live_server.url}/admin/dashboard/{RANGE}")

    charts = browser.find_elements(By.CSS_SELECTOR, ".dashboard-chart svg.pygal-chart")
    assert len(charts) == 9
    assert all(chart.size["width"] > 300 and chart.size["height"] > 100 for chart in charts)
    # pygal's own styles applied (by nonce): a bar is filled with the style's first colour, not black
    bar = browser.find_element(By.CSS_SELECTOR, "#section-sessions ~ #section-roles .dashboard-chart rect.rect")
    assert bar.value_of_css_property("fill") == "rgb(44, 111, 187)"
    scripts = [element.get_attribute("src") or "" for element in browser.find_elements(By.TAG_NAME, "script")]
    assert not [src for src in scripts if re.match(r"(https?:)?//", src) and live_server.url not in src]
    assert not re.search(r"(https?:)?//(?!127\.0\.0\.1|localhost|www\.w3\.org/)", _urls(browser.page_source))
    assert csp_violations(browser) == []
    height = browser.execute_script("return document.documentElement.scrollHeight")
    browser.set_window_size(1280, height)
    browser.save_screenshot(str(artifacts_dir() / "admin_dashboard.png"))


def _urls(page: str) -> str:
    """Every address the page's attributes name (src, href, xlink:href): what a browser could fetch."""
    return " ".join(re.findall(r'(?:src|href)="([^"]*)"', page))
