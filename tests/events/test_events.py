"""Workshops: listing, series, calendars, feed, structured data and translations."""

import datetime
import json
from types import SimpleNamespace

import feedparser
import icalendar
import pytest
from django.utils import timezone
from wagtail.test.utils import WagtailPageTestCase
from wagtail.test.utils.form_data import inline_formset, nested_form_data, streamfield

from events.models import EventIndexPage, EventPage, EventSeriesPage
from home.models import HomePage
from tests.events.factories import (
    AgendaItemFactory,
    EventIndexPageFactory,
    EventPageFactory,
    EventSeriesPageFactory,
    EventSpeakerFactory,
    VenueFactory,
)
from tests.helpers import card_titles as titles
from tests.helpers import json_ld, soup_of
from tests.labs.factories import ActorPageFactory, LabPageFactory
from tests.portal.factories import translated

pytestmark = pytest.mark.django_db


def local(*args):
    return timezone.make_aware(datetime.datetime(*args))


# German → English texts of the workshops below
ENGLISH = {
    "Werkstätten Teststadt": "Workshops Teststadt",
    "werkstaetten-teststadt": "workshops-teststadt",
    "Werkstattreihe Teststadt": "Workshop series Teststadt",
    "werkstattreihe-teststadt": "workshop-series-teststadt",
    "Teil 1: Bestandsaufnahme": "Part 1: Stocktaking",
    "Teil 2: Ideenwerkstatt": "Part 2: Idea workshop",
    "ideenwerkstatt": "idea-workshop",
    "Teil 3: Erprobung": "Part 3: Trial",
    "Teil 4: Übergabe": "Part 4: Handover",
    "Offene Sprechstunde online": "Open consultation online",
    "Ausflug ins Testlabor": "Trip to the test lab",
    "Begrüßung": "Welcome",
    "Moderation": "Facilitation",
    "Ankommen und Begrüßung": "Arrival and welcome",
    "Mittagspause": "Lunch break",
    "Älter werden in Teststadt": "Growing older in Teststadt",
    "aelter-werden-in-teststadt": "growing-older-in-teststadt",
    "Gemeinsam in Teststadt": "Together in Teststadt",
    "gemeinsam-in-teststadt": "together-in-teststadt",
}


@pytest.fixture
def workshops(demo):
    """A workshop directory of its own: a series of four parts (the first one over; the
    second next 22 February, hybrid, with speakers, agenda, organiser and two labs) and two
    single workshops, an online consultation and a cancelled trip."""
    year = timezone.localdate().year + 1
    now = timezone.now()
    organiser = ActorPageFactory(
        title="Stadt Teststadt – Soziales", slug="stadt-teststadt-soziales", sector="administration"
    )
    facilitator = ActorPageFactory(
        title="Dr. Erika Beispiel", slug="erika-beispiel", kind="person", sector="research"
    )
    labs = [
        LabPageFactory(title="Älter werden in Teststadt", slug="aelter-werden-in-teststadt"),
        LabPageFactory(title="Gemeinsam in Teststadt", slug="gemeinsam-in-teststadt"),
    ]
    index = EventIndexPageFactory(title="Werkstätten Teststadt", slug="werkstaetten-teststadt")
    series = EventSeriesPageFactory(
        parent=index, title="Werkstattreihe Teststadt", slug="werkstattreihe-teststadt"
    )
    parts = [
        EventPageFactory(
            parent=series,
            title="Teil 1: Bestandsaufnahme",
            slug="bestandsaufnahme",
            part_number=1,
            start=now - datetime.timedelta(days=30),
        ),
        EventPageFactory(
            parent=series,
            title="Teil 2: Ideenwerkstatt",
            slug="ideenwerkstatt",
            part_number=2,
            start=local(year, 2, 22, 10),
            end=local(year, 2, 22, 16),
            event_format="hybrid",
            venue=VenueFactory(
                name="Quartierswerkstatt Nordstadt",
                street_address="Musterstraße 12",
                postal_code="44147",
                locality="Dortmund",
            ),
            online_url="https://meet.example.org/ideenwerkstatt",
            organiser=organiser,
            related_labs=labs,
        ),
        EventPageFactory(
            parent=series,
            title="Teil 3: Erprobung",
            slug="erprobung",
            part_number=3,
            start=local(year, 5, 10, 10),
            related_labs=[labs[1]],
        ),
        EventPageFactory(
            parent=series,
            title="Teil 4: Übergabe",
            slug="uebergabe",
            part_number=4,
            start=local(year, 9, 10, 10),
            event_format="online",
        ),
    ]
    part_two = parts[1]
    EventSpeakerFactory(
        event=part_two, name="Aylin Demir", role="Begrüßung", organisation="Stadt Teststadt"
    )
    EventSpeakerFactory(
        event=part_two, name="Dr. Erika Beispiel", role="Moderation", actor=facilitator
    )
    AgendaItemFactory(event=part_two, time=datetime.time(10, 0), item="Ankommen und Begrüßung")
    AgendaItemFactory(event=part_two, time=datetime.time(12, 30), item="Mittagspause")
    consultation = EventPageFactory(
        parent=index,
        title="Offene Sprechstunde online",
        start=now + datetime.timedelta(days=5),
        event_format="online",
    )
    trip = EventPageFactory(
        parent=index,
        title="Ausflug ins Testlabor",
        slug="ausflug",
        start=now + datetime.timedelta(days=20),
        status="cancelled",
        cost_note="10 Euro für die Busfahrt",
    )
    return SimpleNamespace(
        index=index,
        series=series,
        parts=parts,
        part_two=part_two,
        singles=[consultation, trip],
        trip=trip,
        organiser=organiser,
        facilitator=facilitator,
        labs=labs,
    )


