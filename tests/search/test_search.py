"""Site search: what visitors find in their language, facets, promotions and bad input."""

import logging
from unittest import mock

import pytest
from django.db import OperationalError
from django.urls import reverse
from django.utils import translation
from wagtail.contrib.search_promotions.models import Query
from wagtail.models import Locale, PageViewRestriction, Site

from home.models import ContentPage
from search import terms
from search.models import PromotedResult
from tests.events.factories import EventPageFactory
from tests.helpers import soup_of
from tests.portal.factories import translated


def search_url(language="de"):
    with translation.override(language):
        return reverse("search")


def results(client, query, language="de", **params):
    soup = soup_of(client.get(search_url(language), {"q": query, **params}))
    return soup, [a.get_text(strip=True) for a in soup.select(".search-result__title a")]


def add_page(demo, title, teaser="", language="de", publish=True):
    home = demo[language]
    page = home.add_child(instance=ContentPage(title=title, teaser=teaser, live=publish))
    revision = page.save_revision()
    if publish:
        revision.publish()
    return page


@pytest.fixture
def workshop(demo):
    """A German workshop and its English version."""
    event = EventPageFactory(title="2. Werkstatt: Zukunftsbilder")
    translated(event, {event.title: "Workshop 2: Pictures of the future"})
    return event


@pytest.mark.parametrize("language", ["de", "en"])
def test_every_page_has_a_search_form_in_its_header(client, demo, language):
    soup = soup_of(client.get(demo[language].url))
    form = soup.select_one("header form[role=search]")
    assert form["method"] == "get" and form["action"] == search_url(language)
    assert form.select_one("input[name=q]")
    assert soup.select_one(f'label[for="{form.select_one("input")["id"]}"]')


def test_finds_workshops_in_the_visitors_language_only(client, workshop):
    _soup, german = results(client, "Zukunftsbilder")
    assert "2. Werkstatt: Zukunftsbilder" in german
    _soup, english = results(client, "Pictures of the future", "en")
    assert "Workshop 2: Pictures of the future" in english
    assert not any("Werkstatt" in title for title in english)


def test_partial_words_find_pages(client, workshop):
    _soup, found = results(client, "Zukunftsbil")
    assert "2. Werkstatt: Zukunftsbilder" in found


def test_results_show_type_and_workshop_date(client, workshop):
    soup, _found = results(client, "Zukunftsbilder")
    result = next(li for li in soup.select(".search-result") if "Zukunftsbilder" in li.get_text())
    kind = result.select_one(".search-result__type")
    assert kind.get_text().startswith("Werkstatt")
    assert kind.select_one("time")["datetime"]


def test_type_facets_count_and_filter(client, demo):
    soup, everything = results(client, "Dortmund")
    facets = {
        a.get_text(strip=True).rsplit(" (", 1)[0]: int(
            a.get_text(strip=True).rsplit("(", 1)[1][:-1]
        )
        for a in soup.select(".search-facets a")
    }
    total = facets.pop("Alle")
    assert total == sum(facets.values()) and total >= len(everything)
    assert facets.get("Akteur", 0) > 0
    soup, actors = results(client, "Dortmund", type="actor")
    assert len(actors) == min(facets["Akteur"], 10)
    kinds = {p.get_text(strip=True).split(" ·")[0] for p in soup.select(".search-result__type")}
    assert kinds == {"Akteur"}


def test_drafts_and_private_pages_never_appear(client, demo):
    add_page(demo, "Geheimentwurf Zebrafisch", publish=False)
    private = add_page(demo, "Geschützter Zebrafisch")
    PageViewRestriction.objects.create(page=private, restriction_type="password", password="x")
    _soup, found = results(client, "Zebrafisch")
    assert found == []


def test_the_index_follows_publish_unpublish_and_delete(client, demo):
    page = add_page(demo, "Okapi-Stammtisch")
    assert results(client, "Okapi")[1] == ["Okapi-Stammtisch"]
    page.unpublish()
    assert results(client, "Okapi")[1] == []
    page.save_revision().publish()
    assert results(client, "Okapi")[1] == ["Okapi-Stammtisch"]
    page.delete()
    assert results(client, "Okapi")[1] == []


