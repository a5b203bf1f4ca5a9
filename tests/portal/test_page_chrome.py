"""What every page shows: languages, navigation, footer with funding notice, meta tags."""

import pytest
from bs4 import BeautifulSoup

from home.models import ContentPage, PrivacyPage
from tests.helpers import soup_of
from tests.home.factories import ContentPageFactory
from tests.portal.factories import SiteTextsFactory

pytestmark = pytest.mark.django_db


def hreflangs(soup):
    return {link["hreflang"]: link["href"] for link in soup.select('link[rel="alternate"]')}


@pytest.mark.parametrize(
    ("path", "other_language", "other_path"),
    [
        ("/de/ueber-das-projekt/", "en", "/en/about-the-project/"),
        ("/en/about-the-project/", "de", "/de/ueber-das-projekt/"),
        ("/de/", "en", "/en/"),
    ],
)
def test_language_switcher_and_hreflang_point_to_the_translated_page(
    client, demo, path, other_language, other_path
):
    soup = soup_of(client.get(path))
    link = soup.select_one(f'.language-switcher a[hreflang="{other_language}"]')
    assert link["href"] == other_path
    assert link["lang"] == other_language
    alternates = hreflangs(soup)
    assert alternates[other_language] == f"http://testserver{other_path}"
    assert alternates[path.split("/")[1]] == f"http://testserver{path}"
    assert alternates["x-default"].startswith("http://testserver/de/")


def test_switcher_says_so_when_no_translation_exists(client, portal):
    portal["de"].add_child(
        instance=ContentPageFactory.build(title="Nur Deutsch", slug="nur-deutsch")
    )
    soup = soup_of(client.get("/de/nur-deutsch/"))
    assert soup.select_one('.language-switcher a[hreflang="en"]') is None
    missing = soup.select_one(".language-switcher__missing")
    assert missing.get_text(strip=True) == "Not available in English"
    assert set(hreflangs(soup)) == {"de", "x-default"}


def test_switcher_labels_are_in_the_target_language(client, demo):
    soup = soup_of(client.get("/en/"))
    assert soup.select_one('.language-switcher a[hreflang="de"]').get_text(strip=True) == (
        "Diese Seite auf Deutsch"
    )


@pytest.mark.parametrize(
    ("path", "expected"),
    [
        ("/de/", "Das Bundesministerium für Bildung und Forschung (BMBF) fördert"),
        ("/de/impressum/", "Das Bundesministerium für Bildung und Forschung (BMBF) fördert"),
        ("/en/", "The Federal Ministry of Education and Research (BMBF) funds"),
        ("/en/privacy/", "The Federal Ministry of Education and Research (BMBF) funds"),
    ],
)
def test_funding_notice_in_every_pages_footer_in_the_visitors_language(
    client, demo, path, expected
):
    soup = soup_of(client.get(path))
    assert expected in soup.select_one("footer .funding-notice").get_text()


def test_funding_notice_on_the_not_found_page(client, demo):
    response = client.get("/en/no-such-page/")
    assert response.status_code == 404
    soup = BeautifulSoup(response.content, "html.parser")
    assert "Federal Ministry of Education and Research" in soup.select_one("footer").get_text()
    assert soup.find("h1").get_text(strip=True) == "Page not found"


def test_site_texts_and_settings_edited_in_the_admin_show_up(client, portal):
    SiteTextsFactory()
    from portal.models import PortalSettings

    settings = PortalSettings.for_site(portal["site"])
    settings.contact_email = "lab@teststadt.example"
    settings.funder_url = "https://funder.example/"
    settings.save()
    soup = soup_of(client.get("/de/"))
    assert soup.select_one(".site-brand__name").get_text(strip=True) == "KoSI-Lab Teststadt"
    footer = soup.select_one("footer")
    assert "Gefördert vom Testministerium" in footer.get_text()
    assert footer.select_one('a[href="mailto:lab@teststadt.example"]')
    assert footer.select_one('a[href="https://funder.example/"]').get_text() == "Testministerium"
    # English visitors get the German texts until a translation exists.
    assert "Gefördert vom Testministerium" in soup_of(client.get("/en/")).select_one("footer").text


