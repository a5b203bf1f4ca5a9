"""The portal's calendar files as other calendar programs read them: three independent
parsers (icalendar, vobject as used by Radicale and other CalDAV software, ics.py) must put
every workshop at the same instant, in summer, in winter and on the night the clocks
change."""

import datetime
import zoneinfo

import icalendar
import ics
import pytest
import time_machine
import vobject
from django.utils import timezone

from events.feeds import record_calendar_change
from events.models import EventIndexPage, EventPage, EventSeriesPage
from tests.events.factories import EventPageFactory, EventSeriesPageFactory, VenueFactory
from tests.portal.factories import translated

UTC = datetime.UTC


def local(*args):
    return datetime.datetime(*args, tzinfo=timezone.get_current_timezone())


# summer, winter, 03:00 on the night in spring when 02:00 becomes 03:00, and 01:30 on the
# night in autumn when 03:00 becomes 02:00 again (three hours on, the clock says 03:30)
STARTS = [
    local(2026, 10, 22, 10),
    local(2026, 10, 25, 1, 30),
    local(2027, 1, 20, 10),
    local(2027, 3, 28, 3),
    local(2027, 5, 24, 10),
]


def in_utc(moment):
    return moment.astimezone(UTC) if isinstance(moment, datetime.datetime) else moment


def in_order(moments) -> list:
    """Days (all-day events) first, then instants, each in order."""
    return sorted(moments, key=lambda moment: (isinstance(moment, datetime.datetime), moment))


def ics_py_moment(event, name: str):
    moment = getattr(event, name)
    return moment.date() if event.all_day else moment.datetime


def instants(content: bytes, what: str = "start") -> dict[str, list]:
    """Each parser's starts (or ends) of the file's events, in UTC (dates stay dates)."""
    text = content.decode()
    ical_name, vobject_name, ics_name = {
        "start": ("dtstart", "dtstart", "begin"),
        "end": ("dtend", "dtend", "end"),
    }[what]
    by_parser = {
        "icalendar": [
            event.decoded(ical_name)
            for event in icalendar.Calendar.from_ical(content).walk("VEVENT")
        ],
        "vobject": [
            getattr(event, vobject_name).value for event in vobject.readOne(text).vevent_list
        ],
        "ics.py": [ics_py_moment(event, ics_name) for event in ics.Calendar(text).events],
    }
    return {parser: in_order(map(in_utc, moments)) for parser, moments in by_parser.items()}


def series_starting_at(title: str, starts, length: datetime.timedelta):
    """A series with one part starting at each of `starts`, each `length` long."""
    series = EventSeriesPageFactory(title=title)
    for number, start in enumerate(starts, start=1):
        EventPageFactory(
            parent=series,
            title=f"{number}. Teil",
            part_number=number,
            start=start,
            end=start + length,
        )
    return series


@pytest.fixture
def dated_workshops(demo):
    series = series_starting_at(
        "Werkstattreihe Zeitumstellung", STARTS, datetime.timedelta(hours=3)
    )
    # a day of action on the day the clocks go forward (23 hours): a date in every program
    EventPageFactory(
        parent=series,
        title="Aktionstag",
        part_number=len(STARTS) + 1,
        all_day=True,
        start=local(2027, 3, 28, 0),
        end=local(2027, 3, 28, 23),
    )
    return series


# Zones north and south of the equator, one that gave summer time up (São Paulo, 2019), one
# whose rule changed (New York, 2007), one with none (Kolkata) and one half an hour off
# (Adelaide): the VTIMEZONE is made from the zone database, not written for Berlin.
ZONES = [
    "Europe/Berlin",
    "Europe/London",
    "America/New_York",
    "America/Sao_Paulo",
    "Australia/Adelaide",
    "Asia/Kolkata",
]


def moments_around_the_changes(zone_name: str) -> list[datetime.datetime]:
    """Instants half an hour before and after each change of the zone's UTC offset in 2006,
    2007, 2018 and 2027, and one in the middle of each of those years."""
    from events.feeds import transitions

    zone = zoneinfo.ZoneInfo(zone_name)
    found = []
    for year in (2006, 2007, 2018, 2027):
        found.append(datetime.datetime(year, 7, 1, 9, tzinfo=UTC))
        for change in transitions(zone, year):
            moment = (change["at"] - change["from"]).replace(tzinfo=UTC)  # the change in UTC
            found += [
                moment - datetime.timedelta(minutes=30),
                moment + datetime.timedelta(minutes=30),
            ]
    return found


@pytest.mark.parametrize("zone_name", ZONES)
def test_any_portal_time_zone_is_read_alike_by_the_three_parsers(client, demo, settings, zone_name):
    settings.TIME_ZONE = zone_name
    moments = moments_around_the_changes(zone_name)
    length = datetime.timedelta(hours=1, minutes=15)
    series = series_starting_at(f"Zeitzone {zone_name}", moments, length)
    content = client.get(f"{series.url}calendar/").content
    text = content.decode()
    assert f"TZID={zone_name}:" in text and "RDATE" not in text
    expected = sorted(moments)
    for parser, starts in instants(content).items():
        assert starts == expected, (zone_name, parser)
    ends = sorted(moment + length for moment in moments)
    for parser, found in instants(content, "end").items():
        assert found == ends, (zone_name, parser)


def calendar_urls():
    urls = [f"{page.url}calendar/" for page in EventPage.objects.live()]
    urls += [f"{page.url}calendar/" for page in EventSeriesPage.objects.live()]
    for index in EventIndexPage.objects.live():
        urls += [f"{index.url}calendar/", f"{index.url}calendar/?format=workshop"]
    return urls


