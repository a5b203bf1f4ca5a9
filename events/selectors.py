"""Queries behind the workshop pages, the directory, feeds and the sections on other pages.

Fixed query counts whatever the number of events or speakers (tests pin them).
"""

import datetime
import re

from django.db.models import Count
from django.db.models.functions import TruncMonth
from django.utils import timezone, translation
from django.utils.formats import date_format
from django.utils.translation import gettext_lazy as _
from wagtail import hooks

from labs.models import ActorPage, LabPage
from labs.selectors import lab_facet
from portal.delivery.http import absolute_url
from portal.documents import downloads
from portal.documents import structured_data as download_data
from portal.filters import DirectoryFilter, Facet, Option, paginate
from portal.images import CARD_IMAGE, SPEAKER_PHOTO, with_renditions
from portal.templatetags.portal_tags import site_texts_of
from portal.translation import localize

from . import registration as registrations
from .blocks import DocumentationKind
from .forms import RegistrationForm
from .models import CalendarEntry, EventFormat, EventPage, EventSeriesPage
from .places import attach_places, location_lines

MONTH = re.compile(r"^(\d{4})-(\d{2})$")


def attach_series(events, series_pages):
    """Give each event its series page (by tree path), without a query per event."""
    by_path = {series.path: series for series in series_pages}
    for event in events:
        event.series = by_path.get(event.path[: -EventPage.steplen])
    return events


def month_options(events) -> list[Option]:
    tz = timezone.get_current_timezone()
    months = (
        events.order_by()
        .annotate(start_month=TruncMonth("start", tzinfo=tz))
        .values_list("start_month", flat=True)
        .distinct()
    )
    return [
        Option(f"{month:%Y-%m}", date_format(month, "YEAR_MONTH_FORMAT"))
        for month in sorted(set(months))
    ]


def count_per_month(queryset):
    tz = timezone.get_current_timezone()
    rows = (
        queryset.order_by()
        .annotate(start_month=TruncMonth("start", tzinfo=tz))
        .values("start_month")
        .annotate(results=Count("pk", distinct=True))
    )
    return {f"{row['start_month']:%Y-%m}": row["results"] for row in rows}


def apply_month(queryset, value):
    year, month = (int(part) for part in MONTH.match(value).groups())
    return queryset.in_month(year, month)


def event_facets(index, events, *, with_month=True) -> list[Facet]:
    series_pages = list(
        EventSeriesPage.objects.live().public().child_of(index).order_by("sort_title")
    )
    series_by_pk = {str(series.pk): series for series in series_pages}

    def count_per_lab(queryset):
        rows = (
            queryset.order_by()
            .values("related_labs__translation_key")
            .annotate(results=Count("pk", distinct=True))
        )
        return {row["related_labs__translation_key"]: row["results"] for row in rows}

    def count_per_series(queryset):
        paths = {series.path: str(series.pk) for series in series_pages}
        counts = {}
        for path in queryset.values_list("path", flat=True):
            key = paths.get(path[: -EventPage.steplen])
            if key:
                counts[key] = counts.get(key, 0) + 1
        return counts

    facets = [
        Facet(
            name="series",
            label=_("Series"),
            options=[Option(str(series.pk), series.title) for series in series_pages],
            apply=lambda queryset, value: queryset.in_series(series_by_pk[value]),
            counter=count_per_series,
        ),
        lab_facet(
            index,
            apply=lambda queryset, lab: queryset.for_lab(lab),
            count_per_lab_key=count_per_lab,
        ),
        Facet(
            name="format",
            label=_("Format"),
            options=[Option(choice.value, choice.label) for choice in EventFormat],
            apply=lambda queryset, value: queryset.in_format(value),
            count_by="event_format",
        ),
    ]
    if with_month:
        facets.append(
            Facet(
                name="month",
                label=_("Month"),
                options=month_options(events),
                apply=apply_month,
                counter=count_per_month,
            )
        )
    return facets, series_pages


def documentation_facet() -> Facet:
    """The archive's "documentation available" filter."""

    def count_documented(queryset):
        return {"available": queryset.documented().count()}

    return Facet(
        name="documentation",
        label=_("Documentation"),
        options=[Option("available", _("Documentation available"))],
        apply=lambda queryset, value: queryset.documented(),
        counter=count_documented,
    )