def test_legal_links_lead_to_the_page_in_the_visitors_language(client, demo):
    german = [a["href"] for a in soup_of(client.get("/de/")).select(".site-footer__legal a")]
    english = [a["href"] for a in soup_of(client.get("/en/")).select(".site-footer__legal a")]
    assert german == ["/de/impressum/", "/de/datenschutz/", "/de/barrierefreiheit/"]
    assert english == ["/en/imprint/", "/en/privacy/", "/en/accessibility/"]


def test_main_menu_lists_pages_shown_in_menus_and_marks_the_current_one(client, demo):
    soup = soup_of(client.get("/en/about-the-project/"))
    links = soup.select("nav.main-nav a")
    assert [(a.get_text(strip=True), a["href"]) for a in links] == [
        ("Labs", "/en/labs/"),
        ("Partners", "/en/partners/"),
        ("Workshops", "/en/workshops/"),
        ("Knowledge & tools", "/en/knowledge/"),
        ("About the project", "/en/about-the-project/"),
    ]
    assert [a.get("aria-current") for a in links] == [None, None, None, None, "page"]
    nested = soup_of(client.get("/en/labs/growing-older-in-the-nordstadt/"))
    assert nested.select("nav.main-nav a")[0]["aria-current"] == "true"


def test_breadcrumbs_on_nested_pages(client, demo):
    about = ContentPage.objects.get(slug="ueber-das-projekt")
    about.add_child(instance=ContentPageFactory.build(title="Werkstätten", slug="werkstaetten"))
    soup = soup_of(client.get("/de/ueber-das-projekt/werkstaetten/"))
    crumbs = [li.get_text(strip=True) for li in soup.select(".breadcrumbs li")]
    assert crumbs == ["Startseite", "Über das Projekt", "Werkstätten"]
    assert soup.select_one('.breadcrumbs [aria-current="page"]').get_text() == "Werkstätten"


def test_meta_description_and_open_graph_tags(client, demo):
    soup = soup_of(client.get("/en/about-the-project/"))
    description = soup.select_one('meta[name="description"]')["content"]
    assert description.startswith("What municipal labs of social innovation are")
    assert soup.select_one('meta[property="og:title"]')["content"] == "About the project"
    assert soup.select_one('meta[property="og:url"]')["content"] == (
        "http://testserver/en/about-the-project/"
    )
    assert soup.select_one('meta[property="og:locale"]')["content"] == "en_GB"
    home = soup_of(client.get("/de/"))
    assert home.select_one('meta[property="og:image"]')["content"].startswith("http://testserver/")


@pytest.mark.parametrize(
    "path",
    [
        "/de/",
        "/en/",
        "/de/ueber-das-projekt/",
        "/en/no-such-page/",
        "/de/labore/",
        "/en/labs/growing-older-in-the-nordstadt/",
        "/de/akteure/?sector=research",
        "/en/partners/quartiersladen/",
    ],
)
def test_no_inline_styles_or_scripts_and_no_third_party_resources(client, demo, path):
    response = client.get(path)
    soup = BeautifulSoup(response.content, "html.parser")
    assert not soup.select("[style]"), path
    assert not soup.find_all("style"), path
    # structured data is not executed, so a strict CSP does not need to allow it; other
    # scripts are files of the site itself, never inline
    for script in soup.find_all("script"):
        if script.get("type") != "application/ld+json":
            assert script.get("src") and not (script.string or "").strip(), (path, script)
    for tag, attribute in [("link", "href"), ("img", "src"), ("script", "src")]:
        for element in soup.find_all(tag, attrs={attribute: True}):
            url = element[attribute]
            assert url.startswith(("/", "http://testserver/")), (path, url)


