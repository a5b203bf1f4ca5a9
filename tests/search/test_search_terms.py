"""Stored search terms (search/terms.py): nothing that looks like an e-mail address or a
phone number, a cap on distinct terms, and a retention period the scheduler enforces."""

import datetime
import io

import pytest
from django.core.management import call_command
from django.utils import timezone
from wagtail.contrib.search_promotions.models import Query, QueryDailyHits

from search.terms import looks_personal
from tests.search.test_search import search_url


def stored_terms() -> set[str]:
    return set(Query.objects.values_list("query_string", flat=True))


@pytest.mark.parametrize(
    "query",
    [
        "max.mustermann@example.org",
        "Kontakt an info@stadt-dortmund.de bitte",
        "0231 50-12345",
        "+49 (231) 5012345",
        "015112345678",
        "Rückruf 0202/563 1234",
    ],
)
def test_personal_looking_terms_are_recognised(query):
    assert looks_personal(query)


@pytest.mark.parametrize(
    "query",
    ["Werkstatt", "44137 Dortmund", "Workshop 2026", "3D-Druck", "@kosilab", "Teil 2 von 4"],
)
def test_ordinary_terms_are_not(query):
    assert not looks_personal(query)


@pytest.mark.parametrize("query", ["Max.Mustermann@Example.org", "0231 50-12345"])
def test_a_search_for_personal_data_is_answered_but_not_stored(client, demo, query):
    before = QueryDailyHits.objects.count()
    response = client.get(search_url(), {"q": query})
    assert response.status_code == 200
    assert query.lower() not in stored_terms()
    assert not any("@" in term or "12345" in term for term in stored_terms())
    assert QueryDailyHits.objects.count() == before
    client.get(search_url(), {"q": "Werkstatt"})
    assert Query.get("werkstatt").hits == 1  # the ordinary search next to it is counted


def test_new_terms_stop_being_stored_at_the_cap_old_ones_go_on_counting(client, demo, settings):
    client.get(search_url(), {"q": "Zukunftswerkstatt"})
    settings.PORTAL_SEARCH_TERMS_MAX = Query.objects.count()
    client.get(search_url(), {"q": "Quartiersarbeit"})
    assert "quartiersarbeit" not in stored_terms()
    client.get(search_url(), {"q": "Zukunftswerkstatt"})
    assert Query.get("zukunftswerkstatt").hits == 2
    assert Query.objects.count() == settings.PORTAL_SEARCH_TERMS_MAX


def add_hits(term, days_ago, hits=1):
    query, _created = Query.objects.get_or_create(query_string=term)
    QueryDailyHits.objects.create(
        query=query, date=timezone.localdate() - datetime.timedelta(days=days_ago), hits=hits
    )


def test_the_daily_job_purges_old_counts_and_personal_terms(db, settings):
    assert settings.PORTAL_SEARCH_TERMS_RETENTION_DAYS == 90
    Query.objects.all().delete()
    add_hits("werkstatt", days_ago=91)
    add_hits("werkstatt", days_ago=90)
    add_hits("vergessen", days_ago=120)
    add_hits("ich@example.org", days_ago=1)  # stored before terms were filtered

    output = io.StringIO()
    call_command("run_scheduler", "--once", stdout=output)

    assert stored_terms() == {"werkstatt"}
    assert list(QueryDailyHits.objects.values_list("date", flat=True)) == [
        timezone.localdate() - datetime.timedelta(days=90)
    ]
    assert (
        "Deleted 2 daily count(s) of search terms older than 90 days, 1 term(s) that looked "
        "like personal data and 1 term(s) without counts."
    ) in output.getvalue()


def test_the_retention_period_is_a_setting(db, settings):
    Query.objects.all().delete()
    add_hits("werkstatt", days_ago=10)
    settings.PORTAL_SEARCH_TERMS_RETENTION_DAYS = 7
    call_command("purge_search_terms", stdout=io.StringIO())
    assert stored_terms() == set()
