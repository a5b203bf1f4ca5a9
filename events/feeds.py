"""Calendars (.ics, with the icalendar library) and the Atom feed of upcoming workshops."""

import collections
import datetime
import functools
import hashlib
import json
import re
import threading
import zoneinfo
from urllib.parse import urlsplit

import icalendar
from django.conf import settings
from django.contrib.syndication.views import Feed
from django.db import transaction
from django.http import HttpResponse
from django.utils import timezone, translation
from django.utils.feedgenerator import Atom1Feed
from django.utils.translation import gettext as _
from wagtail.models import Site

from labs.models import ActorPage
from portal.delivery.http import absolute_url
from portal.filters import DirectoryFilter
from portal.formats import html_text, plain_text, single_line
from portal.translation import localize

from .models import CalendarEntry, EventFormat, EventPage, EventSeriesPage, EventStatus
from .places import attach_places, location_lines, location_text


def in_utc(moment: datetime.datetime) -> str:
    """The same text for the same instant, whatever time zone it was read in."""
    return moment.astimezone(datetime.UTC).isoformat()


def shown_in_calendars(event) -> str:
    """A digest of what calendar programs show of a workshop (its place in its language)."""
    attach_places([event], event.locale.language_code)
    shown = [
        event.title,
        in_utc(event.start),
        in_utc(event.end),
        event.all_day,
        location_text(event),
        str(event.place.latitude) if event.place else "",
        str(event.place.longitude) if event.place else "",
        event.status,
    ]
    return hashlib.sha256(json.dumps(shown).encode()).hexdigest()


def record_calendar_change(event) -> None:
    """On publishing: a change calendars show raises the workshop's SEQUENCE (a language's
    first publication only records it)."""
    language = event.locale.language_code
    now = timezone.now()
    with transaction.atomic():
        entry, _created = CalendarEntry.objects.select_for_update().get_or_create(
            event_key=event.translation_key, defaults={"changed_at": now}
        )
        digest = shown_in_calendars(event)
        before = entry.shown.get(language)
        # the start is synchronised from the German page: a translation published before it
        # is updated still has the old one
        if language == settings.LANGUAGE_CODE:
            if entry.start is not None and entry.start != event.start:
                earlier = [when for when in entry.previous_starts if when != in_utc(event.start)]
                entry.previous_starts = [*earlier, in_utc(entry.start)]
            entry.start = event.start
        if before == digest:
            entry.save(update_fields=["start", "previous_starts"])
            return
        if before is not None:
            entry.sequence += 1
            entry.changed_at = now
        entry.shown[language] = digest
        entry.save()


def calendar_time(moment: datetime.datetime) -> datetime.datetime:
    """`moment` in the portal's zone (written with its TZID), or in UTC where the local time
    is ambiguous: in the hour the clocks go back, 02:30 happens twice, and a TZID time means
    the first of them (RFC 5545, 3.3.5), so a workshop at the second 02:30 would move an
    hour early. Calendar programs disagree about the first one too; UTC they all read."""
    local = timezone.localtime(moment)
    if local.replace(fold=1 - local.fold).utcoffset() != local.utcoffset():
        return moment.astimezone(datetime.UTC)
    return local


def ical_event(event, host: str, url: str, entry=None, organiser=None) -> icalendar.Event:
    """One workshop (its place and series attached) as a calendar event; `organiser` is
    (name, e-mail address) or None."""
    component = icalendar.Event()
    component.add("uid", f"{event.translation_key}@{host}")
    component.add("dtstamp", timezone.now())  # when this file was made
    component.add("sequence", entry.sequence if entry else 0)
    changed = entry.changed_at if entry else event.last_published_at
    if changed:
        component.add("last-modified", changed)
    series = getattr(event, "series", None)
    categories = [str(EventFormat(event.event_format).label), series.title if series else ""]
    component.add("categories", [single_line(name) for name in categories if name])
    if event.all_day:
        start = timezone.localtime(event.start).date()
        end = event.last_day + datetime.timedelta(days=1)  # DTEND of a date is exclusive
        component.add("dtstart", start)
        component.add("dtend", end)
    else:
        component.add("dtstart", calendar_time(event.start))
        component.add("dtend", calendar_time(event.end))
    component.add("summary", single_line(event.title))
    if event.teaser:
        component.add("description", plain_text(event.teaser))
    location = ", ".join(map(single_line, location_lines(event)))
    if location:
        component.add("location", location)
    if event.place is not None and event.place.has_coordinates:
        component.add("geo", (float(event.place.latitude), float(event.place.longitude)))
    if organiser is not None:
        name, address = organiser
        component.add("organizer", icalendar.vCalAddress(f"mailto:{address}"))
        component["organizer"].params["cn"] = icalendar.vText(single_line(name))
    component.add("url", url)
    component.add("status", "CANCELLED" if event.is_cancelled else "CONFIRMED")
    return component