@pytest.fixture
def english(workshops):
    """The English versions of the workshops and of the pages they link."""
    for page in [*workshops.labs, workshops.organiser, workshops.facilitator]:
        translated(page, ENGLISH)
    pages = [workshops.index, workshops.series, *workshops.parts, *workshops.singles]
    english = {page.pk: translated(page, ENGLISH) for page in pages}
    return SimpleNamespace(
        index=english[workshops.index.pk],
        series=english[workshops.series.pk],
        part_two=english[workshops.part_two.pk],
        trip=english[workshops.trip.pk],
    )


def upcoming_titles(index, prefix="Abgesagt: "):
    """What the directory should list, soonest first, read from the stored dates."""
    events = EventPage.objects.descendant_of(index).filter(end__gte=timezone.now())
    return [
        (prefix if event.is_cancelled else "") + event.title for event in events.order_by("start")
    ]


def calendar_of(response):
    assert response.status_code == 200
    assert response["Content-Type"].startswith("text/calendar")
    return icalendar.Calendar.from_ical(response.content)


class EventTreeRulesTests(WagtailPageTestCase):
    def test_where_workshops_live(self):
        self.assertAllowedParentPageTypes(EventIndexPage, {HomePage})
        self.assertAllowedSubpageTypes(EventIndexPage, {EventSeriesPage, EventPage})
        self.assertAllowedParentPageTypes(EventSeriesPage, {EventIndexPage})
        self.assertAllowedSubpageTypes(EventSeriesPage, {EventPage})
        self.assertAllowedParentPageTypes(EventPage, {EventIndexPage, EventSeriesPage})
        self.assertAllowedSubpageTypes(EventPage, set())


# --- listing ------------------------------------------------------------------------------


def expected_upcoming(language_code):
    """The demo's dates depend on the day of the first load (part 2 is always the next
    22 February), so the expected order is read from the stored dates."""
    events = EventPage.objects.filter(
        locale__language_code=language_code, end__gte=timezone.now()
    ).order_by("start")
    prefix = {"de": "Abgesagt: ", "en": "Cancelled: "}[language_code]
    return [(prefix if event.is_cancelled else "") + event.title for event in events]


def test_upcoming_soonest_first_and_archive_newest_first(client, workshops):
    index = workshops.index
    upcoming = titles(soup_of(client.get(index.url)))
    assert upcoming == upcoming_titles(index)
    assert upcoming == [
        "Offene Sprechstunde online",
        "Abgesagt: Ausflug ins Testlabor",  # the status is in the heading
        "Teil 2: Ideenwerkstatt",
        "Teil 3: Erprobung",
        "Teil 4: Übergabe",
    ]
    assert titles(soup_of(client.get(f"{index.url}?when=past"))) == ["Teil 1: Bestandsaufnahme"]


