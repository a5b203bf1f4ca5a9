"""Every public page type, listing and form in German and English, on a desktop and a mobile
viewport, in KERN's light and dark theme, in Debian's Chromium: axe-core finds no WCAG 2.1
A/AA violation, nothing is loaded from another host, no cookie is set while reading, no
console error, and the keyboard basics work (focus visible on every interactive element).
Screenshots of each page go to /screenshots/ (git-ignored; CI keeps them as artefacts)."""

import re

import pytest
from defusedxml import ElementTree
from django.test import Client
from wagtail.models import Locale, Site

from events.models import EventPage, RegistrationMode
from home.models import (
    AccessibilityStatementPage,
)
from labs.models import LabIndexPage
from library.models import LibraryPage
from tests.browser.conftest import SCREENSHOTS, VIEWPORTS
from tests.helpers import public_page_types

pytestmark = pytest.mark.browser

AXE_TAGS = ["wcag2a", "wcag2aa", "wcag21a", "wcag21aa"]
COLOUR_SCHEMES = ["light", "dark"]
# what the keyboard reaches
INTERACTIVE = (
    "a[href], button, input:not([type=hidden]), select, textarea, summary, "
    "[tabindex]:not([tabindex='-1'])"
)
PAGE_TYPES = public_page_types()
SEARCH = {"de": "/de/suche/", "en": "/en/search/"}


def sitemap_paths(site):
    body = Client().get("/sitemap.xml", HTTP_HOST=site.hostname).content
    namespace = {"s": "http://www.sitemaps.org/schemas/sitemap/0.9"}
    locations = ElementTree.fromstring(body).findall("s:url/s:loc", namespace)
    return {re.sub(r"^https?://[^/]+", "", location.text) for location in locations}


def language_home(site, language):
    return site.root_page.get_translation(Locale.objects.get(language_code=language))


def pages_to_visit(language, site=None, page_types=PAGE_TYPES):
    """One page of each type of the site (default: the default site) from its sitemap, plus
    search, a filtered listing and the registration form: (name, path, has a form that
    posts)."""
    site = site or Site.objects.get(is_default_site=True)
    in_sitemap = sitemap_paths(site)
    # the site's pages in this language; paths relative to the site's host (with two sites,
    # `page.url` starts with the site's configured address, not the live server's)
    home = language_home(site, language)
    registration = registration_event(language, site)
    visits = []
    for model in page_types:
        page = model.objects.live().public().descendant_of(home, inclusive=True).first()
        assert page is not None, f"the demo has no {model.__name__} in {language} on {site}"
        path = page.relative_url(site)
        assert path in in_sitemap, f"{path} is missing from the sitemap of {site}"
        # the accessibility statement has the barrier feedback form; a site's only workshop
        # (Lindental's) may be the one with the registration form
        has_form = model is AccessibilityStatementPage or page.pk == registration.pk
        visits.append((model.__name__, path, has_form))
    visits.append(("registration form", registration.relative_url(site), True))
    lab_index = LabIndexPage.objects.live().descendant_of(home).first()
    documented = EventPage.objects.live().descendant_of(home).documented().first()
    if documented is not None and documented.shows_documentation:
        visits.append(("documented workshop", documented.relative_url(site), False))
    library = LibraryPage.objects.live().descendant_of(home).first()
    visits += [
        ("way through the phases", f"{library.relative_url(site)}phases/", False),
        ("filtered library", f"{library.relative_url(site)}?phase=1&audience=x", False),
    ]
    visits += [
        ("search results", f"{SEARCH[language]}?q=Labor", False),
        ("search without results", f"{SEARCH[language]}?q=qqqxxyyzz", False),
        ("filtered listing", f"{lab_index.relative_url(site)}?phase=unknown&page=2", False),
    ]
    return visits


def registration_event(language, site=None):
    """A workshop of the site with the built-in registration form."""
    site = site or Site.objects.get(is_default_site=True)
    return (
        EventPage.objects.live()
        .descendant_of(language_home(site, language))
        .filter(registration_mode=RegistrationMode.BUILT_IN)
        .first()
    )


