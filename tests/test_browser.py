"""The pages in a real browser (Debian's Chromium, driven by chromedriver)."""

from selenium.webdriver.common.by import By
from selenium.webdriver.support import expected_conditions
from selenium.webdriver.support.ui import WebDriverWait

from myApp.accounts.models import Profile
from tests.browser import csp_violations


def fill(browser, label: str, value: str) -> None:
    field_id = browser.find_element(By.XPATH, f"//label[normalize-space()='{label}']").get_attribute("for")
    field = browser.find_element(By.ID, field_id)
    field.clear()
    field.send_keys(value)


def submit_and_wait(browser, url_part: str) -> None:
    browser.find_element(By.CSS_SELECTOR, "main button[type=submit]").click()
    WebDriverWait(browser, 10).until(expected_conditions.url_contains(url_part))


def test_it_signs_up_onboards_and_shows_home_in_a_browser(browser, live_server):
    browser.get(f"{live_server.url}/signup/")
    assert browser.title.startswith("Sign up")
    fill(browser, "Username", "browser_user")
    fill(browser, "Password", "a-long-and-unusual-passphrase")
    fill(browser, "Password confirmation", "a-long-and-unusual-passphrase")
    submit_and_wait(browser, "/onboarding/")
    fill(browser, "Your main goal", "Speak at my sister's wedding")
    fill(browser, "Comfort speaking to a large audience", "2")
    browser.find_element(By.CSS_SELECTOR, "main button[type=submit]").click()
    WebDriverWait(browser, 10).until(expected_conditions.url_to_be(f"{live_server.url}/"))
    assert "Speak at my sister's wedding" in browser.find_element(By.TAG_NAME, "main").text
    assert browser.find_element(By.CSS_SELECTOR, "[data-testid=coins]").text == "0"
    profile = Profile.objects.get(user__username="browser_user")
    assert profile.onboarding_completed and profile.comfort_large_audience == 2
    # The stylesheet loaded under the enforced CSP, and nothing was blocked.
    background = browser.execute_script("return getComputedStyle(document.documentElement).backgroundColor")
    assert background == "rgb(251, 250, 247)"
    assert csp_violations(browser) == []


def test_it_shows_field_errors_in_a_browser(browser, live_server):
    browser.get(f"{live_server.url}/signup/")
    fill(browser, "Username", "someone")
    fill(browser, "Password", "short")
    fill(browser, "Password confirmation", "different")
    browser.find_element(By.CSS_SELECTOR, "main button[type=submit]").click()
    WebDriverWait(browser, 10).until(expected_conditions.presence_of_element_located((By.CSS_SELECTOR, ".error")))
    errors = [element.text for element in browser.find_elements(By.CSS_SELECTOR, ".error")]
    assert any("password" in error.lower() for error in errors), errors
    assert not Profile.objects.filter(user__username="someone").exists()


def test_it_renders_the_api_docs_and_the_admin_under_the_csp(browser, live_server, staff, password):
    browser.get(f"{live_server.url}/api/docs/")
    WebDriverWait(browser, 15).until(
        expected_conditions.presence_of_element_located((By.CSS_SELECTOR, ".swagger-ui .opblock"))
    )
    # Swagger UI virtualizes its operation list from 150 entries on (operations and tag headers), so only those
    # on screen are in the page: the endpoint is looked up in the spec the page loaded and rendered from.
    assert browser.execute_script("return ui.specSelectors.paths().has('/api/v1/me/')")

    browser.get(f"{live_server.url}/admin/")
    browser.find_element(By.ID, "id_username").send_keys(staff.username)
    browser.find_element(By.ID, "id_password").send_keys(password)
    browser.find_element(By.CSS_SELECTOR, "input[type=submit]").click()
    # the login page's title also names the admin site, so wait for the index URL instead
    WebDriverWait(browser, 10).until(expected_conditions.url_to_be(f"{live_server.url}/admin/"))
    assert "Learning and wellbeing platform" in browser.find_element(By.TAG_NAME, "body").text
    assert csp_violations(browser) == []