def test_german_fallback_texts_on_english_pages_are_marked_german(client, demo):
    from portal.models import SiteTexts

    SiteTexts.objects.filter(locale__language_code="en").delete()
    english_privacy = PrivacyPage.objects.get(slug="privacy")
    english_privacy.unpublish()
    soup = soup_of(client.get("/en/"))
    assert soup.select_one(".funding-notice__text")["lang"] == "de"
    assert soup.select_one(".site-brand__name")["lang"] == "de"
    legal = {a.get_text(): a for a in soup.select(".site-footer__legal a")}
    assert legal["Datenschutz"]["lang"] == "de"
    assert "lang" not in legal["Imprint"].attrs


def test_not_found_page_offers_the_home_pages_not_alternates(client, demo):
    response = client.get("/de/gibt-es-nicht/")
    soup = BeautifulSoup(response.content, "html.parser")
    assert not soup.select('link[rel="alternate"]')
    link = soup.select_one('.language-switcher a[hreflang="en"]')
    assert (link.get_text(), link["href"]) == ("Home page in English", "/en/")


def test_no_empty_navigation_landmark_without_menu_pages(client, portal):
    from wagtail.models import Page

    Page.objects.update(show_in_menus=False)
    soup = soup_of(client.get("/de/"))
    assert soup.select("nav.main-nav") == []


def test_the_shared_chrome_follows_every_change_at_once(client, demo):
    """Header, menu and footer are computed once and shared between requests (no queries
    per page), and still show any change on the very next request."""
    from portal.models import PortalSettings, SiteTexts

    client.get("/de/labore/")  # the chrome is now shared
    texts = SiteTexts.objects.get(locale__language_code="de")
    texts.site_name = "Labor-Portal Musterstadt"
    texts.save()
    portal_settings = PortalSettings.objects.get()
    portal_settings.contact_email = "labor@musterstadt.example"
    portal_settings.save()
    new_section = ContentPageFactory.build(title="Mitmachen", slug="mitmachen", show_in_menus=True)
    demo["de"].add_child(instance=new_section)
    new_section.save_revision().publish()

    soup = soup_of(client.get("/de/labore/"))
    assert soup.select_one(".site-brand__name").get_text() == "Labor-Portal Musterstadt"
    assert "labor@musterstadt.example" in soup.select_one(".site-footer__contact").get_text()
    assert "Mitmachen" in [a.get_text(strip=True) for a in soup.select(".main-nav a")]
    english = soup_of(client.get("/en/labs/"))
    assert english.select_one(".site-brand__name").get_text() != "Labor-Portal Musterstadt"

    new_section.unpublish()
    soup = soup_of(client.get("/de/labore/"))
    assert "Mitmachen" not in [a.get_text(strip=True) for a in soup.select(".main-nav a")]


def official_site_bar(client, path="/de/"):
    return soup_of(client.get(path)).select_one(".kern-kopfzeile")


def test_the_official_website_bar_is_off_by_default(client, demo):
    assert official_site_bar(client) is None


def test_the_official_website_bar_says_the_municipalitys_own_text(client, portal):
    from portal.models import PortalSettings

    texts = SiteTextsFactory(municipality="Stadt Teststadt")
    settings = PortalSettings.for_site(portal["site"])
    settings.official_site_bar = True
    settings.save()
    bar = official_site_bar(client)
    # never KERN's default naming the federal republic
    assert bar.get_text(" ", strip=True) == "Offizielle Website – Stadt Teststadt"
    assert bar.select_one("svg")  # the flag, drawn without a script or a style attribute
    assert not bar.select("[style], script")

    texts.official_site_bar_text = "Ein Angebot der Stadt Teststadt"
    texts.save()
    assert official_site_bar(client).get_text(strip=True) == "Ein Angebot der Stadt Teststadt"