def test_an_event_running_now_is_still_upcoming(client, demo):
    index = EventIndexPage.objects.get(locale__language_code="de")
    now = timezone.now()
    index.add_child(
        instance=EventPageFactory.build(
            title="Läuft gerade",
            slug="laeuft",
            start=now - datetime.timedelta(hours=1),
            end=now + datetime.timedelta(hours=1),
        )
    )
    index.add_child(
        instance=EventPageFactory.build(
            title="Gerade vorbei",
            slug="vorbei",
            start=now - datetime.timedelta(hours=3),
            end=now - datetime.timedelta(minutes=1),
        )
    )
    assert titles(soup_of(client.get("/de/werkstaetten/")))[0] == "Läuft gerade"
    assert titles(soup_of(client.get("/de/werkstaetten/?when=past")))[0] == "Gerade vorbei"


def test_filters_by_series_lab_format_and_month(client, workshops):
    index, series = workshops.index, workshops.series
    assert len(titles(soup_of(client.get(f"{index.url}?series={series.pk}")))) == 3
    online = soup_of(client.get(f"{index.url}?format=online"))
    assert titles(online) == ["Offene Sprechstunde online", "Teil 4: Übergabe"]
    lab = workshops.labs[1]
    assert titles(soup_of(client.get(f"{index.url}?lab={lab.pk}"))) == [
        "Teil 2: Ideenwerkstatt",
        "Teil 3: Erprobung",
    ]
    month = f"{timezone.localtime(workshops.part_two.start):%Y-%m}"
    by_month = soup_of(client.get(f"{index.url}?month={month}&series={series.pk}"))
    assert titles(by_month) == ["Teil 2: Ideenwerkstatt"]
    option = by_month.select_one('select[name="format"] option[value="hybrid"]')
    assert option.get_text() == "Hybrid (1)"


@pytest.mark.parametrize(
    "query",
    ["?month=2026-13", "?month=abc", "?series=999", "?format=xyz", "?lab=abc", "?page=abc"],
)
def test_bad_filters_are_ignored_with_a_note(client, workshops, query):
    soup = soup_of(client.get(workshops.index.url + query))
    assert len(titles(soup)) == 5
    if "page" not in query:
        assert "nicht verstanden" in soup.select_one(".filters__note").get_text()


@pytest.mark.parametrize("query", ["?page=-1", "?page=999999", "?when=xyz&page=0"])
def test_out_of_range_pages_show_a_page(client, demo, query):
    assert client.get("/en/workshops/" + query).status_code == 200


# --- series and event pages ---------------------------------------------------------------


def test_series_page_lists_parts_with_their_state(client, workshops):
    soup = soup_of(client.get(workshops.series.url))
    items = soup.select(".series-parts__item")
    assert [item.a.get_text() for item in items] == [
        "Teil 1: Bestandsaufnahme",
        "Teil 2: Ideenwerkstatt",
        "Teil 3: Erprobung",
        "Teil 4: Übergabe",
    ]
    assert "vergangen" in items[0].get_text()
    assert "kommend" in items[1].get_text()
    (data,) = json_ld(soup)
    assert data["@type"] == "EventSeries"
    assert len(data["subEvent"]) == 4


def test_event_page_shows_part_navigation_and_details_in_german(client, workshops):
    series_url = workshops.series.url
    soup = soup_of(client.get(workshops.part_two.url))
    assert "Teil 2 von 4" in soup.select_one(".event__series").get_text()
    year = timezone.localtime(workshops.part_two.start).year
    expected = f"22. Februar {year}, 10:00–16:00 Uhr"
    assert soup.select_one(".event__facts time").get_text() == expected
    assert soup.select_one('a[rel="prev"]')["href"] == series_url + "bestandsaufnahme/"
    assert soup.select_one('a[rel="next"]')["href"] == series_url + "erprobung/"
    first_item = soup.select_one(".agenda tbody tr").get_text(" ", strip=True)
    assert first_item == "10:00 Ankommen und Begrüßung"


