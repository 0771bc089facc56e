"""A pytest plugin with the headless Chromium fixture the page tests share."""

import os
import shutil
from pathlib import Path

import pytest
from selenium import webdriver
from selenium.webdriver.chrome.service import Service
from selenium.webdriver.common.by import By
from selenium.webdriver.support import expected_conditions
from selenium.webdriver.support.ui import WebDriverWait

CHROMEDRIVER = shutil.which("chromedriver") or "/usr/bin/chromedriver"
CHROMIUM = shutil.which("chromium") or "/usr/bin/chromium"
# Without the background-networking flags Chromium tries to reach Google's hosts,
# which this project's machines cannot.
FLAGS = (
    "--headless=new",
    "--no-sandbox",
    "--disable-gpu",
    "--disable-dev-shm-usage",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
    "--no-first-run",
    "--window-size=1280,1000",
)


@pytest.fixture
def browser():
    """Debian's Chromium driven by chromedriver, keeping the console log for CSP checks."""
    options = webdriver.ChromeOptions()
    options.binary_location = CHROMIUM
    for flag in FLAGS:
        options.add_argument(flag)
    options.set_capability("goog:loggingPrefs", {"browser": "ALL"})
    driver = webdriver.Chrome(service=Service(CHROMEDRIVER), options=options)
    driver.implicitly_wait(5)
    yield driver
    driver.quit()


def csp_violations(driver) -> list[str]:
    return [entry["message"] for entry in driver.get_log("browser") if "Content Security Policy" in entry["message"]]


def log_in(driver, live_server, username: str, password: str) -> None:
    """Through the real log-in form, waiting until it has landed: a page asked for at once could race the
    session cookie and answer with the log-in page."""
    driver.delete_all_cookies()
    driver.get(f"{live_server.url}/login/")
    driver.find_element(By.NAME, "username").send_keys(username)
    driver.find_element(By.NAME, "password").send_keys(password)
    driver.find_element(By.CSS_SELECTOR, "main button[type=submit]").click()
    WebDriverWait(driver, 10).until(expected_conditions.url_changes(f"{live_server.url}/login/"))


def artifacts_dir() -> Path:
    """Where browser tests leave what a person should look at (screenshots): ``TEST_ARTIFACTS_DIR``, or
    ``test-artifacts/`` in the project (ignored by git)."""
    path = Path(os.environ.get("TEST_ARTIFACTS_DIR") or Path(__file__).resolve().parent.parent / "test-artifacts")
    path.mkdir(parents=True, exist_ok=True)
    return path
