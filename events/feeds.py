"""Calendars (.ics, with the icalendar library) and the Atom feed of upcoming workshops."""

import datetime

import icalendar
from django.contrib.syndication.views import Feed
from django.http import HttpResponse
from django.utils import timezone
from django.utils.feedgenerator import Atom1Feed
from django.utils.translation import gettext as _

from portal.filters import DirectoryFilter

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
    component.add("summary", event.title)
    if event.teaser:
        component.add("description", event.teaser)
    location = ", ".join(
        part for part in [event.venue_name, event.venue_address.replace("\n", ", ")] if part
    )
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
    calendar.add("x-wr-calname", name)
    calendar.add("x-wr-timezone", timezone.get_current_timezone_name())
    for event in events:
        calendar.add_component(ical_event(event, host, url_of(event)))
    calendar.add_missing_timezones()
    return calendar.to_ical()


def calendar_response(events, request, name: str, filename: str) -> HttpResponse:
    content = build_calendar(
        events,
        name,
        host=request.get_host().split(":")[0],
        url_of=lambda event: request.build_absolute_uri(event.get_url(request)),
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
        return index.teaser or _("Upcoming workshops")

    def link(self, index):
        return index.get_url(self.request)

    def items(self, index):
        events = EventPage.objects.live().public().descendant_of(index).upcoming()
        return filtered(index, events, self.request)[:50]

    def item_title(self, event):
        if event.status == EventStatus.CANCELLED:
            return _("Cancelled: %(title)s") % {"title": event.title}
        return event.title

    def item_description(self, event):
        return event.teaser

    def item_link(self, event):
        return event.get_url(self.request)

    def item_pubdate(self, event):
        return event.first_published_at

    def item_updateddate(self, event):
        return event.last_published_at
