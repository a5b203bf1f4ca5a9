"""Where workshops take place: each workshop's venue in the reader's language, as lines
and as one line, for pages, calendars, feeds and e-mails alike."""

from portal.translation import localize_ids

from .models import Venue


def attach_places(events, language_code: str | None = None) -> list:
    """Give each event its venue in the language (default: the visitor's) as `event.place`
    (None without one), in one query. Workshops link the German venue."""
    events = list(events)
    places = localize_ids(
        Venue.objects.all(),
        [event.venue_id for event in events],
        language_code=language_code,
    )
    for event in events:
        event.place = places.get(event.venue_id)
    return events


def location_lines(event) -> list[str]:
    """Where an event takes place, line by line: venue, room, postal address."""
    place = getattr(event, "place", None)
    lines = [place.name, event.room, *place.address_lines()] if place else [event.room]
    return [line for line in lines if line]


def location_text(event) -> str:
    return ", ".join(location_lines(event))
