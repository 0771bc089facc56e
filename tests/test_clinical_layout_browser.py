"""The clinic's pages keep to the window in a real browser (Chromium) whatever the client is called."""

import pytest
from selenium.webdriver.common.by import By

from tests.browser import log_in
from tests.clinical_helpers import client_create, clinician_create
from tests.factories import PASSWORD

# The longest name the form takes, with no space to break at (a pasted identifier, a long compound name).
UNBROKEN = "N" * 120


def _scrolls_sideways(browser) -> bool:
    return browser.execute_script("return document.documentElement.scrollWidth > window.innerWidth;")


@pytest.mark.parametrize("width", [1280, 390])
def test_a_long_unbroken_client_name_wraps_on_the_caseload_and_the_clients_page(browser, live_server, db, width):
    """The new-user review (third round) added a client whose 120-character name had no space: the caseload
    table grew past the window, its sessions and urgent-insight columns out of sight, and the client's heading
    and breadcrumb ran off the page."""
    clinician = clinician_create("dr_layout")
    long_named = client_create(clinician, name=UNBROKEN)
    client_create(clinician, name="Robin Vale")
    browser.set_window_size(width, 900)
    log_in(browser, live_server, clinician.username, PASSWORD)

    browser.get(f"{live_server.url}/clinic/clients/{long_named.pk}/")
    assert browser.find_element(By.TAG_NAME, "h1").text.replace("\n", "") == UNBROKEN
    assert not _scrolls_sideways(browser)

    if width == 1280:  # on a phone the four columns are wider than the window whatever the names
        browser.get(f"{live_server.url}/clinic/")
        urgent = browser.find_element(By.CSS_SELECTOR, f"[data-testid=urgent-{long_named.pk}]")
        right = browser.execute_script("return arguments[0].getBoundingClientRect().right", urgent)
        assert right <= browser.execute_script("return window.innerWidth")
        assert not _scrolls_sideways(browser)