def event_directory(index, request) -> dict:
    past = request.GET.get("when") == "past"
    events = EventPage.objects.live().public().descendant_of(index)
    events = events.past() if past else events.upcoming()
    facets, series_pages = event_facets(index, events)
    if past:
        facets.append(documentation_facet())
    directory = DirectoryFilter(facets, request.GET, preserved={"when": "past"} if past else {})
    directory.count_options(events)
    results = with_renditions(directory.apply(events), "hero_image", CARD_IMAGE)
    page = paginate(request, results)
    page.object_list = attach_places(attach_series(list(page.object_list), series_pages))
    return {"directory": directory, "events": page, "showing_past": past}


def series_details(series, request) -> dict:
    parts = attach_places(
        EventPage.objects.live().public().child_of(series).order_by("part_number", "start")
    )
    files = documentation_downloads([part for part in parts if part.shows_documentation])
    for part in parts:
        part.documentation_downloads = files.get(part.pk, [])
    return {"parts": parts, "structured_data": series_structured_data(series, parts, request)}


def documentation_downloads(events) -> dict:
    """{event id: its documentation's public downloads} (two queries for any number)."""
    return downloads(
        {event.pk: event.documentation_files for event in events},
        kinds=dict(DocumentationKind.choices),
    )


def workshop_materials(event, request) -> list:
    """Pages of other apps used in the workshop (the knowledge library answers with the hook
    "workshop_materials"; events does not know the library)."""
    found = []
    for materials_of in hooks.get_hooks("workshop_materials"):
        found += materials_of(event, request)
    return found


def documentation(event, request) -> dict | None:
    """What the page leads with once the workshop has ended: summary, downloads, photos,
    the materials used; None before (and without a summary)."""
    if not event.shows_documentation:
        return None
    return {
        "summary": event.documentation_summary,
        "downloads": documentation_downloads([event])[event.pk],
        "photos": [block.value for block in event.documentation_photos],
        "materials": workshop_materials(event, request),
    }


def registration_panel(event, form=None, notice="") -> dict | None:
    """The registration section of an event page: seats, state and the form while open."""
    available = registrations.availability(event)
    if available is None:
        return None
    if form is None and available.accepts_registrations:
        form = RegistrationForm(consent_text=registrations.consent_text())
    return {
        "availability": available,
        "form": form if available.accepts_registrations else None,
        "notice": notice,
    }


def event_details(event, request, form=None, notice="") -> dict:
    parent = event.get_parent().specific
    series = parent if isinstance(parent, EventSeriesPage) else None
    parts = []
    if series is not None:
        parts = list(
            EventPage.objects.live().public().child_of(series).order_by("part_number", "start")
        )
    position = next((i for i, part in enumerate(parts) if part.pk == event.pk), None)
    speaker_rows = list(
        with_renditions(
            event.speakers.all().select_related("actor").order_by("sort_order", "pk"),
            "photo",
            SPEAKER_PHOTO,
        )
    )
    actor_queryset = ActorPage.objects.live().public()
    linked = localize([row.actor for row in speaker_rows if row.actor], queryset=actor_queryset)
    linked_by_key = {actor.translation_key: actor for actor in linked if actor}
    for row in speaker_rows:
        row.actor_page = linked_by_key.get(row.actor.translation_key) if row.actor else None
    organiser = localize([event.organiser], queryset=actor_queryset)[0] if event.organiser else None
    labs = localize(
        list(event.related_labs.order_by("pk")), queryset=LabPage.objects.live().public()
    )
    attach_places([event])
    documented = documentation(event, request)
    # an ended workshop offers no registration (its documentation takes the place)
    registration = None if event.is_past else registration_panel(event, form, notice)
    previous_starts = previous_starts_of(event)
    structured_data = event_structured_data(
        event,
        request,
        speakers=speaker_rows,
        organiser=organiser,
        availability=registration["availability"] if registration else None,
        previous_starts=previous_starts,
        documentation=documented,
    )
    return {
        "series": series,
        "part_count": max((part.part_number or 0 for part in parts), default=0),
        "previous_part": parts[position - 1] if position else None,
        "next_part": parts[position + 1]
        if position is not None and position + 1 < len(parts)
        else None,
        "speakers": speaker_rows,
        "organiser": organiser,
        "labs": [lab for lab in labs if lab],
        "agenda": list(event.agenda_items.order_by("sort_order", "time", "pk")),
        "place_lines": location_lines(event),
        "previous_starts": previous_starts,
        "structured_data": structured_data,
        "registration": registration,
        "documentation": documented,
        # shown on its own where the event has no registration section
        "registration_notice": notice if registration is None else "",
    }