def test_promoted_results_in_the_visitors_language(client, workshop):
    event = workshop
    PromotedResult.objects.create(site=Site.objects.get(), search_term=" Anmeldung", page=event)
    german = soup_of(client.get(search_url(), {"q": "Anmeldung"}))
    assert [a.get_text() for a in german.select(".search-promoted a")] == [event.title]
    english = soup_of(client.get(search_url("en"), {"q": "anmeldung"}))
    english_event = event.get_translation(Locale.objects.get(language_code="en"))
    assert english_event.title == "Workshop 2: Pictures of the future"
    assert [a.get_text() for a in english.select(".search-promoted a")] == [english_event.title]
    assert Query.get("anmeldung").hits == 2  # counted, and nothing about the visitor stored


def test_nothing_found_suggests_the_directories_and_the_calendar(client, demo):
    soup, found = results(client, "Xylophonquartett")
    assert found == []
    links = [a["href"] for a in soup.select(".search-empty a")]
    assert "/de/labore/" in links and "/de/akteure/" in links
    assert any(link.endswith("/calendar/") for link in links)


@pytest.mark.parametrize(
    "query",
    [
        "",
        "   ",
        "x" * 5000,
        "Werk\x00statt",
        '"Werkstatt',
        "' OR 1=1 --",
        "<script>alert(1)</script>",
        "Werkstatt 🎉",
        "AND OR NOT",
        "(((",
        "*",
    ],
)
def test_bad_queries_get_a_page(client, demo, query):
    response = client.get(search_url(), {"q": query, "page": "junk", "type": "nonsense"})
    assert response.status_code == 200
    html = response.content.decode()
    assert "<script>alert(1)</script>" not in html
    if len(query) > 200:
        assert "auf 200 Zeichen gekürzt" in html


def test_suggestions_for_the_search_field(client, workshop):
    with translation.override("de"):
        url = reverse("search_suggestions")
    data = client.get(url, {"q": "Zukunft"}).json()
    assert "2. Werkstatt: Zukunftsbilder" in data["suggestions"]
    assert client.get(url, {"q": "Z"}).json() == {"suggestions": []}


def test_private_promoted_pages_are_not_shown(client, demo):
    private = add_page(demo, "Geheime Seite Quokka", teaser="Nur mit Passwort")
    PageViewRestriction.objects.create(page=private, restriction_type="password", password="x")
    PromotedResult.objects.create(site=Site.objects.get(), search_term="quokka", page=private)
    html = client.get(search_url(), {"q": "quokka"}).content.decode()
    assert "Geheime Seite Quokka" not in html and "Nur mit Passwort" not in html


def test_a_type_filter_counts_its_own_results(client, demo):
    soup, _found = results(client, "Dortmund", type="actor")
    count = soup.select_one(".result-count").get_text()
    actors = soup.select_one('.search-facets a[aria-current="true"]').get_text()
    assert count.split()[0] == actors.rsplit("(", 1)[1].rstrip(")")


def test_searches_served_from_the_page_cache_are_counted_too(client, demo, settings):
    settings.PORTAL_PAGE_CACHE_SECONDS = 600
    first = client.get(search_url(), {"q": "Werkstatt"})
    second = client.get(search_url(), {"q": "Werkstatt"})
    assert (first["X-Cache"], second["X-Cache"]) == ("MISS", "HIT")
    assert Query.get("werkstatt").hits == 2
    # a second result page or a type filter is not another search
    client.get(search_url(), {"q": "Werkstatt", "type": "workshop"})
    client.get(search_url(), {"q": "Werkstatt", "type": "workshop"})
    assert Query.get("werkstatt").hits == 2


def test_a_search_in_the_page_cache_is_served_while_the_database_is_down(
    client, demo, settings, caplog
):
    """Found by the resilience drill (bench/drill.py): while PostgreSQL restarted, cached
    searches answered 500 because their count could not be stored. The visitor gets the
    page; the count is lost, with one warning line."""
    settings.PORTAL_PAGE_CACHE_SECONDS = 600
    client.get(search_url(), {"q": "Werkstatt"})
    database_down = OperationalError("the database system is shutting down")
    with (
        mock.patch.object(terms, "count", side_effect=database_down),
        caplog.at_level(logging.WARNING),
    ):
        response = client.get(search_url(), {"q": "Werkstatt"})
    assert (response.status_code, response["X-Cache"]) == (200, "HIT")
    assert soup_of(response).select(".search-result")
    assert [(r.name, r.levelname, r.getMessage()) for r in caplog.records] == [
        (
            "portal.delivery.cache",
            "WARNING",
            "Served from the page cache without count_query: the database system is shutting down",
        )
    ]
