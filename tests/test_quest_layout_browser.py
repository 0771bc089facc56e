"""What a new user saw on the quest pages in Chromium, measured: lists of cards without stray bullets and with
space between the cards, buttons that do not touch the card above them, a checkbox beside its label, and the
review queue's table of decisions scrolling inside its own box on a 390 px phone instead of widening the page."""

import itertools

import pytest
from selenium.webdriver.common.by import By
from selenium.webdriver.support import expected_conditions
from selenium.webdriver.support.ui import WebDriverWait

from myApp.quests import services
from tests.browser import csp_violations, log_in
from tests.factories import ParentFactory
from tests.quest_builder_helpers import builder_ready
from tests.quest_helpers import psychologist_create, quest_draft, quest_finish, quest_listed, quest_reviewed

PHONE = (390, 844)
GAP = 8  # px: the least space that reads as "apart"


@pytest.fixture
def sign_in(browser, live_server, password):
    def sign_in(user):
        log_in(browser, live_server, user.username, password)
        return lambda path: browser.get(f"{live_server.url}{path}")

    return sign_in


def box(browser, element) -> dict:
    return browser.execute_script("const r = arguments[0].getBoundingClientRect(); return r.toJSON();", element)


def space_between(browser, upper, lower) -> float:
    return box(browser, lower)["top"] - box(browser, upper)["bottom"]


def markers(browser, items) -> list[str]:
    return [browser.execute_script("return getComputedStyle(arguments[0]).listStyleType;", item) for item in items]


def assert_cards_apart_without_bullets(browser, items) -> None:
    assert len(items) >= 2
    assert markers(browser, items) == ["none"] * len(items)
    for upper, lower in itertools.pairwise(items):
        assert space_between(browser, upper, lower) >= GAP


def page_scrolls_sideways(browser) -> bool:
    return browser.execute_script("return document.documentElement.scrollWidth > window.innerWidth;")


def test_the_review_queue_and_a_review_read_as_separate_cards_also_on_a_phone(browser, sign_in):
    author, psychologist = ParentFactory(username="author"), psychologist_create("reader")
    first = services.quest_submit_for_review(quest=quest_draft(author, title="Brave little owl"), by=author)
    services.quest_submit_for_review(quest=quest_draft(author, title="The quiet pond"), by=author)
    for number in range(3):  # decided reviews, so the table has rows
        quest_listed(author, psychologist, title=f"A decided quest with a rather long title {number}")
    go = sign_in(psychologist)

    go("/quests/reviews/")
    assert_cards_apart_without_bullets(browser, browser.find_elements(By.CSS_SELECTOR, "[data-testid^=awaiting-]"))
    go(f"/quests/reviews/{first.pk}/")
    assert_cards_apart_without_bullets(browser, browser.find_elements(By.CSS_SELECTOR, "[data-testid^=outline-]"))

    browser.set_window_size(*PHONE)
    go("/quests/reviews/")
    assert browser.find_elements(By.CSS_SELECTOR, "[data-testid=decided] tbody tr")
    assert not page_scrolls_sideways(browser)
    assert csp_violations(browser) == []


def test_playing_and_the_quest_page_keep_their_buttons_apart(browser, sign_in, owner):
    author = ParentFactory(username="author")
    quest = quest_listed(author, psychologist_create("reader"), title="The dark forest")
    go = sign_in(owner)

    go(f"/quests/{quest.pk}/")
    opening = browser.find_element(By.CSS_SELECTOR, "section[aria-labelledby=opening-title]")
    actions = browser.find_element(By.CSS_SELECTOR, "[data-testid=play]").find_element(By.XPATH, "..")
    assert space_between(browser, opening, actions) >= GAP

    go(f"/quests/{quest.pk}/play/")
    browser.find_element(By.CSS_SELECTOR, "[data-testid=start]").click()
    WebDriverWait(browser, 10).until(
        expected_conditions.presence_of_element_located((By.CSS_SELECTOR, "[data-testid=edge-e1]"))
    )
    answers = browser.find_elements(By.CSS_SELECTOR, "ul.answers > li")
    assert answers and markers(browser, answers) == ["none"] * len(answers)

    quest_finish(owner, quest)
    go(f"/quests/{quest.pk}/play/")
    ending = browser.find_element(By.CSS_SELECTOR, "[data-testid=ending]")
    replay = browser.find_element(By.CSS_SELECTOR, "[data-testid=replay]")
    rate = browser.find_element(By.CSS_SELECTOR, "section[aria-labelledby=rate-title]")
    assert space_between(browser, ending, replay) >= GAP
    assert space_between(browser, replay, rate) >= GAP
    assert csp_violations(browser) == []


def test_the_builders_finish_button_and_the_revise_checkbox_sit_where_they_belong(browser, sign_in):
    author = ParentFactory(username="author")
    session = builder_ready(author)
    rejected = quest_reviewed(quest_draft(author, title="Too scary"), psychologist_create("critic"), approve=False)
    go = sign_in(author)

    go(f"/quests/builder/{session.pk}/")
    composer = browser.find_element(By.ID, "composer")
    finish = browser.find_element(By.CSS_SELECTOR, "[data-testid=builder-finish] button")
    assert space_between(browser, composer, finish) >= GAP

    go(f"/quests/mine/{rejected.pk}/edit/")
    checkbox = browser.find_element(By.NAME, "is_public")
    label = browser.find_element(By.CSS_SELECTOR, f"label[for={checkbox.get_attribute('id')}]")
    # Stretched to the form's width, Chromium draws the box in the middle of the line, far from its label.
    assert box(browser, checkbox)["width"] <= 32
    assert abs(box(browser, checkbox)["left"] - box(browser, label)["left"]) <= GAP
    assert csp_violations(browser) == []
