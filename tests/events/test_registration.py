"""Built-in workshop registration: the life cycle a visitor goes through, seen from outside
(pages, e-mails in the locmem outbox, stored statuses)."""

import datetime
import re
from urllib.parse import urlsplit

import icalendar
import pytest
import time_machine
from django.core import mail
from django.core.cache import cache
from django.core.management import call_command
from django.utils import timezone, translation
from wagtail.models import Locale

from events.forms import RegistrationForm
from events.models import EventIndexPage, EventPage, Registration
from tests.events.factories import EventPageFactory, RegistrationFactory
from tests.helpers import json_ld, soup_of

LINK = re.compile(r"https?://[^\s\"<>]+/register/(?:confirm|cancel)/[^\s\"<>/]+/")


@pytest.fixture(autouse=True)
def empty_rate_limits():
    cache.clear()
    yield
    cache.clear()


def make_workshop(demo, **fields):
    index = EventIndexPage.objects.get(locale=demo["de"].locale)
    fields = {
        "title": "Werkstatt mit Anmeldung",
        "registration_mode": "built_in",
        "capacity": 2,
        **fields,
    }
    return EventPageFactory(parent=index, **fields)


@pytest.fixture
def workshop(demo):
    return make_workshop(demo)


def english_version(event):
    english = event.copy_for_translation(Locale.objects.get(language_code="en"))
    english.title = "Workshop with registration"
    english.save_revision().publish()
    return EventPage.objects.get(pk=english.pk)


def form_data(**overrides):
    return {
        "name": "Erika Mustermann",
        "email": "erika@example.org",
        "organisation": "Stadt Wuppertal",
        "municipality": "Wuppertal",
        "note": "",
        "consent": "on",
        "website": "",
        **overrides,
    }


def register(client, event, **overrides):
    return client.post(f"{event.url}register/", form_data(**overrides))


def links_in(message):
    """The confirm and cancel paths of an e-mail, keyed by action."""
    found = {}
    for url in LINK.findall(message.body):
        path = urlsplit(url).path
        found[path.rstrip("/").split("/")[-2]] = path
    return found


def follow(client, path):
    """A person following an e-mail link: the GET changes nothing, the button's POST acts."""
    assert client.get(path).status_code == 200
    return client.post(path)


def sign_up(client, event, email):
    """Register and confirm; returns the registration."""
    mail.outbox.clear()
    assert register(client, event, email=email).status_code == 302
    follow(client, links_in(mail.outbox[0])["confirm"])
    registration = Registration.objects.filter(email=email).latest("pk")
    registration.confirmation_mail = mail.outbox[-1]
    return registration


def seats_text(client, event):
    soup = soup_of(client.get(event.url))
    return soup.select_one(".registration__state").get_text(" ", strip=True)


