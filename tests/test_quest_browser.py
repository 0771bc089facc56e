"""The therapeutic quest pages in a real browser (Chromium), under the enforced Content Security Policy:
a learner browses the marketplace with a filter, opens a quest, adds it to their library, plays it to the
reveal and rates it; a psychologist approves a waiting quest on the four scales; a parent revises a
rejected quest and sends it for review again."""

import pytest
from selenium.webdriver.common.by import By
from selenium.webdriver.support import expected_conditions
from selenium.webdriver.support.ui import Select, WebDriverWait

from myApp.quests import graph, services
from myApp.quests.models import ModerationStatus, Quest, QuestRating, UserQuestLibrary
from tests.browser import csp_violations, log_in
from tests.factories import ParentFactory
from tests.quest_graphs import small_graph
from tests.quest_helpers import psychologist_create, quest_draft, quest_listed, quest_reviewed


@pytest.fixture
def sign_in(browser, live_server, password):
    """``sign_in(user)`` logs the user in through the real login form; returns ``go(path)``."""

    def sign_in(user):
        log_in(browser, live_server, user.username, password)
        return lambda path: browser.get(f"{live_server.url}{path}")

    return sign_in


def click_and_wait(browser, selector: str, url_part: str) -> None:
    browser.find_element(By.CSS_SELECTOR, selector).click()
    WebDriverWait(browser, 10).until(expected_conditions.url_contains(url_part))


def main_text(browser) -> str:
    return browser.find_element(By.TAG_NAME, "main").text


def test_a_learner_finds_plays_and_rates_a_quest(browser, sign_in, owner, live_server):
    author, psychologist = ParentFactory(username="author"), psychologist_create("reader")
    forest = quest_listed(author, psychologist, title="The dark forest", psychological_module="IFS")
    quest_listed(author, psychologist, title="Breathing by the sea", psychological_module="DBT")
    go = sign_in(owner)

    go("/quests/")
    assert "Breathing by the sea" in main_text(browser) and "The dark forest" in main_text(browser)
    Select(browser.find_element(By.NAME, "psychological_module")).select_by_value("IFS")
    click_and_wait(browser, "form.filters button[type=submit]", "psychological_module=IFS")
    assert "The dark forest" in main_text(browser) and "Breathing by the sea" not in main_text(browser)

    browser.find_element(By.LINK_TEXT, "The dark forest").click()
    WebDriverWait(browser, 10).until(expected_conditions.url_to_be(f"{live_server.url}/quests/{forest.pk}/"))
    assert browser.find_element(By.CSS_SELECTOR, "[data-testid=description]").text == "A path splits in two."
    assert browser.find_element(By.CSS_SELECTOR, "[data-testid=rate-note]").text == "Play the quest to rate it."
    browser.find_element(By.CSS_SELECTOR, "[data-testid=library-add]").click()
    WebDriverWait(browser, 10).until(
        expected_conditions.presence_of_element_located((By.CSS_SELECTOR, "[data-testid=in-library]"))
    )
    assert UserQuestLibrary.objects.filter(user=owner, quest=forest).exists()

    click_and_wait(browser, "[data-testid=play]", "/play/")
    browser.find_element(By.CSS_SELECTOR, "[data-testid=start]").click()
    WebDriverWait(browser, 10).until(
        expected_conditions.presence_of_element_located((By.CSS_SELECTOR, "[data-testid=edge-e1]"))
    )
    assert browser.find_element(By.CSS_SELECTOR, "[data-testid=edge-e1]").text == "Be brave"
    browser.find_element(By.CSS_SELECTOR, "[data-testid=edge-e1]").click()
    WebDriverWait(browser, 10).until(
        expected_conditions.presence_of_element_located((By.CSS_SELECTOR, "[data-testid=edge-e3]"))
    )
    assert "You hum a song." in main_text(browser)
    browser.find_element(By.CSS_SELECTOR, "[data-testid=edge-e3]").click()
    reveal = WebDriverWait(browser, 10).until(
        expected_conditions.presence_of_element_located((By.CSS_SELECTOR, "[data-testid=reveal]"))
    )
    # A stranger to the creator's family gets the neutral reveal, never "Your dad wrote this quest for you."
    assert "A parent wrote this quest for their own child" in reveal.text
    assert "Your dad" not in reveal.text

    browser.find_element(By.CSS_SELECTOR, "input[name=rating][value='4']").click()
    browser.find_element(By.NAME, "review_text").send_keys("We laughed a lot")
    browser.find_element(By.XPATH, "//main//button[normalize-space()='Rate']").click()
    WebDriverWait(browser, 10).until(lambda b: QuestRating.objects.filter(user=owner, quest=forest).exists())
    WebDriverWait(browser, 10).until(
        expected_conditions.presence_of_element_located((By.XPATH, "//button[normalize-space()='Change my rating']"))
    )
    assert QuestRating.objects.get(user=owner, quest=forest).rating == 4
    assert Quest.objects.get(pk=forest.pk).rating == 4.0
    assert csp_violations(browser) == []


