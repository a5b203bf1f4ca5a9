"""Workshops: listing, series, calendars, feed, structured data and translations."""

import datetime
import json

import feedparser
import icalendar
import pytest
from django.utils import timezone
from wagtail.test.utils import WagtailPageTestCase
from wagtail.test.utils.form_data import inline_formset, nested_form_data, streamfield

from events.models import EventIndexPage, EventPage, EventSeriesPage
from home.models import HomePage
from tests.events.factories import EventPageFactory
from tests.helpers import card_titles as titles
from tests.helpers import json_ld, soup_of

pytestmark = pytest.mark.django_db

SERIES_DE = "/de/werkstaetten/werkstattreihe-labore-sozialer-innovation/"
PART_TWO_DE = SERIES_DE + "konzeptentwicklung/"
PART_TWO_EN = "/en/workshops/workshop-series-labs-of-social-innovation/concept-development/"


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


def test_upcoming_soonest_first_and_archive_newest_first(client, demo):
    upcoming = titles(soup_of(client.get("/de/werkstaetten/")))
    assert upcoming == expected_upcoming("de")
    assert len(upcoming) == 5
    assert "Abgesagt: Exkursion ins Nordstadt-Labor" in upcoming  # the status is in the heading
    starts = [
        e.start
        for e in EventPage.objects.filter(locale__language_code="de", end__gte=timezone.now())
    ]
    assert sorted(starts) == [
        EventPage.objects.get(title=title.removeprefix("Abgesagt: ")).start for title in upcoming
    ]
    assert titles(soup_of(client.get("/de/werkstaetten/?when=past"))) == [
        "1. Werkstatt: Grundlagen"
    ]


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


def test_filters_by_series_lab_format_and_month(client, demo):
    series = EventSeriesPage.objects.get(locale__language_code="de")
    assert len(titles(soup_of(client.get(f"/de/werkstaetten/?series={series.pk}")))) == 3
    online = soup_of(client.get("/de/werkstaetten/?format=online"))
    assert titles(online) == [
        "Digitale Sprechstunde: Fragen zum Laboraufbau",
        "4. Werkstatt: Verstetigung",
    ]
    from labs.models import LabPage

    lab = LabPage.objects.get(slug="gemeinsam-im-quartier")
    assert titles(soup_of(client.get(f"/de/werkstaetten/?lab={lab.pk}"))) == [
        "2. Werkstatt: Konzeptentwicklung",
        "3. Werkstatt: Aufbau",
    ]
    part_two = EventPage.objects.get(slug="konzeptentwicklung")
    month = f"{timezone.localtime(part_two.start):%Y-%m}"
    by_month = soup_of(client.get(f"/de/werkstaetten/?month={month}&series={series.pk}"))
    assert titles(by_month) == ["2. Werkstatt: Konzeptentwicklung"]
    option = by_month.select_one('select[name="format"] option[value="hybrid"]')
    assert option.get_text() == "Hybrid (1)"


@pytest.mark.parametrize(
    "query",
    ["?month=2026-13", "?month=abc", "?series=999", "?format=xyz", "?lab=abc", "?page=abc"],
)
def test_bad_filters_are_ignored_with_a_note(client, demo, query):
    soup = soup_of(client.get("/de/werkstaetten/" + query))
    assert len(titles(soup)) == 5
    if "page" not in query:
        assert "nicht verstanden" in soup.select_one(".filters__note").get_text()


@pytest.mark.parametrize("query", ["?page=-1", "?page=999999", "?when=xyz&page=0"])
def test_out_of_range_pages_show_a_page(client, demo, query):
    assert client.get("/en/workshops/" + query).status_code == 200


# --- series and event pages ---------------------------------------------------------------


def test_series_page_lists_parts_with_their_state(client, demo):
    soup = soup_of(client.get(SERIES_DE))
    items = soup.select(".series-parts__item")
    assert [item.a.get_text() for item in items] == [
        "1. Werkstatt: Grundlagen",
        "2. Werkstatt: Konzeptentwicklung",
        "3. Werkstatt: Aufbau",
        "4. Werkstatt: Verstetigung",
    ]
    assert "vergangen" in items[0].get_text()
    assert "kommend" in items[1].get_text()
    (data,) = json_ld(soup)
    assert data["@type"] == "EventSeries"
    assert len(data["subEvent"]) == 4