def test_register_confirm_and_get_a_seat(client, workshop):
    page = soup_of(client.get(workshop.url))
    assert "2 Plätze frei" in page.select_one(".registration__state").get_text()
    consent = page.select_one('label[for="id_consent"]').get_text()
    assert "30 Tage" in consent

    response = register(client, workshop)
    assert response.status_code == 302
    assert response["Location"].endswith("register/sent/")
    assert "E-Mail" in soup_of(client.get(response["Location"])).h1.get_text()

    registration = Registration.objects.get(email="erika@example.org")
    assert registration.status == "pending"
    assert registration.consent_text == consent.replace(" (Pflichtfeld)", "").strip()
    assert registration.consented_at is not None and registration.confirmed_at is None
    assert len(mail.outbox) == 1
    message = mail.outbox[0]
    assert message.to == ["erika@example.org"]
    assert "Werkstatt mit Anmeldung" in message.subject and "bestätigen" in message.subject
    html = message.alternatives[0][0]
    # an unconfirmed name is not repeated: nobody puts their words into the city's mail
    assert "Erika Mustermann" not in html and "Erika Mustermann" not in message.body
    links = links_in(message)
    assert set(links) == {"confirm"}
    assert "2 Plätze frei" in seats_text(client, workshop)  # pending takes no seat

    ask = soup_of(client.get(links["confirm"]))
    assert ask.select_one("form[method=post] button")
    registration.refresh_from_db()
    assert registration.status == "pending"  # a mail scanner's GET changes nothing

    done = soup_of(client.post(links["confirm"]))
    assert "bestätigt" in done.h1.get_text()
    assert done.find("a", string="Anmeldung stornieren")
    registration.refresh_from_db()
    assert registration.status == "confirmed"
    assert registration.confirmed_at and registration.seat_since
    assert "1 Platz frei" in seats_text(client, workshop)
    assert len(mail.outbox) == 2
    confirmation = mail.outbox[1]
    assert "cancel" in links_in(confirmation)
    assert "Guten Tag Erika Mustermann" in confirmation.body
    ((filename, content, mimetype),) = confirmation.attachments
    assert mimetype == "text/calendar" and filename.endswith(".ics")
    calendar_event = icalendar.Calendar.from_ical(content).walk("VEVENT")[0]
    assert str(calendar_event["summary"]) == "Werkstatt mit Anmeldung"
    assert calendar_event.decoded("dtstart") == workshop.start.replace(microsecond=0)


def test_demo_workshop_has_open_registration_with_few_seats(client, demo):
    event = EventPage.objects.get(locale=demo["de"].locale, registration_mode="built_in")
    assert "Noch 3 Plätze frei" in seats_text(client, event)
    english = event.get_translation(Locale.objects.get(language_code="en"))
    assert "3 seats left" in seats_text(client, english)
    data = next(d for d in json_ld(soup_of(client.get(event.url))) if d["@type"] == "Event")
    assert (data["maximumAttendeeCapacity"], data["remainingAttendeeCapacity"]) == (12, 3)


def test_full_event_uses_the_waiting_list_and_a_cancellation_promotes(client, workshop):
    first = sign_up(client, workshop, "a@example.org")
    sign_up(client, workshop, "b@example.org")
    assert "Warteliste" in seats_text(client, workshop)

    third = sign_up(client, workshop, "c@example.org")
    fourth = sign_up(client, workshop, "d@example.org")
    assert (third.status, fourth.status) == ("waitlisted", "waitlisted")
    assert "Nummer 2 auf der Warteliste" in mail.outbox[-1].body

    mail.outbox.clear()
    done = soup_of(follow(client, links_in(first.confirmation_mail)["cancel"]))
    assert "storniert" in done.h1.get_text()
    first.refresh_from_db()
    third.refresh_from_db()
    fourth.refresh_from_db()
    assert first.status == "cancelled"
    assert third.status == "confirmed"  # the first person waiting
    assert fourth.status == "waitlisted"
    recipients = {message.to[0]: message for message in mail.outbox}
    assert set(recipients) == {"a@example.org", "c@example.org"}
    assert "frei geworden" in recipients["c@example.org"].subject
    assert "Warteliste" in seats_text(client, workshop)


def test_raising_the_capacity_gives_waiting_people_their_seats(client, workshop):
    for address in ["a@example.org", "b@example.org", "c@example.org"]:
        sign_up(client, workshop, address)
    mail.outbox.clear()
    workshop.capacity = 3
    workshop.save_revision().publish()
    assert Registration.objects.get(email="c@example.org").status == "confirmed"
    assert [message.to for message in mail.outbox] == [["c@example.org"]]


def test_german_and_english_pages_share_seats(client, workshop):
    english = english_version(workshop)
    sign_up(client, workshop, "a@example.org")
    english_registration = sign_up(client, english, "b@example.org")
    assert english_registration.language == "en"
    assert english_registration.status == "confirmed"
    assert "You have a seat" in mail.outbox[-1].alternatives[0][0] or "confirmed" in (
        mail.outbox[-1].subject
    )
    assert "waiting list" in seats_text(client, english).lower()
    assert "Warteliste" in seats_text(client, workshop)


