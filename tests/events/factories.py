"""Factories for workshops and registrations."""

import datetime

import factory
import wagtail_factories
from django.utils import timezone

from events.models import EventPage, Registration


class EventPageFactory(wagtail_factories.PageFactory):
    title = factory.Sequence(lambda n: f"Werkstatt {n}")
    start = factory.LazyFunction(lambda: timezone.now() + datetime.timedelta(days=10))
    end = factory.LazyAttribute(lambda event: event.start + datetime.timedelta(hours=3))

    class Meta:
        model = EventPage


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
