"""Calendars (.ics, with the icalendar library) and the Atom feed of upcoming workshops."""

import datetime
from urllib.parse import urlsplit

import icalendar
from django.contrib.syndication.views import Feed
from django.http import HttpResponse
from django.utils import timezone
from django.utils.feedgenerator import Atom1Feed
from django.utils.translation import gettext as _

from portal.delivery.http import absolute_url
from portal.filters import DirectoryFilter
from portal.formats import html_text, plain_text, single_line

from .models import EventPage, EventStatus


def ical_event(event, host: str, url: str) -> icalendar.Event:
    component = icalendar.Event()
    component.add("uid", f"{event.translation_key}@{host}")
    component.add("dtstamp", event.last_published_at or timezone.now())
    if event.all_day:
        start = timezone.localtime(event.start).date()
        end = event.last_day + datetime.timedelta(days=1)  # DTEND of a date is exclusive
        component.add("dtstart", start)
        component.add("dtend", end)
    else:
        component.add("dtstart", timezone.localtime(event.start))
        component.add("dtend", timezone.localtime(event.end))
    component.add("summary", single_line(event.title))
    if event.teaser:
        component.add("description", plain_text(event.teaser))
    lines = [event.venue_name, *plain_text(event.venue_address).splitlines()]
    location = ", ".join(part for part in map(single_line, lines) if part)
    if location:
        component.add("location", location)
    component.add("url", url)
    component.add("status", "CANCELLED" if event.is_cancelled else "CONFIRMED")
    return component


def build_calendar(events, name: str, host: str, url_of) -> bytes:
    """An iCalendar file; `url_of(event)` gives each event's absolute address. UIDs use the
    translation key and host, so both languages' files describe the same event."""
    calendar = icalendar.Calendar()
    calendar.add("prodid", "-//KoSI-Lab Portal//Workshops//DE")
    calendar.add("version", "2.0")
    calendar.add("calscale", "GREGORIAN")
    calendar.add("x-wr-calname", single_line(name))
    calendar.add("x-wr-timezone", timezone.get_current_timezone_name())
    for event in events:
        calendar.add_component(ical_event(event, host, url_of(event)))
    calendar.add_missing_timezones()
    return calendar.to_ical()


def calendar_response(events, request, name: str, filename: str) -> HttpResponse:
    content = build_calendar(
        events,
        name,
        host=urlsplit(absolute_url(request, "/")).hostname,
        url_of=lambda event: absolute_url(request, event.get_url(request)),
    )
    response = HttpResponse(content, content_type="text/calendar; charset=utf-8")
    response["Content-Disposition"] = f'inline; filename="{filename}"'
    return response


def event_calendar(event, request):
    return calendar_response([event], request, event.title, f"{event.slug}.ics")


def series_calendar(series, request):
    events = EventPage.objects.live().public().child_of(series).order_by("start")
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
        return filtered(index, events, self.request)[:50]

    def item_title(self, event):
        if event.status == EventStatus.CANCELLED:
            return _("Cancelled: %(title)s") % {"title": event.title}
        return event.title

    def item_description(self, event):
        # Atom1Feed writes it as <summary type="html">: feed readers render it as HTML
        return html_text(event.teaser)

    def item_link(self, event):
        return absolute_url(self.request, event.get_url(self.request))

    def item_pubdate(self, event):
        return event.first_published_at

    def item_updateddate(self, event):
        return event.last_published_at