def organisers_of(events, site) -> dict:
    """{event pk: (public name, address)} of the organisers calendar programs show: the
    organising actor's name (in the reader's language) or the municipality's, with the
    site's public contact address; none without such an address (ORGANIZER needs one)."""
    from portal.models import PortalSettings, SiteTexts

    address = PortalSettings.for_site(site).contact_email if site else ""
    if not address:
        return {}
    actors = localize(
        [event.organiser for event in events if event.organiser_id],
        queryset=ActorPage.objects.live().public(),
    )
    names = {actor.translation_key: actor.title for actor in actors if actor}

    @functools.cache
    def municipality():
        texts = SiteTexts.for_language(translation.get_language(), site)
        return texts.municipality or texts.site_name

    return {
        event.pk: (
            names.get(getattr(event.organiser, "translation_key", None)) or municipality(),
            address,
        )
        for event in events
    }


def transitions(zone: zoneinfo.ZoneInfo, year: int) -> list[dict]:
    """The zone's changes of UTC offset in `year`: the local time they happen at (the wall
    clock before), the offsets before and after, the name after, and whether it is summer
    time after. Found by day, then by minute, from the zone database."""
    utc = datetime.UTC
    found = []
    day = datetime.datetime(year, 1, 1, tzinfo=utc)
    while day.year == year:
        next_day = day + datetime.timedelta(days=1)
        before = day.astimezone(zone).utcoffset()
        if next_day.astimezone(zone).utcoffset() != before:
            moment = day
            while moment.astimezone(zone).utcoffset() == before:
                moment += datetime.timedelta(minutes=1)
            after = moment.astimezone(zone)
            found.append(
                {
                    "at": (moment + before).replace(tzinfo=None),
                    "from": before,
                    "to": after.utcoffset(),
                    "name": after.tzname(),
                    "summer": bool(after.dst()),
                }
            )
        day = next_day
    return found


def yearly_rule(moment: datetime.datetime) -> dict:
    """The RRULE that recurs on the weekday of `moment` in its month: "last Sunday of
    March" (-1SU) where it is the month's last such day, else "the nth"."""
    weekday = ["MO", "TU", "WE", "TH", "FR", "SA", "SU"][moment.weekday()]
    in_last_week = (moment + datetime.timedelta(days=7)).month != moment.month
    nth = -1 if in_last_week else (moment.day - 1) // 7 + 1
    return {"freq": "yearly", "bymonth": moment.month, "byday": f"{nth}{weekday}"}


# Every file describes the zone from the same year on: calendar programs that remember the
# first definition they read of a TZID (vobject, used by Radicale) then read later files'
# earlier events right too.
ZONE_FROM_YEAR = 2000


@functools.lru_cache(maxsize=32)
def vtimezone(zone_name: str, first_year: int, last_year: int) -> icalendar.Timezone:
    """The zone's VTIMEZONE for events up to `last_year`, as most calendars write it: what
    holds at the start, then each rule of summer and standard time as one part with a yearly
    RRULE (ending with UNTIL where the zone gave the rule up), and single parts for changes
    that follow no rule. (icalendar's own long RDATE lists put summer events an hour off in
    some clients.)"""
    zone = zoneinfo.ZoneInfo(zone_name)
    component = icalendar.Timezone()
    component.add("tzid", zone_name)
    first_year = min(first_year - 1, ZONE_FROM_YEAR)
    begin = datetime.datetime(first_year, 1, 1)
    in_force = begin.replace(tzinfo=zone)
    add_zone_part(
        component,
        begin,
        in_force.utcoffset(),
        {"to": in_force.utcoffset(), "name": in_force.tzname(), "summer": bool(in_force.dst())},
    )
    changes = [
        change for year in range(first_year, last_year + 1) for change in transitions(zone, year)
    ]
    kinds = {}
    for change in changes:
        kinds.setdefault((change["summer"], change["from"], change["to"]), []).append(change)
    for same_kind in kinds.values():
        for run in yearly_runs(same_kind):
            first, last = run[0], run[-1]
            rule = None
            if len(run) > 1:
                rule = yearly_rule(first["at"])
                if last["at"].year < last_year:  # the zone gave this rule up
                    # a day after the last change: vobject compares UNTIL (UTC) with the
                    # local times, so east of Greenwich an exact UNTIL drops the last change
                    # (Adelaide's of 2007); the next one would come a year later
                    rule["until"] = (last["at"] - first["from"]).replace(
                        tzinfo=datetime.UTC
                    ) + datetime.timedelta(days=1)
            add_zone_part(component, first["at"], first["from"], first, rule)
    return component


