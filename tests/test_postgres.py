"""PostgreSQL, what production runs: Wagtail's search index works there (Django 6 needs
django.contrib.postgres for it)."""

import pytest
from django.db import connection
from wagtail.models import Locale, Page

pytestmark = [pytest.mark.postgres, pytest.mark.django_db]


def test_search_index_on_postgresql_finds_pages_in_their_language(demo):
    assert connection.vendor == "postgresql"
    german = Page.objects.live().filter(locale=Locale.objects.get(language_code="de"))
    english = Page.objects.live().filter(locale=Locale.objects.get(language_code="en"))
    german, english = german.search("Labore"), english.search("institution")
    assert "Über das Projekt" in [page.title for page in german]
    assert "About the project" in [page.title for page in english]