def check_accessibility(page, label):
    from axe_playwright_python.sync_playwright import Axe

    results = Axe().run(
        page,
        options={"runOnly": {"type": "tag", "values": AXE_TAGS}, "resultTypes": ["violations"]},
    )
    assert results.violations_count == 0, f"{label}:\n{results.generate_report()}"


def screenshot(page, name, language, viewport, site_label="", scheme="light"):
    SCREENSHOTS.mkdir(exist_ok=True)
    safe = re.sub(r"[^a-z0-9]+", "-", f"{site_label} {name}".lower()).strip("-")
    suffix = "" if scheme == "light" else f"-{scheme}"
    # lazy images load only near the viewport: scroll through the page first
    page.evaluate(
        "(async () => { for (let y = 0; y < document.body.scrollHeight; y += 600) {"
        " window.scrollTo(0, y); await new Promise(done => setTimeout(done, 30)); }"
        " window.scrollTo(0, 0); })()"
    )
    page.wait_for_load_state("load")
    page.screenshot(path=SCREENSHOTS / f"{safe}-{language}-{viewport}{suffix}.png", full_page=True)


def check_every_page(
    visit, language, viewport, site=None, page_types=PAGE_TYPES, also=None, scheme="light"
):
    """Visit each page of `pages_to_visit` on the site's own host (default: the default
    site) in the light or dark colour scheme: no axe violation, nothing from another host,
    no console error, no cookie while reading; `also(browser, label)` checks more on each
    page."""
    site_label = "" if site is None else site.site_name
    for name, path, has_form in pages_to_visit(language, site, page_types):
        browser = visit(viewport, hostname=site and site.hostname, color_scheme=scheme)
        browser.goto(path)
        label = f"{site_label} {name} {path} ({language}, {viewport}, {scheme})".strip()
        check_accessibility(browser.page, label)
        assert browser.foreign_requests == [], label
        assert browser.console_errors == [], label
        cookies = {cookie["name"] for cookie in browser.context.cookies()}
        assert cookies == ({"csrftoken"} if has_form else set()), label
        if also:
            also(browser, label)
        screenshot(browser.page, name, language, viewport, site_label, scheme)
        browser.close()


def check_the_registration_form_with_errors(visit, language, site=None):
    """The form sent empty: the error summary and the marked fields pass axe too; the
    honeypot stays out of the accessibility tree."""
    site_label = "" if site is None else site.site_name
    event = registration_event(language, site)
    browser = visit(hostname=site and site.hostname)
    browser.goto(event.relative_url(site or Site.objects.get(is_default_site=True)))
    form = browser.page.locator("form.form")
    form.get_by_role("button").click()
    browser.page.wait_for_load_state("load")
    assert browser.page.locator(".notice--error[role=alert]").count() >= 1
    assert browser.page.locator("[aria-invalid=true]").count() >= 2
    check_accessibility(browser.page, f"{site_label} registration errors ({language})".strip())
    honeypot = browser.page.locator("input[name=website]")
    assert honeypot.count() == 1
    assert not honeypot.is_visible()
    assert browser.page.get_by_role("textbox", name=re.compile("empty|leer")).count() == 0
    assert browser.foreign_requests == []
    assert browser.console_errors == []
    screenshot(browser.page, "registration errors", language, "desktop", site_label)


@pytest.mark.parametrize("scheme", COLOUR_SCHEMES)
@pytest.mark.parametrize("viewport", list(VIEWPORTS))
@pytest.mark.parametrize("language", ["de", "en"])
def test_every_page_type_is_accessible_private_and_error_free(
    demo, visit, language, viewport, scheme
):
    check_every_page(visit, language, viewport, scheme=scheme)


@pytest.mark.parametrize("language", ["de", "en"])
def test_the_registration_form_with_errors_is_accessible(demo, visit, language):
    check_the_registration_form_with_errors(visit, language)


@pytest.mark.parametrize("viewport", list(VIEWPORTS))
def test_the_skip_link_moves_focus_to_the_main_content(demo, visit, viewport):
    browser = visit(viewport)
    browser.goto(demo["de"].url)
    browser.page.keyboard.press("Tab")
    focused = browser.page.evaluate("document.activeElement.className")
    assert "skip-link" in focused
    # the focused skip link is visible and has a visible focus indicator
    assert browser.page.locator(".skip-link").is_visible()
    outline = browser.page.evaluate("getComputedStyle(document.activeElement).outlineStyle")
    assert outline not in ("", "none")
    browser.page.keyboard.press("Enter")
    assert browser.page.evaluate("document.activeElement.id") == "main"


