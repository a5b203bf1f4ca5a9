"""What the tests read from responses, shared by the test modules."""

import json

from bs4 import BeautifulSoup
from django.db import connection
from django.test.utils import CaptureQueriesContext


def soup_of(response):
    assert response.status_code == 200, response.status_code
    return BeautifulSoup(response.content, "html.parser")


def card_titles(soup):
    return [a.get_text() for a in soup.select(".card__title a")]


def json_ld(soup):
    return [json.loads(tag.string) for tag in soup.select('script[type="application/ld+json"]')]


def count_queries(client, path):
    """Queries of a warm request (the first one creates renditions and fills caches)."""
    client.get(path)
    with CaptureQueriesContext(connection) as context:
        assert client.get(path).status_code == 200
    return len(context.captured_queries)
