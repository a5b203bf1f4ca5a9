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
    assert checklist(admin_client) == []
