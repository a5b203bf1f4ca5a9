"""The site skeleton and the demo loader: idempotent, and careful with foreign content."""

import io

import pytest
from django.contrib.auth import get_user_model
from django.contrib.auth.models import Group
from django.core.management import CommandError, call_command
from wagtail.models import Locale, Page, Site

from home.models import HomePage
from portal.models import PortalSettings, SiteTexts
from tests.home.factories import ContentPageFactory

pytestmark = pytest.mark.django_db


def run(command, *args):
    out = io.StringIO()
    call_command(command, *args, stdout=out)
    return out.getvalue()


def page_count():
    return Page.objects.filter(depth__gte=2).count()


def test_setup_portal_creates_languages_and_the_home_page_in_each(portal):
    assert set(Locale.objects.values_list("language_code", flat=True)) == {"de", "en"}
    site = Site.objects.get(is_default_site=True)
    assert isinstance(site.root_page.specific, HomePage)
    assert site.root_page.locale.language_code == "de"
    english = site.root_page.get_translation(Locale.objects.get(language_code="en"))
    assert english.title == "Home"
    assert english.live
    # The directories and the legal and accessibility pages, and nothing demo-like.
    titles = set(Page.objects.filter(depth=3).values_list("title", flat=True))
    assert titles == {
        *("Labore", "Akteure", "Werkstätten", "Labs", "Partners", "Workshops"),
        *("Impressum", "Datenschutz", "Erklärung zur Barrierefreiheit"),
        *("Imprint", "Privacy policy", "Accessibility statement"),
        *("Leichte Sprache", "Gebärdensprache", "Easy Read", "Sign language"),
        *("Wissen & Werkzeuge", "Knowledge & tools"),
    }
    assert page_count() == 20
    assert not SiteTexts.objects.exists()


def test_setup_portal_is_idempotent(portal):
    before = list(Page.objects.values_list("pk", "path", "title", "live"))
    output = run("setup_portal")
    assert "Created" not in output
    assert list(Page.objects.values_list("pk", "path", "title", "live")) == before


def test_setup_portal_points_the_site_at_the_public_address(portal, settings):
    settings.WAGTAILADMIN_BASE_URL = "https://kosi-lab.example.org"
    run("setup_portal")
    site = Site.objects.get(is_default_site=True)
    assert (site.hostname, site.port) == ("kosi-lab.example.org", 443)


def test_demo_content_builds_a_bilingual_site(demo):
    english = Locale.objects.get(language_code="en")
    german_pages = Page.objects.filter(depth__gte=2, locale__language_code="de")
    # home, about, imprint, privacy, accessibility, easy language, sign language, three
    # directories and the library, three labs, 15 actors, a workshop series with four parts
    # and two single workshops, nine materials, the network page
    assert german_pages.count() == 46
    for page in german_pages:
        assert page.get_translation(english).live, page
    assert german_pages.get(slug="ueber-das-projekt").get_translation(english).title == (
        "About the project"
    )
    assert SiteTexts.objects.count() == 2
    settings = PortalSettings.for_site(Site.objects.get(is_default_site=True))
    assert settings.imprint_page.slug == "impressum"
    assert settings.privacy_page.slug == "datenschutz"
    assert settings.accessibility_page.slug == "barrierefreiheit"


def test_demo_content_is_idempotent(demo):
    def revisions():
        return list(Page.objects.order_by("pk").values_list("pk", "latest_revision_id"))

    before, revisions_before = page_count(), revisions()
    output = run("load_demo_content", "--single-site")
    assert "already complete" in output
    assert page_count() == before == 92
    assert revisions() == revisions_before


def test_demo_loader_refuses_a_database_with_other_content(portal):
    portal["de"].add_child(instance=ContentPageFactory.build(title="Unser Amt", slug="amt"))
    with pytest.raises(CommandError, match=r"1 page\(s\) the demo did not create.*Unser Amt"):
        run("load_demo_content", "--single-site")
    assert page_count() == 21


def test_demo_loader_adds_content_with_force(portal):
    portal["de"].add_child(instance=ContentPageFactory.build(title="Unser Amt", slug="amt"))
    run("load_demo_content", "--force", "--single-site")
    assert page_count() == 21 + 72


def test_demo_loader_reruns_on_a_demo_database_with_the_users_edits(demo):
    demo["de"].add_child(instance=ContentPageFactory.build(title="Mein Test", slug="mein-test"))
    assert "already complete" in run("load_demo_content", "--single-site")
    assert page_count() == 93


def test_demo_loader_prints_an_admin_login_that_works(client, portal):
    output = run("load_demo_content", "--admin")
    password = output.split("password '")[1].split("'")[0]
    user = get_user_model().objects.get(username="admin")
    assert user.is_superuser
    assert client.login(username="admin", password=password)
    assert client.get("/admin/").status_code == 200


def test_the_demo_serves_a_second_municipality_once(client, demo):
    """`make demo` (no --single-site) adds Lindental at lindental.localhost: its own trees,
    texts, colour, lab, partners, workshop with registration, roles, workflow and editors."""
    output = run("load_demo_content")
    site = Site.objects.get(hostname="lindental.localhost")
    assert site.site_name == "Lindental" and not site.is_default_site
    assert "Created the site Lindental" in output
    german = Page.objects.filter(depth__gte=2, locale__language_code="de")
    own = german.filter(path__startswith=site.root_page.path)
    # home, imprint, privacy, accessibility, easy and sign language, three directories and
    # the library, one lab, two actors, one workshop, one material, the network page
    assert own.count() == 16
    assert german.count() == 46 + 16
    english = Locale.objects.get(language_code="en")
    assert all(page.get_translation(english).live for page in own)
    home = client.get("/de/", HTTP_HOST="lindental.localhost")
    assert "Labor Lindental" in home.content.decode()
    assert PortalSettings.for_site(site).primary_colour == "#1f6b3a"
    for name in ["Redaktion Lindental", "Freigabe Lindental", "Administration Lindental"]:
        assert Group.objects.filter(name=name).exists()
    assert get_user_model().objects.get(username="redaktion-lindental").groups.get().name == (
        "Redaktion Lindental"
    )
    before = page_count()
    assert "already complete" in run("load_demo_content")
    assert page_count() == before


def test_demo_logos_are_drawn_with_a_font_that_has_german_letters():
    """The demo's partner "Jugendforum Ölberg" has the initials JÖ: each letter is drawn as
    itself, not as the missing-glyph box that Pillow's built-in font draws for Ö."""
    from PIL import ImageFont

    from portal.content import LOGO_FONT

    font = ImageFont.truetype(str(LOGO_FONT), size=96)
    missing_glyph = bytes(font.getmask("\ue000"))  # a private-use character: no glyph
    drawn = {letter: bytes(font.getmask(letter)) for letter in "OÄÖÜß"}
    assert all(mask != missing_glyph for mask in drawn.values())
    assert drawn["Ö"] != drawn["O"]