def test_english_event_keeps_dates_speakers_agenda_and_links_to_english_pages(client, english):
    soup = soup_of(client.get(english.part_two.url))
    assert "Part 2 of 4" in soup.select_one(".event__series").get_text()
    assert soup.select_one(".event__series a")["href"] == (
        "/en/workshops-teststadt/workshop-series-teststadt/"
    )
    day = timezone.localtime(english.part_two.start)
    assert soup.select_one(".event__facts time").get_text() == (
        f"22 February {day.year}, 10:00–16:00"
    )
    speakers = {s.select_one(".speaker__name").get_text(): s for s in soup.select(".speaker")}
    assert speakers["Dr. Erika Beispiel"].a["href"] == "/en/partners/erika-beispiel/"
    assert "Facilitation" in speakers["Dr. Erika Beispiel"].get_text()
    labs = [a["href"] for a in soup.find(string="Related labs").find_next("ul").select("a")]
    assert labs == [
        "/en/labs/growing-older-in-teststadt/",
        "/en/labs/together-in-teststadt/",
    ]
    assert soup.select_one(".event__facts a[href^='/en/partners/']").get_text() == (
        "Stadt Teststadt – Soziales"
    )
    assert "Lunch break" in soup.select_one(".agenda").get_text()


def test_cancelled_event_is_marked_prominently(client, english):
    soup = soup_of(client.get(english.trip.url))
    assert soup.select_one(".status-banner").get_text(strip=True) == "Cancelled"
    listing = soup_of(client.get(english.index.url))
    (card,) = listing.select(".event-card--cancelled")
    assert "Cancelled" in card.get_text()
    assert "Trip to the test lab" in card.get_text()


def test_event_structured_data(client, workshops, english):
    soup = soup_of(client.get(english.part_two.url))
    (data,) = json_ld(soup)
    assert data["@type"] == "Event"
    start = datetime.datetime.fromisoformat(data["startDate"])
    assert start.utcoffset() == datetime.timedelta(hours=1)  # February: CET
    assert data["eventStatus"] == "https://schema.org/EventScheduled"
    assert data["eventAttendanceMode"] == "https://schema.org/MixedEventAttendanceMode"
    assert {location["@type"] for location in data["location"]} == {"Place", "VirtualLocation"}
    assert [p["name"] for p in data["performer"]][:2] == ["Aylin Demir", "Dr. Erika Beispiel"]
    assert data["organizer"]["name"] == "Stadt Teststadt – Soziales"
    assert data["isAccessibleForFree"] is True
    assert data["inLanguage"] == "en"
    cancelled = soup_of(client.get(workshops.trip.url))
    cancelled_data = json.loads(cancelled.select_one('script[type="application/ld+json"]').string)
    assert cancelled_data["eventStatus"] == "https://schema.org/EventCancelled"
    assert cancelled_data["isAccessibleForFree"] is False


def test_event_without_venue_speakers_or_image_still_renders(client, demo):
    index = EventIndexPage.objects.get(locale__language_code="de")
    index.add_child(instance=EventPageFactory.build(title="Schlicht", slug="schlicht"))
    soup = soup_of(client.get("/de/werkstaetten/schlicht/"))
    assert soup.find("h1").get_text() == "Schlicht"
    (component,) = calendar_of(client.get("/de/werkstaetten/schlicht/calendar/")).walk("VEVENT")
    assert str(component["SUMMARY"]) == "Schlicht"
    assert "LOCATION" not in component


# --- lab, actor and home pages ---------------------------------------------------------------


def test_lab_and_actor_pages_list_their_workshops(client, workshops, english):
    english_lab = workshops.labs[1].get_translation(english.index.locale)
    lab = soup_of(client.get(english_lab.url))
    section = lab.find(id="lab-workshops-heading").parent
    assert [a.get_text() for a in section.select("a")] == [
        "Part 2: Idea workshop",
        "Part 3: Trial",
    ]
    actor = soup_of(client.get(workshops.facilitator.url))
    section = actor.find(id="actor-workshops-heading").parent
    assert [a.get_text() for a in section.select("a")] == ["Teil 2: Ideenwerkstatt"]


def test_home_shows_the_next_three_workshops(client, demo):
    soup = soup_of(client.get("/en/"))
    section = soup.find(id="upcoming-heading").parent
    shown = [a.get_text() for a in section.select(".card__title a")]
    assert shown == expected_upcoming("en")[:3]