def previous_starts_of(event) -> list[datetime.datetime]:
    """The starts the workshop was published with before it was moved, oldest first."""
    entry = CalendarEntry.objects.filter(event_key=event.translation_key).first()
    if entry is None:
        return []
    return [datetime.datetime.fromisoformat(when) for when in entry.previous_starts]


def upcoming(home, limit=3):
    """The next workshops under `home` (one site's home page in one language)."""
    events = EventPage.objects.live().public().descendant_of(home).upcoming()
    events = with_renditions(events, "hero_image", CARD_IMAGE)
    return attach_places(events[:limit])


def upcoming_for_lab(lab, limit=5):
    events = EventPage.objects.live().public().filter(locale_id=lab.locale_id)
    return list(events.for_lab(lab).upcoming()[:limit])


def for_actor(actor, limit=10):
    events = EventPage.objects.live().public().filter(locale_id=actor.locale_id)
    return list(events.involving_actor(actor).order_by("-start")[:limit])


ATTENDANCE_MODES = {
    EventFormat.IN_PERSON: "https://schema.org/OfflineEventAttendanceMode",
    EventFormat.ONLINE: "https://schema.org/OnlineEventAttendanceMode",
    EventFormat.HYBRID: "https://schema.org/MixedEventAttendanceMode",
}
EVENT_STATUSES = {
    "scheduled": "https://schema.org/EventScheduled",
    "cancelled": "https://schema.org/EventCancelled",
    "postponed": "https://schema.org/EventPostponed",
    "moved_online": "https://schema.org/EventMovedOnline",
}
RESCHEDULED = "https://schema.org/EventRescheduled"
# Search engines show an event's picture cropped to these shapes (16:9 and 1:1)
STRUCTURED_DATA_IMAGES = ("fill-1200x675|format-jpeg", "fill-1200x1200|format-jpeg")
# Fewer free seats than this (or than a fifth of all) count as "limited availability"
FEW_SEATS = 5


def event_structured_data(
    event,
    request,
    *,
    speakers=(),
    organiser=None,
    availability=None,
    previous_starts=(),
    documentation=None,
) -> dict:
    """schema.org Event of a workshop page, with what search engines' event guidelines ask
    for (event.place attached)."""
    url = absolute_url(request, event.get_url(request))
    data = {
        "@context": "https://schema.org",
        **event_summary(event, request, url),
        "description": event.teaser,
        "isAccessibleForFree": not event.cost_note,
        "inLanguage": translation.get_language(),
        "organizer": organizer_data(organiser, request),
        "offers": offer_data(event, availability, url),
    }
    if event.status == "scheduled" and previous_starts:
        data["eventStatus"] = RESCHEDULED
    if previous_starts:
        data["previousStartDate"] = [
            timezone.localtime(when).isoformat() for when in previous_starts
        ]
    if speakers:
        data["performer"] = [performer_data(speaker, request) for speaker in speakers]
    if event.hero_image:
        renditions = event.hero_image.get_renditions(*STRUCTURED_DATA_IMAGES)
        data["image"] = [
            absolute_url(request, renditions[spec].url) for spec in STRUCTURED_DATA_IMAGES
        ]
    if availability is not None and availability.capacity is not None:
        data["maximumAttendeeCapacity"] = availability.capacity
        data["remainingAttendeeCapacity"] = availability.seats_left
    if documentation and documentation["downloads"]:
        # the documentation's files are works the event features
        data["workFeatured"] = [
            download_data(download, lambda url: absolute_url(request, url))
            for download in documentation["downloads"]
        ]
    return data