def test_english_visitors_get_english_messages_and_mails(client, workshop):
    english = english_version(workshop)
    page = soup_of(client.get(english.url))
    assert "2 seats left" in page.select_one(".registration__state").get_text()
    response = register(client, english, name="", email="not-an-address", consent="")
    errors = soup_of(response).select_one(".registration [role=alert]").get_text()
    assert "This field is required" in errors
    assert "valid email address" in errors
    assert "Please agree" in errors
    register(client, english)
    assert "Please confirm your registration" in mail.outbox[0].subject


def test_form_errors_are_shown_in_german_and_nothing_is_stored(client, workshop):
    response = register(client, workshop, name="", email="kaputt", consent="")
    soup = soup_of(response)
    summary = soup.select_one(".registration [role=alert]").get_text()
    assert "Dieses Feld muss ausgefüllt werden" in summary
    assert "gültige E-Mail-Adresse" in summary
    email_input = soup.select_one("#id_email")
    assert email_input["aria-invalid"] == "true"
    assert "id_email_error" in email_input["aria-describedby"].split()
    assert soup.select_one("#id_email_error")
    assert not Registration.objects.for_event(workshop).exists() and not mail.outbox


def test_consent_is_required(client, workshop):
    response = register(client, workshop, consent="")
    assert "Bitte stimmen Sie" in soup_of(response).select_one(".registration").get_text()
    assert not Registration.objects.for_event(workshop).exists()


def test_honeypot_refuses_bots_with_a_clear_message(client, workshop):
    response = register(client, workshop, website="https://spam.example")
    text = soup_of(response).select_one(".registration [role=alert]").get_text()
    assert "Dieses Feld bitte leer lassen" in text
    assert not Registration.objects.for_event(workshop).exists() and not mail.outbox


def test_honeypot_is_hidden_from_people_and_labelled(client, workshop):
    soup = soup_of(client.get(workshop.url))
    trap = soup.select_one(".form-trap")
    field = trap.select_one("input[name=website]")
    assert soup.select_one(f'label[for="{field["id"]}"]')
    assert field["tabindex"] == "-1"
    assert field["autocomplete"] == "off"


def test_oversized_fields_are_refused(client, workshop):
    response = register(client, workshop, name="x" * 121, note="y" * 1001)
    text = soup_of(response).select_one(".registration [role=alert]").get_text()
    assert "höchstens 120 Zeichen" in text and "höchstens 1000 Zeichen" in text
    assert not Registration.objects.for_event(workshop).exists()


def test_html_in_names_and_notes_is_escaped_on_the_page_and_in_mails(client, workshop):
    hostile = '<script>alert("x")</script><b>Bold</b>'
    response = register(client, workshop, name=hostile, note=hostile, email="x@example.org")
    assert response.status_code == 302
    message = mail.outbox[0]
    follow(client, links_in(message)["confirm"])
    html = mail.outbox[-1].alternatives[0][0]
    assert "<script>" not in html and "&lt;script&gt;" in html
    assert "<b>Bold</b>" not in html
    for response in [client.get(links_in(message)["confirm"]), client.get(workshop.url)]:
        assert b"<script>alert" not in response.content


@pytest.mark.parametrize(
    ("fields", "message"),
    [
        ({"name": "Anna\u202egpj.exe"}, "die Richtung des Textes ändern"),
        ({"name": "Anna\u2066Berg"}, "die Richtung des Textes ändern"),
        ({"name": "Anna\r\nBcc: x@example.org"}, "Steuerzeichen"),
        ({"organisation": "Stadt\tWuppertal"}, "Steuerzeichen"),
        ({"municipality": "Wupper\x00tal"}, "Steuerzeichen"),
        ({"note": "Bitte \u202eeine Rampe"}, "die Richtung des Textes ändern"),
    ],
)
def test_control_and_direction_characters_are_refused_in_both_languages(
    client, workshop, fields, message
):
    response = register(client, workshop, **fields)
    assert message in soup_of(response).select_one(".registration [role=alert]").get_text()
    assert not Registration.objects.for_event(workshop).exists() and not mail.outbox
    with translation.override("en"):
        form = RegistrationForm(form_data(**fields), consent_text="ok")
        assert not form.is_valid()
        assert "Please type the text again" in str(form.errors)


