"""What a request needs before its page is known (site, locale, home pages, private sections)
is read once per content version (portal/delivery/request_facts.py). These tests change each
fact after a first request has remembered it and check that visitors see the change at once,
with the version in the database (local memory) and in Redis; the query budgets
(tests/test_query_budgets.py) count what the facts save."""

import pytest
from django.core.cache import cache
from django.test import Client
from wagtail.models import PageViewRestriction, Site

from labs.models import LabIndexPage
from tests.helpers import soup_of
from tests.labs.factories import LabPageFactory
from tests.portal.factories import published

BACKENDS = [
    pytest.param("local", id="version-in-database"),
    pytest.param("redis", id="redis", marks=pytest.mark.redis),
]


@pytest.fixture(params=BACKENDS)
def backend(request, settings):
    """Uncached pages (the page cache off): the facts alone are under test."""
    settings.PORTAL_PAGE_CACHE_SECONDS = 0
    if request.param == "redis":
        request.getfixturevalue("redis_cache")
    else:
        cache.clear()
    return request.param


@pytest.fixture
def lab(demo):
    return published(LabPageFactory(title="Labor am Schieferberg"))


def listed(client, title) -> bool:
    index = LabIndexPage.objects.get(locale__language_code="de")
    return title in client.get(index.url).content.decode()


def test_a_section_made_private_leaves_listings_and_asks_for_a_login(client, backend, lab):
    assert client.get(lab.url).status_code == 200
    assert listed(client, lab.title)

    restriction = PageViewRestriction.objects.create(page=lab, restriction_type="login")

    response = client.get(lab.url)
    assert response.status_code == 302 and "/login/" in response["Location"]
    assert not listed(client, lab.title)
    assert lab.title not in client.get("/de/").content.decode()

    restriction.delete()

    assert client.get(lab.url).status_code == 200
    assert listed(client, lab.title)


def test_a_password_on_an_ancestor_protects_the_pages_below(client, backend, lab):
    client.get(lab.url)
    index = lab.get_parent()
    PageViewRestriction.objects.create(page=index, restriction_type="password", password="x")

    response = client.get(lab.url)
    assert response.status_code == 200
    assert soup_of(response).select_one("input[name=password]") is not None
    assert lab.title not in response.content.decode()


def test_a_published_home_page_shows_at_once_in_both_languages(client, backend, demo):
    for language in ("de", "en"):
        assert client.get(f"/{language}/").status_code == 200
        home = demo[language]
        home.hero_heading = f"Neu im Quartier ({language})"
        published(home)
        response = client.get(f"/{language}/")
        assert f"Neu im Quartier ({language})" in response.content.decode()


def test_the_english_home_page_leaves_with_its_unpublishing(client, backend, demo):
    german, english = demo["de"].hero_heading, demo["en"].hero_heading
    assert german != english
    assert english in client.get("/en/").content.decode()
    demo["en"].unpublish()
    # as Wagtail does: the home page of the default language answers in its place
    response = client.get("/en/")
    assert response.status_code == 200
    assert german in response.content.decode() and english not in response.content.decode()


def test_a_new_host_name_serves_its_site_at_once(backend, demo, settings):
    settings.ALLOWED_HOSTS = [*settings.ALLOWED_HOSTS, "labore.example.org"]
    visitor = Client(HTTP_HOST="labore.example.org")
    site = demo["site"]
    before = visitor.get("/de/")
    Site.objects.create(
        hostname="labore.example.org",
        port=80,
        root_page=demo["de"],
        site_name="Labore",
        is_default_site=False,
    )
    after = visitor.get("/de/")
    assert before.status_code == after.status_code == 200
    assert site.hostname != "labore.example.org"
    assert Site.find_for_request(after.wsgi_request).hostname == "labore.example.org"