def yearly_runs(changes: list[dict]) -> list[list[dict]]:
    """`changes` (one kind, in order) cut into runs of consecutive years that follow one
    yearly rule at one time of day."""
    runs = []
    for change in changes:
        run = runs[-1] if runs else None
        if (
            run is not None
            and change["at"].year == run[-1]["at"].year + 1
            and yearly_rule(change["at"]) == yearly_rule(run[0]["at"])
            and change["at"].time() == run[0]["at"].time()
        ):
            run.append(change)
        else:
            runs.append([change])
    return runs


def add_zone_part(component, at, offset_from, change: dict, rule: dict | None = None):
    part = icalendar.TimezoneDaylight() if change["summer"] else icalendar.TimezoneStandard()
    part.add("dtstart", at)
    part.add("tzoffsetfrom", offset_from)
    part.add("tzoffsetto", change["to"])
    if change["name"]:
        part.add("tzname", change["name"])
    if rule:
        part.add("rrule", rule)
    component.add_component(part)


def build_calendar(events, name: str, host: str, url_of, site=None) -> bytes:
    """An iCalendar file of the site's `events`; `url_of(event)` gives each event's absolute
    address. UIDs use the translation key and host, so both languages' files describe the
    same event."""
    calendar = icalendar.Calendar()
    calendar.add("prodid", "-//KoSI-Lab Portal//Workshops//DE")
    calendar.add("version", "2.0")
    calendar.add("calscale", "GREGORIAN")
    calendar.add("x-wr-calname", single_line(name))
    calendar.add("x-wr-timezone", timezone.get_current_timezone_name())
    years = set()
    events = attach_places(with_series(events))
    entries = CalendarEntry.objects.in_bulk(
        [event.translation_key for event in events], field_name="event_key"
    )
    organisers = organisers_of(events, site)
    stamp = b"DTSTAMP:" + icalendar.vDatetime(timezone.now()).to_ical() + b"\r\n"
    vevents = []
    for event in events:
        entry = entries.get(event.translation_key)
        vevents.append(
            kept_vevent(event, host, url_of(event), entry, organisers.get(event.pk), stamp)
        )
        if not event.all_day:
            years |= {timezone.localtime(event.start).year, timezone.localtime(event.end).year}
    if years:
        zone = timezone.get_current_timezone_name()
        calendar.add_component(vtimezone(zone, min(years), max(years)))
    head, end = calendar.to_ical().rsplit(b"END:VCALENDAR", 1)
    return b"".join([head, *vevents, b"END:VCALENDAR", end])


# Writing one event with icalendar costs about a millisecond and a half; a calendar of every
# workshop holds thousands, and every publish makes it stale. An event's lines depend only
# on what `vevent_key` lists, so each process keeps them (DTSTAMP, the file's own time, is
# put in on the way out) and a calendar rebuilt after a change writes only what changed.
VEVENTS_KEPT = 10_000
_vevents: collections.OrderedDict = collections.OrderedDict()
_vevents_lock = threading.Lock()
DTSTAMP_LINE = re.compile(rb"DTSTAMP:[0-9TZ]+\r\n")


def vevent_key(event, host: str, url: str, entry, organiser) -> tuple:
    place = getattr(event, "place", None)
    series = getattr(event, "series", None)
    return (
        translation.get_language(),
        host,
        url,
        event.translation_key,
        event.title,
        event.teaser,
        event.start,
        event.end,
        event.all_day,
        event.event_format,
        event.status,
        event.last_published_at,
        series.title if series else None,
        tuple(location_lines(event)),
        (place.latitude, place.longitude) if place is not None else None,
        organiser,
        (entry.sequence, entry.changed_at) if entry else None,
    )


