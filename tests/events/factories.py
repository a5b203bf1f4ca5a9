"""Factories for workshops, workshop series, their speakers and agenda, and registrations.

Workshops and series go into the site skeleton's German workshop directory unless a
`parent` is given; a test that counts a whole directory (listing, feed, calendar) builds
its own with EventIndexPageFactory, so the demo's workshops are not in it.
"""

import datetime

import factory
import wagtail_factories
from django.utils import timezone
from wagtail.models import Locale, Site

from events.models import (
    AgendaItem,
    EventIndexPage,
    EventPage,
    EventSeriesPage,
    EventSpeaker,
    Registration,
    Venue,
)
from tests.labs.factories import home


def event_index(language="de"):
    """The default site's workshop directory in `language` (the skeleton's, the first one)."""
    return EventIndexPage.objects.child_of(home(language)).order_by("path").first()


class VenueFactory(factory.django.DjangoModelFactory):
    """A venue of the default site, in German."""

    site = factory.LazyFunction(lambda: Site.objects.get(is_default_site=True))
    locale = factory.LazyFunction(Locale.get_default)
    name = factory.Sequence(lambda n: f"Rathaus {n}")
    street_address = "Markt 1"
    postal_code = "12345"
    locality = "Teststadt"

    class Meta:
        model = Venue


class EventIndexPageFactory(wagtail_factories.PageFactory):
    """A workshop directory of its own, under the German home page."""

    title = factory.Sequence(lambda n: f"Werkstätten {n}")
    parent = factory.LazyFunction(home)

    class Meta:
        model = EventIndexPage


class EventSeriesPageFactory(wagtail_factories.PageFactory):
    title = factory.Sequence(lambda n: f"Werkstattreihe {n}")
    parent = factory.LazyFunction(event_index)

    class Meta:
        model = EventSeriesPage


class EventPageFactory(wagtail_factories.PageFactory):
    title = factory.Sequence(lambda n: f"Werkstatt {n}")
    start = factory.LazyFunction(lambda: timezone.now() + datetime.timedelta(days=10))
    end = factory.LazyAttribute(lambda event: event.start + datetime.timedelta(hours=3))
    parent = factory.LazyFunction(event_index)

    class Meta:
        model = EventPage


def series_with_parts(count, *, parent=None, **series_fields):
    """A series with `count` numbered parts a week apart, the first one tomorrow; returns the
    series and its parts in order."""
    series = EventSeriesPageFactory(**series_fields, **({"parent": parent} if parent else {}))
    first = timezone.now() + datetime.timedelta(days=1)
    parts = [
        EventPageFactory(
            parent=series,
            title=f"{number}. Teil",
            part_number=number,
            start=first + datetime.timedelta(weeks=number - 1),
        )
        for number in range(1, count + 1)
    ]
    return series, parts


class EventSpeakerFactory(factory.django.DjangoModelFactory):
    """A speaker of `event`, linked to an actor page if `actor` is given; in the event's
    language, in the order created."""

    event = None
    name = factory.Sequence(lambda n: f"Person {n}")
    locale = factory.LazyAttribute(lambda speaker: speaker.event.locale)
    sort_order = factory.Sequence(lambda n: n)

    class Meta:
        model = EventSpeaker


class AgendaItemFactory(factory.django.DjangoModelFactory):
    event = None
    time = datetime.time(10, 0)
    item = factory.Sequence(lambda n: f"Programmpunkt {n}")
    locale = factory.LazyAttribute(lambda agenda_item: agenda_item.event.locale)
    sort_order = factory.Sequence(lambda n: n)

    class Meta:
        model = AgendaItem


class RegistrationFactory(factory.django.DjangoModelFactory):
    """A registration of `event`; confirmed unless a status is given."""

    event = None
    event_key = factory.LazyAttribute(lambda registration: registration.event.translation_key)
    language = "de"
    status = "confirmed"
    name = factory.Sequence(lambda n: f"Person {n}")
    email = factory.Sequence(lambda n: f"person{n}@example.org")
    consent_text = "Einwilligung …"
    consented_at = factory.LazyFunction(timezone.now)
    created_at = factory.LazyFunction(timezone.now)
    link_sent_at = factory.LazyAttribute(lambda registration: registration.created_at)
    confirmed_at = factory.LazyAttribute(
        lambda r: r.created_at if r.status in {"confirmed", "waitlisted"} else None
    )
    seat_since = factory.LazyAttribute(lambda r: r.created_at if r.status == "confirmed" else None)

    class Meta:
        model = Registration
