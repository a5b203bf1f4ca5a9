"""Registrations in the Wagtail admin: who may see them, the lists, CSV export, staff actions,
data-subject requests and the audit log (which never holds personal data)."""

import csv
import io

import pytest
from django.contrib.auth.models import Group, Permission
from django.core import mail
from django.urls import reverse
from wagtail.models import PageLogEntry

from events.models import Registration
from portal.models import SiteLogEntry
from tests.events.factories import RegistrationFactory
from tests.events.test_registration import make_workshop
from tests.helpers import soup_of

HOSTILE = '<script>alert("x")</script>'


@pytest.fixture
def workshop(demo):
    return make_workshop(demo, capacity=1)


def add_registration(event, email, status="confirmed", **fields):
    return RegistrationFactory(event=event, email=email, status=status, **fields)


def staff_user(django_user_model, *, manage_registrations):
    user = django_user_model.objects.create_user(
        username=f"staff-{manage_registrations}", password="a-long-test-password"
    )
    group = Group.objects.create(name=f"Team {manage_registrations}")
    permissions = [Permission.objects.get(codename="access_admin")]
    if manage_registrations:
        permissions.append(Permission.objects.get(codename="manage_registrations"))
    group.permissions.set(permissions)
    user.groups.add(group)
    return user


@pytest.fixture
def organiser(client, django_user_model):
    client.force_login(staff_user(django_user_model, manage_registrations=True))
    return client


@pytest.fixture
def editor(client, django_user_model):
    client.force_login(staff_user(django_user_model, manage_registrations=False))
    return client


def urls_for(registration):
    key = registration.event_key
    return {
        "index": ("get", reverse("event_registrations:index")),
        "event": ("get", reverse("event_registrations:event", args=[key])),
        "export": ("get", reverse("event_registrations:export", args=[key])),
        "person": ("post", reverse("event_registrations:person")),
        "cancel": ("post", reverse("event_registrations:change", args=[registration.pk, "cancel"])),
        "erase": ("post", reverse("event_registrations:erase")),
    }


@pytest.mark.parametrize("view", ["index", "event", "export", "person", "cancel", "erase"])
def test_staff_without_the_permission_are_turned_away(editor, workshop, view):
    registration = add_registration(workshop, "a@example.org")
    method, url = urls_for(registration)[view]
    response = getattr(editor, method)(url, {"email": "a@example.org"} if method == "post" else {})
    assert response.status_code == 302
    assert response["Location"] == reverse("wagtailadmin_home")
    registration.refresh_from_db()
    assert registration.status == "confirmed" and registration.email == "a@example.org"


@pytest.mark.parametrize("view", ["index", "event", "export", "person"])
def test_anonymous_visitors_must_log_in(client, workshop, view):
    registration = add_registration(workshop, "a@example.org")
    method, url = urls_for(registration)[view]
    response = getattr(client, method)(url, {"email": "a@example.org"} if method == "post" else {})
    assert response.status_code == 302
    assert reverse("wagtailadmin_login") in response["Location"]


def test_menu_item_only_for_those_allowed(organiser, editor_client_factory, workshop):
    # the sidebar menu is rendered from JSON data in the page
    assert "/admin/registrations/" in organiser.get(reverse("wagtailadmin_home")).text
    assert (
        "/admin/registrations/"
        not in editor_client_factory().get(reverse("wagtailadmin_home")).text
    )


@pytest.fixture
def editor_client_factory(django_user_model):
    from django.test import Client

    def make():
        client = Client()
        client.force_login(staff_user(django_user_model, manage_registrations=False))
        return client

    return make


def test_overview_lists_events_with_counts(organiser, workshop):
    add_registration(workshop, "a@example.org")
    add_registration(workshop, "b@example.org", status="waitlisted")
    add_registration(workshop, "c@example.org", status="pending")
    soup = soup_of(organiser.get(reverse("event_registrations:index")))
    row = next(tr for tr in soup.select("tr") if workshop.title in tr.get_text())
    cells = [td.get_text(strip=True) for td in row.select("td")]
    assert cells[2:] == ["1 / 1", "1", "1", "0"]


def test_event_list_shows_people_escaped_with_status_and_position(organiser, workshop):
    add_registration(workshop, "a@example.org", name=HOSTILE)
    add_registration(workshop, "b@example.org", status="waitlisted")
    add_registration(workshop, "c@example.org", status="waitlisted")
    response = organiser.get(reverse("event_registrations:event", args=[workshop.translation_key]))
    assert HOSTILE not in response.text and "&lt;script&gt;" in response.text
    text = soup_of(response).select_one("table.listing").get_text(" ", strip=True)
    assert "Warteliste (Nr. 1)" in text and "Warteliste (Nr. 2)" in text
    waiting_only = organiser.get(
        reverse("event_registrations:event", args=[workshop.translation_key]),
        {"status": "waitlisted"},
    )
    assert len(soup_of(waiting_only).select("table.listing tbody tr")) == 2


