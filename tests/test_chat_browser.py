"""The chat and wellbeing pages in a real browser (Chromium): the doodle canvas, the breathing
pacer's script, and the chat form, all under the enforced Content Security Policy."""

import pytest
from selenium.webdriver.common.action_chains import ActionChains
from selenium.webdriver.common.by import By
from selenium.webdriver.support import expected_conditions
from selenium.webdriver.support.ui import Select, WebDriverWait

from myApp.sessions.models import Message, ModuleCompletion
from tests.browser import csp_violations


@pytest.fixture
def logged_in(browser, live_server, owner, password):
    """The owner logged in through the real login form; returns ``go(path)``."""
    browser.get(f"{live_server.url}/login/")
    browser.find_element(By.NAME, "username").send_keys(owner.username)
    browser.find_element(By.NAME, "password").send_keys(password)
    browser.find_element(By.CSS_SELECTOR, "main button[type=submit]").click()
    WebDriverWait(browser, 10).until(expected_conditions.url_to_be(f"{live_server.url}/"))

    def go(path: str) -> None:
        browser.get(f"{live_server.url}{path}")

    return go


def _pacer_property(driver, name: str) -> str:
    return driver.execute_script(
        "return document.querySelector('[data-pacer]').style.getPropertyValue(arguments[0]);", name
    )


def _set_number(driver, name: str, value: str) -> None:
    field = driver.find_element(By.NAME, name)
    field.clear()
    field.send_keys(value)


def test_it_saves_strokes_drawn_on_the_doodle_canvas(browser, logged_in, owner):
    logged_in("/chat/modules/doodle/")
    canvas = browser.find_element(By.CSS_SELECTOR, "[data-doodle-canvas]")
    WebDriverWait(browser, 5).until(
        lambda b: b.find_element(By.CSS_SELECTOR, "[data-doodle-clear]").is_displayed()
    )  # the script has started

    (
        ActionChains(browser)
        .move_to_element_with_offset(canvas, -120, -40)
        .click_and_hold()
        .move_by_offset(40, 10)
        .move_by_offset(40, 25)
        .move_by_offset(30, -15)
        .release()
        .perform()
    )

    assert browser.find_element(By.NAME, "strokes").get_attribute("value").startswith("[[[")
    assert "1 stroke drawn." in browser.find_element(By.CSS_SELECTOR, "[data-doodle-status]").text
    browser.find_element(By.CSS_SELECTOR, "form[data-testid=module-form] button[type=submit]").click()
    WebDriverWait(browser, 10).until(expected_conditions.url_contains("done=1"))
    sketch = ModuleCompletion.objects.get(user=owner, module_id="inner_doodling").completion_data["sketch_data"]
    assert sketch["has_drawing"] is True and (sketch["width"], sketch["height"]) == (600, 400)
    assert len(sketch["strokes"]) == 1 and len(sketch["strokes"][0]) >= 3
    assert all(isinstance(v, int) and 0 <= v <= 600 for point in sketch["strokes"][0] for v in point)
    assert csp_violations(browser) == []


def test_it_paces_breathing_with_the_chosen_timings(browser, logged_in, owner):
    logged_in("/chat/modules/breathing/")
    label = browser.find_element(By.CSS_SELECTOR, "[data-phase-label]")
    WebDriverWait(browser, 5).until(lambda b: _pacer_property(b, "--inhale-seconds") == "4s")

    _set_number(browser, "inhale", "2")
    _set_number(browser, "hold", "1")
    _set_number(browser, "exhale", "1")
    _set_number(browser, "hold_after", "0")

    assert _pacer_property(browser, "--inhale-seconds") == "2s"
    assert _pacer_property(browser, "--hold-after-seconds") == "0s"
    browser.find_element(By.CSS_SELECTOR, "[data-pacer-toggle]").click()
    assert label.text == "Breathe in" and _pacer_property(browser, "--phase-seconds") == "2s"
    WebDriverWait(browser, 5).until(lambda b: label.text == "Hold")
    assert _pacer_property(browser, "--phase-seconds") == "1s"
    WebDriverWait(browser, 5).until(lambda b: label.text == "Breathe out")
    # The zero-second hold is skipped: straight back to breathing in.
    WebDriverWait(browser, 5).until(lambda b: label.text == "Breathe in")

    browser.find_element(By.CSS_SELECTOR, "input[name=completed_steps][value=breathing]").click()
    Select(browser.find_element(By.NAME, "emotion")).select_by_visible_text("Calm")
    browser.find_element(By.CSS_SELECTOR, "form[data-testid=module-form] button[type=submit]").click()
    WebDriverWait(browser, 10).until(expected_conditions.url_contains("done=1"))
    data = ModuleCompletion.objects.get(user=owner, module_id="breathing_exercise").completion_data
    assert data["timings"] == {"inhale": 2, "hold": 1, "exhale": 1, "hold_after": 0}
    assert data["emotion"] == "Calm" and data["intensity"] == 50
    assert csp_violations(browser) == []


def test_it_chats_in_the_browser(browser, logged_in, owner):
    logged_in("/chat/")
    browser.find_element(By.NAME, "message").send_keys("Hi, my name is Alice")
    browser.find_element(By.CSS_SELECTOR, "#composer button[type=submit]").click()
    WebDriverWait(browser, 10).until(
        expected_conditions.presence_of_element_located((By.CSS_SELECTOR, "[data-role=assistant]"))
    )
    assert "Nice to meet you, Alice" in browser.find_element(By.CSS_SELECTOR, "[data-role=assistant]").text
    assert Message.objects.filter(user=owner).count() == 2
    assert csp_violations(browser) == []
