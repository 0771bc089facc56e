"""The site navigation in a real browser (Chromium): at 1280 px wide it stays on one line for the roles
with the most links (staff, a parent)."""

import pytest

from tests.browser import log_in
from tests.factories import ParentFactory

NAV_GEOMETRY = """
const nav = document.querySelector('.site-nav');
const items = [nav.querySelector('.brand'), ...nav.querySelectorAll(':scope > ul > li')];
return {
  viewport: window.innerWidth,
  viewportHeight: window.innerHeight,
  navHeight: nav.querySelector(':scope > ul').getBoundingClientRect().height,
  items: items.map(item => {
    const box = item.getBoundingClientRect();
    return {text: item.textContent.trim(), top: box.top, bottom: box.bottom, height: box.height, right: box.right};
  }),
};
"""


@pytest.mark.parametrize("persona", ["staff", "parent"])
def test_the_nav_is_one_line_at_1280_by_800(browser, live_server, staff, password, persona):
    user = staff if persona == "staff" else ParentFactory(username="nav_parent")
    # the page itself 1280 x 800 (a window of that size leaves less to the page)
    browser.execute_cdp_cmd(
        "Emulation.setDeviceMetricsOverride", {"width": 1280, "height": 800, "deviceScaleFactor": 1, "mobile": False}
    )
    log_in(browser, live_server, user.username, password)
    browser.get(f"{live_server.url}/quests/")

    geometry = browser.execute_script(NAV_GEOMETRY)

    assert (geometry["viewport"], geometry["viewportHeight"]) == (1280, 800)
    items = geometry["items"]
    texts = [item["text"] for item in items]
    assert "Quest builder" in texts and "Family links" in texts and "Log out" in " ".join(texts)
    single_line = min(item["height"] for item in items[1:])
    # every link sits on one line, all on the same row, and the list is one row high, inside the window
    assert all(item["height"] <= single_line + 1 for item in items[1:]), items
    assert max(item["top"] for item in items[1:]) - min(item["top"] for item in items[1:]) <= 1, items
    assert geometry["navHeight"] <= single_line + 1, geometry["navHeight"]
    assert max(item["right"] for item in items) <= geometry["viewport"], items