def kept_vevent(event, host: str, url: str, entry, organiser, stamp: bytes) -> bytes:
    key = vevent_key(event, host, url, entry, organiser)
    with _vevents_lock:  # threaded servers share the dictionary
        lines = _vevents.get(key)
        if lines is not None:
            _vevents.move_to_end(key)
    if lines is None:
        lines = ical_event(event, host, url, entry, organiser).to_ical()
        with _vevents_lock:
            _vevents[key] = lines
            if len(_vevents) > VEVENTS_KEPT:
                _vevents.popitem(last=False)
    return DTSTAMP_LINE.sub(lambda _match: stamp, lines, count=1)


def with_series(events) -> list:
    """`events` (a queryset or list), each with its series page (or None), in one query."""
    from .selectors import attach_series

    events = list(events)
    parents = {event.path[: -EventPage.steplen] for event in events}
    # live is enough: a restricted series' parts are not public either, so not here
    series = EventSeriesPage.objects.live().filter(path__in=parents)
    return attach_series(events, series)


def calendar_response(events, request, name: str, filename: str) -> HttpResponse:
    content = build_calendar(
        events,
        name,
        host=urlsplit(absolute_url(request, "/")).hostname,
        url_of=lambda event: absolute_url(request, event.get_url(request)),
        site=Site.find_for_request(request),
    )
    response = HttpResponse(content, content_type="text/calendar; charset=utf-8")
    response["Content-Disposition"] = f'inline; filename="{filename}"'
    return response


def event_calendar(event, request):
    return calendar_response([event], request, event.title, f"{event.slug}.ics")


def series_calendar(series, request):
    events = EventPage.objects.live().public().child_of(series).order_by("start")
    events = events.select_related("organiser")
    return calendar_response(events, request, series.title, f"{series.slug}.ics")


def filtered(index, events, request):
    """Feeds accept the listing's filters (series, lab, format), ignoring unknown values."""
    from .selectors import event_facets

    facets, _series = event_facets(index, events)
    return DirectoryFilter(facets, request.GET).apply(events)


def directory_calendar(index, request):
    """All workshops of the directory, filtered like the listing."""
    events = EventPage.objects.live().public().descendant_of(index).order_by("start")
    events = filtered(index, events, request).defer_streamfields()  # no body in a calendar
    events = events.select_related("organiser")
    return calendar_response(events, request, index.title, f"{index.slug}.ics")


class UpcomingEventsFeed(Feed):
    feed_type = Atom1Feed

    def __init__(self, index):
        super().__init__()
        self.index = index

    def get_object(self, request, *args, **kwargs):
        self.request = request
        return self.index

    def title(self, index):
        return index.title

    def subtitle(self, index):
        return single_line(index.teaser) or _("Upcoming workshops")

    # Absolute addresses from the site's root URL: Feed would otherwise build them from the
    # request's scheme and host, which a proxy header can change (and the page cache keep).
    def link(self, index):
        return absolute_url(self.request, index.get_url(self.request))

    def feed_url(self, index):
        return absolute_url(self.request, self.request.path)

    def items(self, index):
        events = EventPage.objects.live().public().descendant_of(index).upcoming()
        return attach_places(filtered(index, events, self.request)[:50])

    def item_title(self, event):
        if event.status == EventStatus.CANCELLED:
            return _("Cancelled: %(title)s") % {"title": event.title}
        return event.title

    def item_description(self, event):
        """The teaser, then when and where (Atom1Feed writes it as <summary type="html">:
        feed readers render it as HTML)."""
        from .templatetags.event_tags import event_when

        facts = [_("When: %(when)s") % {"when": event_when(event)}]
        if location_lines(event):
            facts.append(_("Where: %(place)s") % {"place": location_text(event)})
        paragraphs = [html_text(event.teaser), "<br>".join(map(html_text, facts))]
        return "".join(f"<p>{text}</p>" for text in paragraphs if text)

    def item_link(self, event):
        return absolute_url(self.request, event.get_url(self.request))

    def item_pubdate(self, event):
        return event.first_published_at

    def item_updateddate(self, event):
        return event.last_published_at
