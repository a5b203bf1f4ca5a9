"""What the tests read from responses, shared by the test modules."""

import json

from bs4 import BeautifulSoup


def public_page_types() -> list:
    """Every page type visitors can reach; the fuzzing test fails when one is added, so the
    browser and fuzz tests that walk this list cover it too."""
    from events.models import EventIndexPage, EventPage, EventSeriesPage
    from home.models import (
        AccessibilityStatementPage,
        ContentPage,
        EasyLanguagePage,
        HomePage,
        ImprintPage,
        PrivacyPage,
        SignLanguagePage,
    )
    from labs.models import ActorIndexPage, ActorPage, LabIndexPage, LabPage
    from library.models import LibraryPage, MaterialPage
    from network.models import NetworkPage

    return [
        HomePage,
        ContentPage,
        ImprintPage,
        PrivacyPage,
        AccessibilityStatementPage,
        EasyLanguagePage,
        SignLanguagePage,
        LabIndexPage,
        LabPage,
        ActorIndexPage,
        ActorPage,
        EventIndexPage,
        EventSeriesPage,
        EventPage,
        LibraryPage,
        MaterialPage,
        NetworkPage,
    ]


# What production settings need to start (tests run them in a subprocess).
PRODUCTION_ESSENTIALS = {
    "DJANGO_SECRET_KEY": "a-long-random-production-secret-" + "k" * 40,
    "DJANGO_ALLOWED_HOSTS": "portal.example.org",
    "DATABASE_URL": "sqlite:///:memory:",
    "WAGTAILADMIN_BASE_URL": "https://portal.example.org",
}


def soup_of(response):
    assert response.status_code == 200, response.status_code
    return BeautifulSoup(response.content, "html.parser")


def card_titles(soup):
    return [a.get_text() for a in soup.select(".card__title a")]


def json_ld(soup):
    return [json.loads(tag.string) for tag in soup.select('script[type="application/ld+json"]')]