def test_names_are_stored_in_one_normal_form_and_notes_keep_line_breaks(client, workshop):
    decomposed = "Ju\u0308rgen Mu\u0308ller"
    response = register(client, workshop, name=decomposed, note="Zeile 1\r\nZeile 2")
    assert response.status_code == 302
    stored = Registration.objects.for_event(workshop).get()
    assert stored.name == "Jürgen Müller"
    assert stored.note.splitlines() == ["Zeile 1", "Zeile 2"]


def test_duplicate_address_gets_no_second_seat_and_its_links_again(client, workshop):
    registration = sign_up(client, workshop, "erika@example.org")
    mail.outbox.clear()
    with time_machine.travel(timezone.now() + datetime.timedelta(minutes=61)):
        response = register(client, workshop, email="Erika@Example.org ", name="Someone else")
    assert response.status_code == 302  # the same answer as a new registration
    assert Registration.objects.filter(event_key=workshop.translation_key).count() == 1
    registration.refresh_from_db()
    assert registration.name == "Erika Mustermann"
    message = mail.outbox[0]
    assert message.to == ["erika@example.org"]
    assert "bereits angemeldet" in message.body
    assert set(links_in(message)) == {"cancel"}


def test_links_are_sent_again_at_most_once_an_hour(client, workshop):
    register(client, workshop)
    for minutes in [1, 59]:
        with time_machine.travel(timezone.now() + datetime.timedelta(minutes=minutes)):
            assert register(client, workshop).status_code == 302
    assert len(mail.outbox) == 1


def test_duplicate_of_an_unconfirmed_registration_resends_the_confirmation(client, workshop):
    register(client, workshop)
    mail.outbox.clear()
    with time_machine.travel(timezone.now() + datetime.timedelta(minutes=61)):
        register(client, workshop)
    assert Registration.objects.for_event(workshop).count() == 1
    follow(client, links_in(mail.outbox[0])["confirm"])
    assert Registration.objects.for_event(workshop).get().status == "confirmed"


def test_a_cancelled_person_may_register_again(client, workshop):
    first = sign_up(client, workshop, "erika@example.org")
    follow(client, links_in(first.confirmation_mail)["cancel"])
    second = sign_up(client, workshop, "erika@example.org")
    assert second.pk != first.pk and second.status == "confirmed"


@pytest.mark.parametrize(
    "fields",
    [
        {"registration_deadline": timezone.now() - datetime.timedelta(hours=1)},
        {"status": "cancelled"},
        {
            "start": timezone.now() - datetime.timedelta(days=2),
            "end": timezone.now() - datetime.timedelta(days=2, hours=-3),
        },
    ],
    ids=["deadline passed", "cancelled", "past"],
)
def test_closed_registration_refuses_even_direct_posts(client, demo, fields):
    event = make_workshop(demo, **fields)
    soup = soup_of(client.get(event.url))
    ended = event.is_past
    if ended:  # an ended workshop has no registration section (its documentation's place)
        assert not soup.select(".registration")
    else:
        assert "Anmeldung geschlossen" in soup.select_one(".registration__state").get_text()
    assert not soup.select("form.form")
    response = register(client, event)
    assert response.status_code == 403
    alert = ".notice--error[role=alert]" if ended else ".registration [role=alert]"
    assert soup_of_any(response).select_one(alert)
    assert not Registration.objects.for_event(event).exists() and not mail.outbox