FOCUS_STYLE = """(() => {
    const element = document.activeElement, style = getComputedStyle(element);
    return {
        element: element.outerHTML.slice(0, 120),
        outline: style.outlineStyle !== "none" && parseFloat(style.outlineWidth) >= 2,
        shadow: style.boxShadow !== "none",
    };
})()"""


def check_focus_is_visible_on_every_interactive_element(page, label):
    """Tab through the whole page: each element the keyboard reaches shows KERN's focus
    style (an outline of at least 2px, or a box shadow), and Tab reaches them all."""
    reachable = page.locator(INTERACTIVE).evaluate_all(
        "elements => elements.filter(e => e.offsetParent !== null"
        " && !e.closest('.form-trap, [inert]')).length"
    )
    seen = set()
    for _ in range(reachable + 3):
        page.keyboard.press("Tab")
        if page.evaluate("document.activeElement === document.body"):
            break
        focus = page.evaluate(FOCUS_STYLE)
        assert focus["outline"] or focus["shadow"], (label, focus["element"])
        seen.add(focus["element"])
    assert len(seen) >= min(reachable, 10), (label, len(seen), reachable)


@pytest.mark.parametrize("scheme", COLOUR_SCHEMES)
def test_focus_is_visible_on_every_interactive_element(demo, visit, scheme):
    """On the page types with the most kinds of controls: header, menu, cards, filters,
    accordion, the registration and feedback forms, footer."""
    paths = [name_path for name_path in pages_to_visit("de") if name_path[0] in FOCUS_PAGES]
    assert len(paths) == len(FOCUS_PAGES)
    for name, path, _has_form in paths:
        browser = visit(color_scheme=scheme)
        browser.goto(path)
        check_focus_is_visible_on_every_interactive_element(browser.page, f"{name} ({scheme})")
        browser.close()


FOCUS_PAGES = {"HomePage", "registration form", "AccessibilityStatementPage", "filtered library"}


def test_the_main_navigation_works_by_keyboard_without_javascript_on_a_phone(demo, visit):
    browser = visit("mobile", java_script_enabled=False)
    browser.goto(demo["de"].url)
    links = browser.page.locator("nav.main-nav a")
    assert links.count() >= 3
    for index in range(links.count()):
        link = links.nth(index)
        assert link.is_visible()
        box = link.bounding_box()
        assert box["x"] >= 0 and box["x"] + box["width"] <= VIEWPORTS["mobile"]["width"]
    # Tab reaches the first menu entry and Enter follows it
    first = links.nth(0)
    target = first.get_attribute("href")
    for _ in range(30):
        browser.page.keyboard.press("Tab")
        if browser.page.evaluate("document.activeElement.getAttribute('href')") == target:
            break
    else:
        pytest.fail("the main navigation cannot be reached with the Tab key")
    browser.page.keyboard.press("Enter")
    browser.page.wait_for_url(f"**{target}")


def test_a_workshop_prints_its_date_place_and_agenda_without_navigation(demo, visit):
    event = (
        EventPage.objects.live()
        .filter(locale__language_code="de", agenda_items__isnull=False, venue__isnull=False)
        .distinct()
        .first()
    )
    browser = visit()
    browser.goto(event.relative_url(Site.objects.get(is_default_site=True)))
    browser.page.emulate_media(media="print")
    page = browser.page
    for on_paper in ["h1", ".event__facts time", ".event__facts address", "table.agenda"]:
        assert page.locator(on_paper).first.is_visible(), on_paper
    for left_out in [".main-nav", ".search-form--header", ".breadcrumbs", ".site-footer"]:
        assert not page.locator(left_out).first.is_visible(), left_out
    if page.locator(".registration").count():
        assert not page.locator(".registration").first.is_visible()
    browser.page.pdf(path=str(SCREENSHOTS / "workshop-print-de.pdf"))
