"""The demo's second municipality, Lindental, on its own host (lindental.localhost at the
live server's port): each page type it has, in German and English, on a desktop and a mobile
viewport, in the light and the dark theme (with Lindental's own primary colour and its
lighter shade), passes the same checks as the default site's (tests/browser/test_public_pages.py)
and shows Lindental's own name and funding notice, none of the KoSI-Lab site's texts.

In a module of its own: the `lindental` fixture commits the second site for this module only
(with two sites, `page.url` of the default site's pages turns absolute)."""

import pytest

from events.models import EventSeriesPage
from home.models import ContentPage
from portal.demo import KOSI_LAB, LINDENTAL
from tests.browser.conftest import VIEWPORTS
from tests.browser.test_public_pages import (
    COLOUR_SCHEMES,
    PAGE_TYPES,
    check_every_page,
    check_the_registration_form_with_errors,
)

pytestmark = pytest.mark.browser

# Lindental's demo has one page of every type except content pages and workshop series; a
# new page type is checked here too unless it is added to this exception.
LINDENTAL_PAGE_TYPES = [
    model for model in PAGE_TYPES if model not in (ContentPage, EventSeriesPage)
]
LANGUAGES = ["de", "en"]  # the order of the (de, en) pairs in portal/demo.py


def shows_lindentals_branding(language):
    """A check for each page: the header, the footer and the title carry Lindental's site
    texts; none of the default site's own texts shows (its site name "KoSI-Lab" is part of
    Lindental's "KoSI-Lab Lindental", hence the exact comparisons)."""
    ours = {key: pair[LANGUAGES.index(language)] for key, pair in LINDENTAL["texts"].items()}
    theirs = {key: pair[LANGUAGES.index(language)] for key, pair in KOSI_LAB["texts"].items()}

    def check(browser, label):
        page = browser.page
        # text_content, not inner_text: the brand may be shown with a CSS text-transform
        assert page.locator(".site-brand__name").text_content().strip() == ours["site_name"]
        assert (
            page.locator(".site-brand__municipality").text_content().strip() == ours["municipality"]
        ), label
        assert (
            page.locator(".funding-notice__text").text_content().strip() == ours["funding_notice"]
        ), label
        assert page.title().endswith(f"– {ours['site_name']}"), (label, page.title())
        text = page.locator("body").text_content()
        for key in ["municipality", "tagline", "funding_notice", "funder_name"]:
            assert theirs[key] not in text, (label, key)

    return check


@pytest.mark.parametrize("scheme", COLOUR_SCHEMES)
@pytest.mark.parametrize("viewport", list(VIEWPORTS))
@pytest.mark.parametrize("language", LANGUAGES)
def test_every_page_type_of_lindental_is_accessible_private_and_error_free(
    lindental, visit, language, viewport, scheme
):
    check_every_page(
        visit,
        language,
        viewport,
        site=lindental,
        page_types=LINDENTAL_PAGE_TYPES,
        also=shows_lindentals_branding(language),
        scheme=scheme,
    )


@pytest.mark.parametrize("language", LANGUAGES)
def test_lindentals_registration_form_with_errors_is_accessible(lindental, visit, language):
    check_the_registration_form_with_errors(visit, language, site=lindental)