def soup_of_any(response):
    from bs4 import BeautifulSoup

    return BeautifulSoup(response.content, "html.parser")


@pytest.mark.parametrize("mode", ["none", "external"])
def test_posts_to_events_without_the_form_are_refused(client, demo, mode):
    event = make_workshop(demo, registration_mode=mode, registration_url="https://example.org/")
    assert not soup_of(client.get(event.url)).select(".registration")
    response = register(client, event)
    assert response.status_code == 403
    notice = soup_of_any(response).select_one("[role=alert]").get_text()
    assert "kein Anmeldeformular" in notice
    assert not Registration.objects.for_event(event).exists()


def test_rate_limit_per_address(client, workshop, settings):
    settings.PORTAL_REGISTRATION_LIMIT_PER_ADDRESS = 2
    for _ in range(2):
        assert register(client, workshop).status_code == 302
    response = register(client, workshop)
    assert response.status_code == 429
    assert "Zu viele Anmeldungen" in soup_of_any(response).select_one(".registration").get_text()
    assert len(mail.outbox) == 1  # the second was a duplicate within the hour


def test_rate_limit_per_ip(client, workshop, settings):
    settings.PORTAL_REGISTRATION_LIMIT_PER_IP = 2
    for number in range(2):
        assert register(client, workshop, email=f"p{number}@example.org").status_code == 302
    assert register(client, workshop, email="p9@example.org").status_code == 429
    assert Registration.objects.for_event(workshop).count() == 2


def test_the_rate_limit_holds_across_workers_without_redis(client, workshop, settings):
    """Each request as if another gunicorn worker served it (its local memory empty): the
    count lives in the database (portal/delivery/limits.py)."""
    settings.PORTAL_REGISTRATION_LIMIT_PER_IP = 2
    statuses = []
    for number in range(3):
        cache.clear()
        statuses.append(register(client, workshop, email=f"p{number}@example.org").status_code)
    assert statuses == [302, 302, 429]


def test_unlimited_capacity_and_deadline_shown(client, demo):
    deadline = timezone.now() + datetime.timedelta(days=3)
    event = make_workshop(demo, capacity=None, registration_deadline=deadline)
    soup = soup_of(client.get(event.url))
    assert "Anmeldung geöffnet" in soup.select_one(".registration__state").get_text()
    assert f"{timezone.localtime(deadline):%Y}" in soup.select_one(".registration").get_text()
    for number in range(5):
        assert sign_up(client, event, f"p{number}@example.org").status == "confirmed"


@pytest.mark.parametrize("action", ["confirm", "cancel"])
def test_tampered_links_change_nothing(client, workshop, action):
    register(client, workshop)
    registration = Registration.objects.for_event(workshop).get()
    path = links_in(mail.outbox[0])["confirm"]
    path = path.replace("/confirm/", f"/{action}/")
    token = path.rstrip("/").split("/")[-1]
    for bad in [token[:-2] + "xx", token + "x", "nonsense", "a" * 500, token.replace("-", "%00")]:
        candidate = path.replace(token, bad)
        for method in (client.get, client.post):
            response = method(candidate)
            assert response.status_code in {400, 404}, (bad, response.status_code)
    if action == "cancel":  # a confirm token is not a cancel token
        assert client.post(path).status_code == 400
    registration.refresh_from_db()
    assert registration.status == "pending"


def test_link_for_another_event_is_refused(client, demo, workshop):
    other = make_workshop(demo, title="Andere Werkstatt")
    register(client, workshop)
    path = links_in(mail.outbox[0])["confirm"]
    assert client.post(path.replace(workshop.url, other.url)).status_code == 400
    assert Registration.objects.for_event(workshop).get().status == "pending"