def test_event_page_editor_links_to_the_registrations(admin_client, workshop):
    response = admin_client.get(reverse("wagtailadmin_pages:edit", args=[workshop.pk]))
    assert reverse("event_registrations:event", args=[workshop.translation_key]) in response.text


def test_csv_export_escapes_formulas_and_is_audited(organiser, workshop):
    add_registration(
        workshop,
        "a@example.org",
        name='=HYPERLINK("http://evil.example")',
        organisation="+49 Stadt",
        municipality="-Wuppertal",
        note="@SUM(A1)",
    )
    response = organiser.get(reverse("event_registrations:export", args=[workshop.translation_key]))
    assert response["Content-Type"].startswith("text/csv")
    assert "attachment" in response["Content-Disposition"]
    rows = list(csv.reader(io.StringIO(response.content.decode("utf-8-sig")), delimiter=";"))
    header, row = rows[0], rows[1]
    record = dict(zip(header, row, strict=True))
    assert record["Name"] == '\'=HYPERLINK("http://evil.example")'
    assert record["Organisation"] == "'+49 Stadt"
    assert record["Kommune"] == "'-Wuppertal"
    assert record["Anmerkung"] == "'@SUM(A1)"
    assert record["E-Mail-Adresse"] == "a@example.org"
    assert record["Status"] == "Bestätigt"
    entry = PageLogEntry.objects.get(action="events.registrations.export")
    assert entry.page_id == workshop.pk and entry.user is not None


def test_staff_cancel_promotes_the_next_person_and_is_audited(organiser, workshop):
    seated = add_registration(workshop, "a@example.org", name="Erika Mustermann")
    waiting = add_registration(workshop, "b@example.org", status="waitlisted")
    url = reverse("event_registrations:change", args=[seated.pk, "cancel"])
    response = organiser.post(url)
    assert response.status_code == 302
    seated.refresh_from_db()
    waiting.refresh_from_db()
    assert (seated.status, waiting.status) == ("cancelled", "confirmed")
    assert sorted(message.to[0] for message in mail.outbox) == ["a@example.org", "b@example.org"]
    entry = SiteLogEntry.objects.get(action="events.registration.cancel")
    assert entry.user is not None
    logged = f"{entry.label} {entry.data} {entry.message}"
    assert "example.org" not in logged and "Mustermann" not in logged


def test_staff_can_give_a_waiting_person_a_seat_beyond_the_capacity(organiser, workshop):
    add_registration(workshop, "a@example.org")
    waiting = add_registration(workshop, "b@example.org", status="waitlisted")
    organiser.post(reverse("event_registrations:change", args=[waiting.pk, "promote"]))
    waiting.refresh_from_db()
    assert waiting.status == "confirmed"
    assert [message.to for message in mail.outbox] == [["b@example.org"]]
    assert SiteLogEntry.objects.filter(action="events.registration.promote").count() == 1


def test_staff_actions_need_post(organiser, workshop):
    registration = add_registration(workshop, "a@example.org")
    url = reverse("event_registrations:change", args=[registration.pk, "cancel"])
    assert organiser.get(url).status_code == 405
    registration.refresh_from_db()
    assert registration.status == "confirmed"


def test_unsafe_next_urls_are_ignored(organiser, workshop):
    registration = add_registration(workshop, "a@example.org")
    url = reverse("event_registrations:change", args=[registration.pk, "cancel"])
    response = organiser.post(url, {"next": "https://evil.example/"})
    assert response["Location"] == reverse(
        "event_registrations:event", args=[workshop.translation_key]
    )


def test_data_subject_export_and_erase(organiser, demo, workshop):
    other = make_workshop(demo, title="Zweite Werkstatt", capacity=None)
    seated = add_registration(workshop, "erika@example.org")
    add_registration(other, "erika@example.org", status="waitlisted")
    waiting = add_registration(workshop, "max@example.org", status="waitlisted")

    found = organiser.post(reverse("event_registrations:person"), {"email": "Erika@Example.org"})
    assert len(soup_of(found).select("table.listing tbody tr")) == 2
    export = organiser.post(
        reverse("event_registrations:person"), {"email": "erika@example.org", "format": "csv"}
    )
    rows = list(csv.reader(io.StringIO(export.content.decode("utf-8-sig")), delimiter=";"))
    assert {row[0] for row in rows[1:]} == {workshop.title, "Zweite Werkstatt"}

    organiser.post(reverse("event_registrations:erase"), {"email": "erika@example.org"})
    seated.refresh_from_db()
    waiting.refresh_from_db()
    assert seated.email == seated.name == "" and seated.status == "cancelled"
    assert waiting.status == "confirmed"  # the freed seat went to the waiting list
    assert [message.to for message in mail.outbox] == [["max@example.org"]]
    assert not Registration.objects.filter(email="erika@example.org").exists()
    assert SiteLogEntry.objects.filter(action="events.registration.erase").count() == 2


def test_registration_str_holds_no_personal_data(workshop):
    registration = add_registration(workshop, "erika@example.org", name="Erika Mustermann")
    assert "Erika" not in str(registration) and "example.org" not in str(registration)