def test_event_calendar_file(client, workshops, english):
    source = workshops.part_two
    calendar = calendar_of(client.get(f"{source.url}calendar/"))
    (timezone_component,) = calendar.walk("VTIMEZONE")
    assert str(timezone_component["TZID"]) == "Europe/Berlin"
    (event,) = calendar.walk("VEVENT")
    assert str(event["UID"]) == f"{source.translation_key}@testserver"
    assert event["DTSTART"].params["TZID"] == "Europe/Berlin"
    assert event.decoded("DTSTART") == timezone.localtime(source.start)
    assert event.decoded("DTEND") == timezone.localtime(source.end)
    assert "DTSTAMP" in event
    assert str(event["URL"]) == "http://testserver" + source.url
    assert str(event["LOCATION"]) == "Quartierswerkstatt Nordstadt, Musterstraße 12, 44147 Dortmund"
    assert str(event["STATUS"]) == "CONFIRMED"
    # same event, same UID in every language
    (other,) = calendar_of(client.get(f"{english.part_two.url}calendar/")).walk("VEVENT")
    assert other["UID"] == event["UID"]


def test_directory_calendar_has_every_event_and_marks_cancellations(client, workshops):
    index, series = workshops.index, workshops.series
    calendar = calendar_of(client.get(f"{index.url}calendar/"))
    events = {str(e["SUMMARY"]): e for e in calendar.walk("VEVENT")}
    assert len(events) == 6  # four parts and two single workshops
    assert str(events["Ausflug ins Testlabor"]["STATUS"]) == "CANCELLED"
    filtered = calendar_of(client.get(f"{index.url}calendar/?series={series.pk}&lab=abc"))
    assert len(filtered.walk("VEVENT")) == 4
    series_calendar = calendar_of(client.get(f"{series.url}calendar/"))
    assert len(series_calendar.walk("VEVENT")) == 4


def test_all_day_events_are_dates(client, demo):
    index = EventIndexPage.objects.get(locale__language_code="de")
    start = timezone.make_aware(datetime.datetime(2030, 5, 4, 0, 0))
    index.add_child(
        instance=EventPageFactory.build(
            title="Aktionstag",
            slug="aktionstag",
            all_day=True,
            start=start,
            end=start + datetime.timedelta(hours=23),
        )
    )
    (event,) = calendar_of(client.get("/de/werkstaetten/aktionstag/calendar/")).walk("VEVENT")
    assert event.decoded("DTSTART") == datetime.date(2030, 5, 4)
    assert event.decoded("DTEND") == datetime.date(2030, 5, 5)
    assert "VALUE=DATE:20300504" in response_text(client, "/de/werkstaetten/aktionstag/calendar/")
    listing = soup_of(client.get("/de/werkstaetten/aktionstag/"))
    assert listing.select_one(".event__facts time").get_text() == "4. Mai 2030"


def response_text(client, path):
    return client.get(path).content.decode()


def test_all_day_event_ending_at_midnight_keeps_its_days(client, demo):
    index = EventIndexPage.objects.get(locale__language_code="de")
    start = timezone.make_aware(datetime.datetime(2030, 5, 4, 0, 0))
    index.add_child(
        instance=EventPageFactory.build(
            title="Wochenende",
            slug="wochenende",
            all_day=True,
            start=start,
            end=start + datetime.timedelta(days=2),  # Monday 00:00 ends on Sunday
        )
    )
    (event,) = calendar_of(client.get("/de/werkstaetten/wochenende/calendar/")).walk("VEVENT")
    assert event.decoded("DTEND") == datetime.date(2030, 5, 6)
    page = soup_of(client.get("/de/werkstaetten/wochenende/"))
    assert page.select_one(".event__facts time").get_text() == "4. Mai 2030 – 5. Mai 2030"


def test_calendar_links_keep_the_listing_filters(client, workshops):
    index = workshops.index
    month = f"{timezone.localtime(workshops.part_two.start):%Y-%m}"
    soup = soup_of(client.get(f"{index.url}?month={month}"))
    download = soup.select_one('.subscribe a[type="text/calendar"]')["href"]
    assert download == f"{index.url}calendar/?month={month}"
    assert soup.select_one('.subscribe a[href^="webcal://"]')["href"].endswith(f"?month={month}")
    calendar = calendar_of(client.get(download))
    in_month = EventPage.objects.descendant_of(index).in_month(
        *(int(part) for part in month.split("-"))
    )
    summaries = [str(e["SUMMARY"]) for e in calendar.walk("VEVENT")]
    assert "Teil 2: Ideenwerkstatt" in summaries
    assert sorted(summaries) == sorted(event.title for event in in_month)
    assert len(summaries) < 6