def event_summary(event, request, url=None) -> dict:
    """What a workshop is, when and where: the whole of a series' sub-events."""
    url = url or absolute_url(request, event.get_url(request))
    return {
        "@type": "Event",
        "name": event.title,
        "url": url,
        "startDate": timezone.localtime(event.start).isoformat(),
        "endDate": timezone.localtime(event.end).isoformat(),
        "eventStatus": EVENT_STATUSES[event.status],
        "eventAttendanceMode": ATTENDANCE_MODES[event.event_format],
        "location": location_data(event, url),
    }


def location_data(event, url) -> list[dict]:
    locations = []
    place = event.place
    if place is not None:
        address = {
            "@type": "PostalAddress",
            "streetAddress": place.street_address,
            "postalCode": place.postal_code,
            "addressLocality": place.locality,
            "addressRegion": place.region,
            "addressCountry": place.country,
        }
        location = {
            "@type": "Place",
            "name": ", ".join(part for part in (place.name, event.room) if part),
            "address": {key: value for key, value in address.items() if value},
        }
        if place.has_coordinates:
            location["geo"] = {
                "@type": "GeoCoordinates",
                "latitude": float(place.latitude),
                "longitude": float(place.longitude),
            }
        locations.append(location)
    if event.event_format in (EventFormat.ONLINE, EventFormat.HYBRID):
        locations.append({"@type": "VirtualLocation", "url": event.online_url or url})
    return locations


def organizer_data(organiser, request) -> dict:
    """The organising actor, or else the municipality that runs the site."""
    if organiser is not None:
        kind = "Person" if organiser.kind == "person" else "Organization"
        return {
            "@type": kind,
            "name": organiser.title,
            "url": absolute_url(request, organiser.get_url(request)),
        }
    texts = site_texts_of(request)
    return {
        "@type": "Organization",
        "name": texts.municipality or texts.site_name,
        "url": absolute_url(request, "/"),
    }


def performer_data(speaker, request) -> dict:
    person = {"@type": "Person", "name": speaker.name}
    if speaker.role:
        person["jobTitle"] = speaker.role
    actor = speaker.actor_page
    if actor is not None and actor.kind == "person":
        person["url"] = absolute_url(request, actor.get_url(request))
    if speaker.organisation:
        person["affiliation"] = {"@type": "Organization", "name": speaker.organisation}
        if actor is not None and actor.kind != "person":
            person["affiliation"]["url"] = absolute_url(request, actor.get_url(request))
    return person


def offer_data(event, availability, url) -> dict:
    """How to take part: free or not, where to register, while seats last."""
    offer = {"@type": "Offer", "url": url}
    if event.first_published_at:  # registration opens when the workshop is announced
        offer["validFrom"] = timezone.localtime(event.first_published_at).isoformat()
    if event.registration_mode == "external" and event.registration_url:
        offer["url"] = event.registration_url
    elif availability is not None:
        offer["url"] = f"{url}#registration"
        offer["validThrough"] = timezone.localtime(registrations.deadline(event)).isoformat()
    if not event.cost_note:
        offer.update(price=0, priceCurrency="EUR")
    else:
        offer["description"] = event.cost_note
    offer["availability"] = "https://schema.org/InStock"
    seats = availability.seats_left if availability is not None else None
    if seats == 0:
        offer["availability"] = "https://schema.org/SoldOut"
    elif seats is not None and (seats < FEW_SEATS or seats * 5 < availability.capacity):
        offer["availability"] = "https://schema.org/LimitedAvailability"
    return offer


def series_structured_data(series, parts, request) -> dict:
    """schema.org EventSeries with each part as a sub-event (parts' places attached)."""
    data = {
        "@context": "https://schema.org",
        "@type": "EventSeries",
        "name": series.title,
        "description": series.teaser,
        "url": absolute_url(request, series.get_url(request)),
        "organizer": organizer_data(None, request),
        "subEvent": [event_summary(part, request) for part in parts],
    }
    if parts:
        data["startDate"] = timezone.localtime(min(part.start for part in parts)).isoformat()
        data["endDate"] = timezone.localtime(max(part.end for part in parts)).isoformat()
    return data
