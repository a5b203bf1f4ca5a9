"""The Network page in the browser: accessible (axe), nothing requested from another host
(other portals' workshops link out; no remote image is embedded), filters usable."""

import pytest
from wagtail.models import Locale

from network.models import NetworkPage
from tests.browser.test_public_pages import check_accessibility, screenshot

pytestmark = pytest.mark.browser


@pytest.mark.parametrize("viewport", ["desktop", "mobile"])
@pytest.mark.parametrize("language", ["de", "en"])
def test_the_network_page_is_accessible_and_loads_nothing_from_elsewhere(
    demo, visit, language, viewport
):
    page = NetworkPage.objects.live().get(
        locale=Locale.objects.get(language_code=language), path__startswith=demo["de"].path[:4]
    )
    browser = visit(viewport)
    browser.goto(page.url)
    label = f"network page ({language}, {viewport})"
    assert browser.page.locator(".network-item").count() == 3, label
    check_accessibility(browser.page, label)
    assert browser.foreign_requests == [], label
    assert browser.console_errors == [], label
    assert browser.context.cookies() == [], label
    screenshot(browser.page, "network page", language, viewport)
    # the month filter, by keyboard
    browser.page.locator("#filter-month").select_option(index=2)
    browser.page.get_by_role(
        "button", name="Filter anwenden" if language == "de" else "Apply filters"
    ).click()
    browser.page.wait_for_load_state("load")
    check_accessibility(browser.page, f"{label}, filtered")
    browser.close()
