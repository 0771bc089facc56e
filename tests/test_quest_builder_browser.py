"""The builder's quest map in a real browser (Chromium): drawn at its own size, so its labels are read at
the size the SVG gives them, and scrolling inside its card rather than widening the page."""

from selenium.webdriver.common.by import By

from myApp.quests import services
from tests.quest_builder_helpers import builder_answer_all
from tests.test_nav_browser import log_in

MAP_GEOMETRY = """
const svg = document.querySelector('[data-testid=builder-preview] svg');
const figure = svg.parentElement;
const title = svg.querySelector('.quest-node-title');
return {
  pageWidth: document.documentElement.scrollWidth,
  viewport: window.innerWidth,
  drawnWidth: svg.getBoundingClientRect().width,
  ownWidth: Number(svg.getAttribute('width')),
  figureScrolls: figure.scrollWidth > figure.clientWidth,
  titlePixels: title.getBoundingClientRect().height,
};
"""


def test_the_quest_map_keeps_its_size_and_scrolls_inside_its_card(browser, live_server, author, password):
    session = builder_answer_all(services.builder_session_create(user=author), author)
    browser.execute_cdp_cmd(
        "Emulation.setDeviceMetricsOverride", {"width": 1280, "height": 800, "deviceScaleFactor": 1, "mobile": False}
    )
    log_in(browser, live_server, author.username, password)
    browser.get(f"{live_server.url}/quests/builder/{session.pk}/")
    browser.find_element(By.CSS_SELECTOR, "[data-testid=builder-preview] svg")

    geometry = browser.execute_script(MAP_GEOMETRY)

    assert geometry["drawnWidth"] == geometry["ownWidth"]  # not shrunk to fit
    assert geometry["ownWidth"] > geometry["viewport"] and geometry["figureScrolls"]  # this map is wide
    assert geometry["pageWidth"] <= geometry["viewport"]  # the page itself does not scroll sideways
    assert geometry["titlePixels"] >= 15  # a node title is at least 15 px tall on screen
