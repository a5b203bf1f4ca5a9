"""German stemming and hostile queries on PostgreSQL, the production database."""

import pytest

from tests.search.test_search import add_page, results, search_url

pytestmark = pytest.mark.postgres


@pytest.mark.parametrize(
    ("query", "text"),
    [
        ("Werkstatt", "Offene Werkstätten für alle Generationen"),
        ("Jugendlicher", "Angebote für Jugendliche im Quartier"),
        ("Verwaltungen", "Wie die Verwaltung mitarbeitet"),
    ],
)
def test_german_stemming_finds_other_word_forms(client, demo, query, text):
    add_page(demo, "Stemmingprobe", teaser=text)
    assert "Stemmingprobe" in results(client, query)[1]


def test_languages_stay_apart_on_postgresql(client, demo):
    add_page(demo, "Nur Deutsch Quokka")
    assert results(client, "Quokka", "en")[1] == []
    assert results(client, "Quokka")[1] == ["Nur Deutsch Quokka"]


@pytest.mark.parametrize(
    "query", ['"Werkstatt', "' OR 1=1 --", "(((", "a & | ! b", "Werk\x00statt"]
)
def test_hostile_queries_on_postgresql(client, demo, query):
    assert client.get(search_url(), {"q": query}).status_code == 200