SCALES = ("emotional_safety_score", "therapeutic_correctness_score", "age_appropriateness_score", "reveal_timing_score")


def test_a_psychologist_approves_a_waiting_quest_on_the_four_scales(browser, sign_in):
    author = ParentFactory(username="author")
    waiting = services.quest_submit_for_review(quest=quest_draft(author, title="Brave little owl"), by=author)
    go = sign_in(psychologist_create("reader"))

    go("/quests/reviews/")
    assert "Brave little owl" in browser.find_element(By.CSS_SELECTOR, f"[data-testid=awaiting-{waiting.pk}]").text
    assert browser.find_element(By.CSS_SELECTOR, "[data-testid=decided-empty]").is_displayed()
    click_and_wait(browser, f"[data-testid=awaiting-{waiting.pk}] a", f"/quests/reviews/{waiting.pk}/")
    assert "A path splits in two." in browser.find_element(By.CSS_SELECTOR, "[data-testid=outline-start]").text
    for scale, value in zip(SCALES, ("5", "4", "5", "3"), strict=True):
        browser.find_element(By.CSS_SELECTOR, f"input[name={scale}][value='{value}']").click()
    browser.find_element(By.NAME, "strengths").send_keys("Kind and clear")
    browser.find_element(By.CSS_SELECTOR, "input[name=decision][value=approve]").click()
    browser.find_element(By.XPATH, "//main//button[normalize-space()='Submit the review']").click()
    WebDriverWait(browser, 10).until(lambda b: b.current_url.endswith("/quests/reviews/"))

    assert "“Brave little owl” is approved and listed." in browser.page_source
    assert "No quest is waiting for a review." in main_text(browser)
    decided = browser.find_element(By.CSS_SELECTOR, "[data-testid=decided] tbody tr").text
    assert "Brave little owl" in decided and "Approved" in decided and "5 · 4 · 5 · 3" in decided
    assert Quest.objects.get(pk=waiting.pk).moderation_status == ModerationStatus.APPROVED
    assert csp_violations(browser) == []


def test_a_parent_revises_a_rejected_quest_and_sends_it_again(browser, sign_in):
    author = ParentFactory(username="author")
    rejected = quest_reviewed(quest_draft(author, title="Too scary"), psychologist_create("critic"), approve=False)
    go = sign_in(author)

    go("/quests/mine/")
    card = browser.find_element(By.CSS_SELECTOR, f"[data-testid=own-quest-{rejected.pk}]")
    assert card.find_element(By.CSS_SELECTOR, "[data-testid=status]").text == "Rejected"
    assert "Strengths: Gentle" in card.text  # the review history is open on a rejected quest
    card.find_element(By.CSS_SELECTOR, "[data-testid=revise]").click()
    WebDriverWait(browser, 10).until(expected_conditions.url_contains(f"/quests/mine/{rejected.pk}/edit/"))
    assert "Not approved" in browser.find_element(By.CSS_SELECTOR, "[data-testid=review-history]").text

    document = small_graph()
    document["nodes"][3]["title"] = "A warm kitchen"
    title = browser.find_element(By.NAME, "title")
    title.clear()
    title.send_keys("Gentler forest")
    # The YAML typed in full would take the browser a while: set it as a paste would.
    textarea = browser.find_element(By.NAME, "quest_yaml")
    browser.execute_script(
        "arguments[0].value = arguments[1];", textarea, graph.graph_to_yaml(graph.validate(document))
    )
    browser.find_element(By.CSS_SELECTOR, "[data-testid=preview]").click()
    WebDriverWait(browser, 10).until(
        expected_conditions.text_to_be_present_in_element((By.CSS_SELECTOR, "[data-testid=preview-note]"), "not saved")
    )
    assert "A warm kitchen" in browser.find_element(By.CSS_SELECTOR, "[data-testid=revise-preview]").text
    assert Quest.objects.get(pk=rejected.pk).title == "Too scary"

    browser.find_element(By.CSS_SELECTOR, "[data-testid=save-submit]").click()
    WebDriverWait(browser, 10).until(lambda b: b.current_url.endswith("/quests/mine/"))
    assert "“Gentler forest” is sent for review." in browser.page_source
    card = browser.find_element(By.CSS_SELECTOR, f"[data-testid=own-quest-{rejected.pk}]")
    assert card.find_element(By.CSS_SELECTOR, "[data-testid=status]").text == "Pending review"
    assert not card.find_elements(By.CSS_SELECTOR, "[data-testid=revise]")
    quest = Quest.objects.get(pk=rejected.pk)
    assert quest.moderation_status == ModerationStatus.PENDING_REVIEW
    assert graph.node(quest.graph_structure, "end")["title"] == "A warm kitchen"
    assert csp_violations(browser) == []