def test_event_page_shows_part_navigation_and_details_in_german(client, demo):
    soup = soup_of(client.get(PART_TWO_DE))
    assert "Teil 2 von 4" in soup.select_one(".event__series").get_text()
    event = EventPage.objects.get(slug="konzeptentwicklung")
    day = timezone.localtime(event.start)
    months = {2: "Februar"}
    expected = f"{day.day}. {months.get(day.month, '')} {day.year}, 10:00–16:00 Uhr"
    assert soup.select_one(".event__facts time").get_text() == expected
    assert soup.select_one('a[rel="prev"]')["href"] == SERIES_DE + "grundlagen/"
    assert soup.select_one('a[rel="next"]')["href"] == SERIES_DE + "aufbau/"
    first_item = soup.select_one(".agenda tbody tr").get_text(" ", strip=True)
    assert first_item == "10:00 Ankommen und Begrüßung"


def test_english_event_keeps_dates_speakers_agenda_and_links_to_english_pages(client, demo):
    soup = soup_of(client.get(PART_TWO_EN))
    assert "Part 2 of 4" in soup.select_one(".event__series").get_text()
    assert soup.select_one(".event__series a")["href"] == (
        "/en/workshops/workshop-series-labs-of-social-innovation/"
    )
    event = EventPage.objects.get(slug="concept-development")
    day = timezone.localtime(event.start)
    assert soup.select_one(".event__facts time").get_text() == (
        f"{day.day} February {day.year}, 10:00–16:00"
    )
    speakers = {s.select_one(".speaker__name").get_text(): s for s in soup.select(".speaker")}
    assert speakers["Dr. Miriam Sommer"].a["href"] == "/en/partners/miriam-sommer/"
    assert "Facilitation" in speakers["Dr. Miriam Sommer"].get_text()
    labs = [a["href"] for a in soup.find(string="Related labs").find_next("ul").select("a")]
    assert labs == [
        "/en/labs/growing-older-in-the-nordstadt/",
        "/en/labs/together-in-the-neighbourhood/",
    ]
    assert soup.select_one(".event__facts a[href^='/en/partners/']").get_text() == (
        "Stadt Dortmund – Fachbereich Soziales"
    )
    assert "Lunch break" in soup.select_one(".agenda").get_text()


def test_cancelled_event_is_marked_prominently(client, demo):
    soup = soup_of(client.get("/en/workshops/excursion-nordstadt/"))
    assert soup.select_one(".status-banner").get_text(strip=True) == "Cancelled"
    listing = soup_of(client.get("/en/workshops/"))
    assert "Cancelled" in listing.select_one(".event-card--cancelled").get_text()


def test_event_structured_data(client, demo):
    soup = soup_of(client.get(PART_TWO_EN))
    (data,) = json_ld(soup)
    assert data["@type"] == "Event"
    start = datetime.datetime.fromisoformat(data["startDate"])
    assert start.utcoffset() == datetime.timedelta(hours=1)  # February: CET
    assert data["eventStatus"] == "https://schema.org/EventScheduled"
    assert data["eventAttendanceMode"] == "https://schema.org/MixedEventAttendanceMode"
    assert {location["@type"] for location in data["location"]} == {"Place", "VirtualLocation"}
    assert [p["name"] for p in data["performer"]][:2] == ["Aylin Demir", "Dr. Miriam Sommer"]
    assert data["organizer"]["name"] == "Stadt Dortmund – Fachbereich Soziales"
    assert data["isAccessibleForFree"] is True
    assert data["inLanguage"] == "en"
    cancelled = soup_of(client.get("/de/werkstaetten/exkursion-nordstadt/"))
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


def test_lab_and_actor_pages_list_their_workshops(client, demo):
    lab = soup_of(client.get("/en/labs/together-in-the-neighbourhood/"))
    section = lab.find(id="lab-workshops-heading").parent
    assert [a.get_text() for a in section.select("a")] == [
        "Workshop 2: Concept development",
        "Workshop 3: Set-up",
    ]
    actor = soup_of(client.get("/de/akteure/miriam-sommer/"))
    section = actor.find(id="actor-workshops-heading").parent
    assert [a.get_text() for a in section.select("a")] == ["2. Werkstatt: Konzeptentwicklung"]


def test_home_shows_the_next_three_workshops(client, demo):
    soup = soup_of(client.get("/en/"))
    section = soup.find(id="upcoming-heading").parent
    shown = [a.get_text() for a in section.select(".card__title a")]
    assert shown == expected_upcoming("en")[:3]