def test_pages_announce_calendar_and_feed(client, english):
    soup = soup_of(client.get("/en/workshops/"))
    calendar_link = soup.select_one('link[rel="alternate"][type="text/calendar"]')
    assert calendar_link["href"] == "/en/workshops/calendar/"
    feed_link = soup.select_one('link[rel="alternate"][type="application/atom+xml"]')
    assert feed_link["href"] == "/en/workshops/feed/"
    assert soup.select_one('a[href^="webcal://testserver/en/workshops/calendar/"]')
    event_url = english.part_two.url
    event = soup_of(client.get(event_url))
    assert event.select_one('link[type="text/calendar"]')["href"] == event_url + "calendar/"


def test_atom_feed_of_upcoming_workshops(client, english):
    response = client.get(f"{english.index.url}feed/")
    assert response.status_code == 200
    feed = feedparser.parse(response.content)
    assert not feed.bozo, feed.bozo_exception
    assert feed.feed.title == "Workshops Teststadt"
    entries = [entry.title for entry in feed.entries]
    assert entries == upcoming_titles(english.index, prefix="Cancelled: ")
    assert len(entries) == 5
    assert "Cancelled: Trip to the test lab" in entries
    assert "Part 1: Stocktaking" not in entries
    part_two = feed.entries[entries.index("Part 2: Idea workshop")]
    assert part_two.link == "http://testserver" + english.part_two.url


def event_form(**fields):
    now = timezone.localtime()
    data = {
        "title": "Neue Werkstatt",
        "slug": "neue-werkstatt",
        "start": f"{now + datetime.timedelta(days=3):%Y-%m-%d %H:%M}",
        "end": f"{now + datetime.timedelta(days=3, hours=2):%Y-%m-%d %H:%M}",
        "event_format": "in_person",
        "status": "scheduled",
        "registration_mode": "none",
        "speakers": inline_formset([]),
        "agenda_items": inline_formset([]),
        "goals": streamfield([]),
        "body": streamfield([]),
        "documentation_files": streamfield([]),
        "documentation_photos": streamfield([]),
    }
    data.update(fields)
    return nested_form_data(data)


def test_admin_rejects_an_end_before_the_start(admin_client, demo):
    index = EventIndexPage.objects.get(locale__language_code="de")
    now = timezone.localtime()
    response = admin_client.post(
        f"/admin/pages/add/events/eventpage/{index.pk}/",
        event_form(
            end=f"{now:%Y-%m-%d %H:%M}", start=f"{now + datetime.timedelta(days=1):%Y-%m-%d %H:%M}"
        ),
    )
    assert response.status_code == 200
    assert "Das Ende darf nicht vor dem Beginn liegen." in response.content.decode()
    assert not EventPage.objects.filter(slug="neue-werkstatt").exists()


def test_admin_rejects_a_part_number_already_used_in_the_series(admin_client, workshops):
    series = workshops.series
    response = admin_client.post(
        f"/admin/pages/add/events/eventpage/{series.pk}/", event_form(part_number="2")
    )
    assert response.status_code == 200
    assert response.content.decode().count("Ein anderer Teil dieser Reihe hat bereits diese") == 1
    ok = admin_client.post(
        f"/admin/pages/add/events/eventpage/{series.pk}/", event_form(part_number="5")
    )
    assert ok.status_code == 302
    assert EventPage.objects.get(slug="neue-werkstatt").part_number == 5
    third = workshops.parts[2]
    edit = admin_client.post(
        f"/admin/pages/{third.pk}/edit/",
        event_form(title=third.title, slug=third.slug, part_number="2"),
    )
    assert edit.status_code == 200
    assert edit.content.decode().count("Ein anderer Teil dieser Reihe hat bereits diese") == 1


@pytest.mark.parametrize(("query", "count"), [("?format=online", 2), ("?format=xyz&series=abc", 5)])
def test_atom_feed_accepts_the_listing_filters(client, workshops, query, count):
    feed = feedparser.parse(client.get(f"{workshops.index.url}feed/{query}").content)
    assert not feed.bozo
    assert len(feed.entries) == count