def test_expired_confirmation_link(client, workshop):
    register(client, workshop)
    path = links_in(mail.outbox[0])["confirm"]
    with time_machine.travel(timezone.now() + datetime.timedelta(hours=49)):
        response = client.post(path)
    assert response.status_code == 410
    assert "abgelaufen" in soup_of_any(response).h1.get_text()
    assert Registration.objects.for_event(workshop).get().status == "pending"
    with time_machine.travel(timezone.now() + datetime.timedelta(hours=47)):
        assert client.post(path).status_code == 200
    assert Registration.objects.for_event(workshop).get().status == "confirmed"


def test_reused_links_say_what_happened(client, workshop):
    register(client, workshop)
    path = links_in(mail.outbox[0])["confirm"]
    client.post(path)
    confirmation = mail.outbox[-1]
    again = soup_of(client.post(path))
    assert "bereits bestätigt" in again.h1.get_text()
    assert not again.select("form.form")
    cancel_path = links_in(confirmation)["cancel"]
    client.post(cancel_path)
    assert "storniert" in soup_of(client.post(cancel_path)).h1.get_text()
    assert "storniert" in soup_of(client.get(path)).h1.get_text()
    assert Registration.objects.for_event(workshop).get().status == "cancelled"


def test_pages_with_links_are_private(client, workshop):
    register(client, workshop)
    response = client.get(links_in(mail.outbox[0])["confirm"])
    assert "no-store" in response["Cache-Control"]
    assert response["Referrer-Policy"] == "no-referrer"
    assert 'name="robots" content="noindex"' in response.content.decode()


def test_mail_links_use_the_public_address(client, workshop):
    register(client, workshop)
    url = LINK.search(mail.outbox[0].body).group(0)
    site = workshop.get_site()
    assert url.startswith(site.root_url)


def test_purge_anonymises_after_the_retention_period_and_deletes_expired_links(workshop):
    from events.registration import purge

    registration = RegistrationFactory(event=workshop, name="Erika")
    RegistrationFactory(event=workshop, status="pending")
    with time_machine.travel(timezone.now() + datetime.timedelta(hours=49)):
        assert purge() == {"anonymised": 0, "deleted": 1}
    after_event = workshop.end + datetime.timedelta(days=30, hours=1)
    with time_machine.travel(after_event):
        assert purge() == {"anonymised": 1, "deleted": 0}
        assert purge() == {"anonymised": 0, "deleted": 0}  # idempotent
    registration.refresh_from_db()
    assert registration.name == registration.email == ""
    assert registration.status == "confirmed"  # statistics stay
    assert registration.anonymised_at


def test_purge_command_prints_what_it_did(workshop):
    import io

    RegistrationFactory(
        event=workshop, status="pending", created_at=timezone.now() - datetime.timedelta(days=3)
    )
    output = io.StringIO()
    call_command("purge_registrations", stdout=output)
    assert "1" in output.getvalue() and "deleted" in output.getvalue()
    output = io.StringIO()
    call_command("purge_registrations", stdout=output)
    assert "Nothing to do" in output.getvalue()


def test_a_mail_server_failure_keeps_the_registration(client, workshop, settings):
    from portal.settings.base import email_settings

    for name, value in email_settings(
        "tests.events.test_registration.BrokenMailBackend", {}
    ).items():
        setattr(settings, name, value)
    assert register(client, workshop).status_code == 302
    assert Registration.objects.for_event(workshop).get().status == "pending"


class BrokenMailBackend:
    def __init__(self, *args, **kwargs):
        pass

    def send_messages(self, messages):
        raise OSError("mail server down")


def test_confirming_after_the_form_was_switched_off_is_refused(client, workshop):
    register(client, workshop)
    path = links_in(mail.outbox[0])["confirm"]
    EventPage.objects.filter(pk=workshop.pk).update(registration_mode="none")
    response = client.post(path)
    assert "vorbei oder abgesagt" in soup_of_any(response).h1.get_text()
    assert Registration.objects.for_event(workshop).get().status == "pending"