def test_every_calendar_puts_every_workshop_at_the_same_instant_in_three_parsers(
    client, dated_workshops
):
    urls = calendar_urls()
    assert len(urls) > 10
    for url in urls:
        response = client.get(url)
        assert response.status_code == 200, url
        for what in ("start", "end"):
            found = instants(response.content, what)
            assert found["icalendar"] == found["vobject"] == found["ics.py"], (url, what)
    own = client.get(f"{dated_workshops.url}calendar/").content
    day = datetime.date(2027, 3, 28)
    assert instants(own)["vobject"] == [day, *sorted(start.astimezone(UTC) for start in STARTS)]
    assert instants(own, "end")["ics.py"] == [
        day + datetime.timedelta(days=1),
        *sorted((start + datetime.timedelta(hours=3)).astimezone(UTC) for start in STARTS),
    ]
    assert "DTSTART;VALUE=DATE:20270328" in own.decode()


def test_the_time_zone_is_written_as_calendars_do_with_yearly_rules(client, dated_workshops):
    text = client.get(f"{dated_workshops.url}calendar/").content.decode()
    zone = text[text.index("BEGIN:VTIMEZONE") : text.index("END:VTIMEZONE")]
    assert "RDATE" not in zone
    assert zone.count("RRULE:FREQ=YEARLY;BYDAY=-1SU;BYMONTH=3") == 1
    assert zone.count("RRULE:FREQ=YEARLY;BYDAY=-1SU;BYMONTH=10") == 1
    assert "TZNAME:CEST" in zone and "TZNAME:CET" in zone


def calendar_entry(client, event) -> icalendar.Event:
    (entry,) = icalendar.Calendar.from_ical(client.get(f"{event.url}calendar/").content).walk(
        "VEVENT"
    )
    return entry


def test_a_change_calendars_show_raises_the_sequence_and_other_edits_do_not(client, demo):
    event = EventPageFactory(title="Werkstatt Sequenz", venue=VenueFactory(name="Rathaus"))
    event.save_revision().publish()
    first = calendar_entry(client, event)
    assert int(first["SEQUENCE"]) == 0
    # DTSTAMP: when the file was made; LAST-MODIFIED: when what it shows last changed
    assert abs(first.decoded("DTSTAMP") - timezone.now()) < datetime.timedelta(seconds=30)
    assert first.decoded("LAST-MODIFIED") <= first.decoded("DTSTAMP")

    # as the migration records it: read from the database, in UTC
    record_calendar_change(EventPage.objects.get(pk=event.pk))
    event.target_audience = "Verwaltung und Zivilgesellschaft"  # not shown in calendars
    event.save_revision().publish()
    unrelated = calendar_entry(client, event)
    assert int(unrelated["SEQUENCE"]) == 0
    assert unrelated.decoded("LAST-MODIFIED") == first.decoded("LAST-MODIFIED")

    event.start += datetime.timedelta(hours=1)
    event.end += datetime.timedelta(hours=1)
    with time_machine.travel(timezone.now() + datetime.timedelta(minutes=5)):  # a bit later
        event.save_revision().publish()
        moved = calendar_entry(client, event)
    assert int(moved["SEQUENCE"]) == 1
    assert moved.decoded("LAST-MODIFIED") > first.decoded("LAST-MODIFIED")

    event.venue = VenueFactory(name="Stadtbibliothek")
    event.save_revision().publish()
    assert int(calendar_entry(client, event)["SEQUENCE"]) == 2

    event.status = "cancelled"
    event.save_revision().publish()
    cancelled = calendar_entry(client, event)
    assert str(cancelled["STATUS"]) == "CANCELLED"
    assert int(cancelled["SEQUENCE"]) == 3
    # the same sequence in every language's file (one UID)
    english = translated(event, {event.title: "Workshop sequence"})
    english.save_revision().publish()
    assert int(calendar_entry(client, english)["SEQUENCE"]) == 3


def test_a_change_published_language_by_language_raises_the_sequence_for_each(client, demo):
    """One UID for both languages' files, and the English page keeps the old time until its
    translation is updated. So a moved workshop raises SEQUENCE when the German page is
    published and again when the English one is: a client subscribed to the English file
    saw the old time with the first raise, and applies the new time only because it rises
    once more."""
    event = EventPageFactory(
        title="Werkstatt Sprachen",
        venue=VenueFactory(name="Rathaus"),
        start=local(2027, 2, 10, 10),
        end=local(2027, 2, 10, 13),
    )
    event.save_revision().publish()
    english = translated(event, {event.title: "Workshop languages"})
    english.save_revision().publish()
    assert int(calendar_entry(client, english)["SEQUENCE"]) == 0

    old_start = english.start
    event.start += datetime.timedelta(hours=2)
    event.end += datetime.timedelta(hours=2)
    event.save_revision().publish()
    german_entry = calendar_entry(client, event)
    assert (int(german_entry["SEQUENCE"]), german_entry.decoded("DTSTART")) == (1, event.start)
    english_entry = calendar_entry(client, english)
    assert (int(english_entry["SEQUENCE"]), english_entry.decoded("DTSTART")) == (1, old_start)

    english.start, english.end = event.start, event.end  # the translation brought up to date
    english.save_revision().publish()
    english_entry = calendar_entry(client, english)
    assert (int(english_entry["SEQUENCE"]), english_entry.decoded("DTSTART")) == (2, event.start)
    # the German file never goes lower than the English one for the same UID
    assert int(calendar_entry(client, event)["SEQUENCE"]) == 2
    # an edit that changes nothing calendars show, in either language, raises nothing
    english.target_audience = "Administration and civil society"
    english.save_revision().publish()
    assert int(calendar_entry(client, english)["SEQUENCE"]) == 2
