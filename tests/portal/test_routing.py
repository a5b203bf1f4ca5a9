"""Language prefixes, redirects, sitemap, robots.txt and bad input."""

import xml.etree.ElementTree as ET

import pytest
from wagtail.models import Page

from home.models import ContentPage
from tests.home.factories import ContentPageFactory

pytestmark = pytest.mark.django_db

SITEMAP_NS = {"s": "http://www.sitemaps.org/schemas/sitemap/0.9"}


@pytest.mark.parametrize(
    ("accept_language", "target"),
    [("en-GB,en;q=0.9", "/en/"), ("de-DE,de;q=0.9", "/de/"), ("fr-FR", "/de/"), ("", "/de/")],
)
def test_root_redirects_by_accept_language(client, portal, accept_language, target):
    response = client.get("/", headers={"accept-language": accept_language})
    assert response.status_code == 302
    assert response["Location"] == target


@pytest.mark.parametrize("path", ["/fr/", "/xx/ueber-das-projekt/", "/de/gibt-es-nicht/"])
def test_unknown_language_prefix_or_page_is_not_found(client, demo, path):
    response = client.get(path, follow=True)
    assert response.status_code == 404


def test_not_found_page_in_german(client, demo):
    response = client.get("/de/gibt-es-nicht/")
    assert response.status_code == 404
    assert "Seite nicht gefunden" in response.content.decode()


@pytest.mark.parametrize(
    "query",
    ["?page=abc", "?page=-1&q=%00", "?%ff=%fe", "?q=" + "x" * 5000, "?lang[]=1&&&="],
)
def test_malformed_query_strings_are_ignored(client, demo, query):
    assert client.get("/de/" + query).status_code == 200
    assert client.get("/en/about-the-project/" + query).status_code == 200


def sitemap_locations(client):
    response = client.get("/sitemap.xml")
    assert response.status_code == 200
    root = ET.fromstring(response.content)  # noqa: S314 - our own response
    return [loc.text for loc in root.findall("s:url/s:loc", SITEMAP_NS)]


def test_sitemap_lists_every_live_page_in_both_languages(client, demo):
    locations = sitemap_locations(client)
    base = "http://testserver"
    for path in [
        "/de/",
        "/de/ueber-das-projekt/",
        "/de/impressum/",
        "/de/labore/gemeinsam-im-quartier/",
        "/de/akteure/jugendrat-wuppertal/",
        "/en/",
        "/en/about-the-project/",
        "/en/imprint/",
        "/en/labs/together-in-the-neighbourhood/",
        "/en/partners/jugendrat-wuppertal/",
    ]:
        assert base + path in locations
    assert len(locations) == len(set(locations)) == Page.objects.live().filter(depth__gte=2).count()


def test_sitemap_urls_are_each_pages_own_url(client, demo):
    """The sitemap reads plain page rows (fast); that is only right while no page type
    adds URLs of its own through get_sitemap_urls."""
    from wagtail.models import get_page_models

    overriding = [
        model.__name__
        for model in get_page_models()
        if model.get_sitemap_urls is not Page.get_sitemap_urls
    ]
    assert not overriding, "fetch these specifically in portal/sitemap.py"
    pages = Page.objects.live().filter(depth__gte=2).specific()
    assert set(sitemap_locations(client)) == {page.get_full_url() for page in pages}


def test_sitemap_leaves_out_drafts(client, demo):
    home = ContentPage.objects.get(slug="ueber-das-projekt").get_parent()
    home.add_child(instance=ContentPageFactory.build(title="Entwurf", slug="entwurf", live=False))
    assert not [url for url in sitemap_locations(client) if "entwurf" in url]


def test_robots_txt_points_to_the_sitemap(client, portal):
    response = client.get("/robots.txt")
    assert response.status_code == 200
    assert response["Content-Type"].startswith("text/plain")
    lines = response.content.decode().splitlines()
    assert "Disallow: /admin/" in lines
    assert not [line for line in lines if "/documents/" in line]  # downloads may be indexed
    assert "Sitemap: http://testserver/sitemap.xml" in lines


def test_anonymous_pages_set_no_cookies(client, demo):
    for path in ["/de/", "/en/about-the-project/", "/sitemap.xml"]:
        assert not client.get(path).cookies, path


def test_server_error_page_speaks_both_languages(rf):
    from django.views.defaults import server_error

    response = server_error(rf.get("/de/"))
    assert response.status_code == 500
    html = response.content.decode()
    assert "Entschuldigung, ein Fehler ist aufgetreten" in html
    assert "Sorry, something went wrong" in html


def test_routing_finds_pages_at_every_depth_and_nothing_else(client, demo):
    from tests.events.factories import series_with_parts

    series, (part,) = series_with_parts(1)
    for page in (series, part):  # depth 4 and 5, each in one query for the whole path
        assert client.get(page.url).status_code == 200
    assert client.get(f"{part.url}calendar/").status_code == 200  # the part's own route
    assert client.get(f"{series.url}nicht-da/").status_code == 404
    missing_middle = part.url.replace(f"/{series.slug}/", "/keine-reihe/")
    assert client.get(missing_middle).status_code == 404
    part.unpublish()
    assert client.get(part.url).status_code == 404


def test_a_routable_pages_own_route_answers_before_a_sub_page_of_the_same_name(client, demo):
    """As in Wagtail: the workshop directory's feed stays the feed even when an editor names
    a workshop below it "feed"."""
    from events.models import EventIndexPage
    from tests.events.factories import EventPageFactory

    index = EventIndexPage.objects.get(locale__language_code="de")
    EventPageFactory(parent=index, slug="feed", title="Eine Werkstatt namens Feed")
    response = client.get(f"{index.url}feed/")
    assert response.status_code == 200
    assert response["Content-Type"].startswith("application/atom+xml")