def test_event_calendar_file(client, demo):
    calendar = calendar_of(client.get(PART_TWO_DE + "calendar/"))
    (timezone_component,) = calendar.walk("VTIMEZONE")
    assert str(timezone_component["TZID"]) == "Europe/Berlin"
    (event,) = calendar.walk("VEVENT")
    source = EventPage.objects.get(slug="konzeptentwicklung")
    assert str(event["UID"]) == f"{source.translation_key}@testserver"
    assert event["DTSTART"].params["TZID"] == "Europe/Berlin"
    assert event.decoded("DTSTART") == timezone.localtime(source.start)
    assert event.decoded("DTEND") == timezone.localtime(source.end)
    assert "DTSTAMP" in event
    assert str(event["URL"]) == "http://testserver" + PART_TWO_DE
    assert str(event["LOCATION"]) == "Quartierswerkstatt Nordstadt, Musterstraße 12, 44147 Dortmund"
    assert str(event["STATUS"]) == "CONFIRMED"
    # same event, same UID in every language
    (english,) = calendar_of(client.get(PART_TWO_EN + "calendar/")).walk("VEVENT")
    assert english["UID"] == event["UID"]


def test_directory_calendar_has_every_event_and_marks_cancellations(client, demo):
    calendar = calendar_of(client.get("/de/werkstaetten/calendar/"))
    events = {str(e["SUMMARY"]): e for e in calendar.walk("VEVENT")}
    assert len(events) == 6  # four parts and two single workshops
    assert str(events["Exkursion ins Nordstadt-Labor"]["STATUS"]) == "CANCELLED"
    series = EventSeriesPage.objects.get(locale__language_code="de")
    filtered = calendar_of(client.get(f"/de/werkstaetten/calendar/?series={series.pk}&lab=abc"))
    assert len(filtered.walk("VEVENT")) == 4
    series_calendar = calendar_of(client.get(SERIES_DE + "calendar/"))
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


def test_calendar_links_keep_the_listing_filters(client, demo):
    part_two = EventPage.objects.get(slug="konzeptentwicklung")
    month = f"{timezone.localtime(part_two.start):%Y-%m}"
    soup = soup_of(client.get(f"/de/werkstaetten/?month={month}"))
    download = soup.select_one('.subscribe a[type="text/calendar"]')["href"]
    assert download == f"/de/werkstaetten/calendar/?month={month}"
    assert soup.select_one('.subscribe a[href^="webcal://"]')["href"].endswith(f"?month={month}")
    calendar = calendar_of(client.get(download))
    in_month = EventPage.objects.filter(locale__language_code="de").in_month(
        *(int(part) for part in month.split("-"))
    )
    summaries = [str(e["SUMMARY"]) for e in calendar.walk("VEVENT")]
    assert "2. Werkstatt: Konzeptentwicklung" in summaries
    assert sorted(summaries) == sorted(event.title for event in in_month)
    assert len(summaries) < 6


def test_pages_announce_calendar_and_feed(client, demo):
    soup = soup_of(client.get("/en/workshops/"))
    calendar_link = soup.select_one('link[rel="alternate"][type="text/calendar"]')
    assert calendar_link["href"] == "/en/workshops/calendar/"
    feed_link = soup.select_one('link[rel="alternate"][type="application/atom+xml"]')
    assert feed_link["href"] == "/en/workshops/feed/"
    assert soup.select_one('a[href^="webcal://testserver/en/workshops/calendar/"]')
    event = soup_of(client.get(PART_TWO_EN))
    assert event.select_one('link[type="text/calendar"]')["href"] == PART_TWO_EN + "calendar/"


def test_atom_feed_of_upcoming_workshops(client, demo):
    response = client.get("/en/workshops/feed/")
    assert response.status_code == 200
    feed = feedparser.parse(response.content)
    assert not feed.bozo, feed.bozo_exception
    assert feed.feed.title == "Workshops"
    entries = [entry.title for entry in feed.entries]
    assert entries == expected_upcoming("en")
    assert "Cancelled: Excursion to the Nordstadt lab" in entries
    assert "Workshop 1: Foundations" not in entries
    part_two = feed.entries[entries.index("Workshop 2: Concept development")]
    assert part_two.link == "http://testserver" + PART_TWO_EN


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


def test_admin_rejects_a_part_number_already_used_in_the_series(admin_client, demo):
    series = EventSeriesPage.objects.get(locale__language_code="de")
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
    third = EventPage.objects.get(slug="aufbau")
    edit = admin_client.post(
        f"/admin/pages/{third.pk}/edit/",
        event_form(title=third.title, slug=third.slug, part_number="2"),
    )
    assert edit.status_code == 200
    assert edit.content.decode().count("Ein anderer Teil dieser Reihe hat bereits diese") == 1


@pytest.mark.parametrize(("query", "count"), [("?format=online", 2), ("?format=xyz&series=abc", 5)])
def test_atom_feed_accepts_the_listing_filters(client, demo, query, count):
    feed = feedparser.parse(client.get("/de/werkstaetten/feed/" + query).content)
    assert not feed.bozo
    assert len(feed.entries) == count
