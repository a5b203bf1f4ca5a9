"""The admin dashboard tells a fresh fork what it still has to fill in."""

import pytest
from bs4 import BeautifulSoup

pytestmark = pytest.mark.django_db


def checklist(admin_client):
    response = admin_client.get("/admin/")
    assert response.status_code == 200
    panel = BeautifulSoup(response.content, "html.parser").select_one("#portal-setup-content")
    return [li.get_text(strip=True) for li in panel.select("li")] if panel else []


def test_fresh_fork_sees_what_is_missing(admin_client, portal):
    items = checklist(admin_client)
    assert any("Website-Texte" in item and "Deutsch" in item for item in items), items
    assert any("English" in item for item in items), items
    assert any("Impressum" in item for item in items), items
    assert any("Barrierefreiheit" in item for item in items), items


def test_complete_setup_shows_no_checklist(admin_client, demo):
    from home.models import PlaceholderPage

    # the demo keeps the skeleton's placeholders in its legal pages, like a fresh fork
    assert all("Platzhalter" in item for item in checklist(admin_client))
    for model in PlaceholderPage.__subclasses__() + [
        sub for base in PlaceholderPage.__subclasses__() for sub in base.__subclasses__()
    ]:
        if model._meta.abstract:
            continue
        for page in model.objects.all():
            fill_placeholders(page)
    assert checklist(admin_client) == []


def fill_placeholders(page):
    """Replace every placeholder in the page's text fields and stream blocks."""
    import json

    from django.db import models
    from wagtail.fields import StreamField

    from home.models import PLACEHOLDER

    for field in page._meta.get_fields():
        if isinstance(field, models.CharField | models.TextField):
            value = getattr(page, field.name)
            if value:
                setattr(page, field.name, PLACEHOLDER.sub("Musterstadt", value))
        elif isinstance(field, StreamField):
            raw = json.dumps(list(getattr(page, field.name).raw_data))
            setattr(page, field.name, json.loads(PLACEHOLDER.sub("Musterstadt", raw)))
    page.save()


def test_unfilled_placeholders_are_listed_until_filled(admin_client, portal):
    from home.models import ImprintPage

    items = checklist(admin_client)
    assert any("„Impressum“" in item or "“Impressum”" in item for item in items), items
    assert any("Imprint" in item for item in items), items
    for page in ImprintPage.objects.all():
        fill_placeholders(page)
    items = checklist(admin_client)
    assert not any("Impressum" in item and "Platzhalter" in item for item in items), items
