import datetime

import factory
import wagtail_factories
from django.utils import timezone
from wagtail.models import Locale

from home.models import ContentPage
from portal.models import SiteTexts


class ContentPageFactory(wagtail_factories.PageFactory):
    title = factory.Sequence(lambda n: f"Inhaltsseite {n}")
    teaser = "Ein kurzer Anrisstext."

    class Meta:
        model = ContentPage


class ImageFactory(wagtail_factories.ImageFactory):
    title = factory.Sequence(lambda n: f"Bild {n}")


class DocumentFactory(wagtail_factories.DocumentFactory):
    title = factory.Sequence(lambda n: f"Dokument {n}")


class SiteTextsFactory(factory.django.DjangoModelFactory):
    site_name = "KoSI-Lab Teststadt"
    municipality = "Stadt Teststadt"
    funding_notice = "Gefördert vom Testministerium im Programm „Kommunen testen“."
    funder_name = "Testministerium"
    locale = factory.LazyFunction(Locale.get_default)

    class Meta:
        model = SiteTexts


class ActorPageFactory(wagtail_factories.PageFactory):
    title = factory.Sequence(lambda n: f"Akteur {n}")
    sector = "civil_society"
    kind = "organisation"
    city = "Dortmund"

    class Meta:
        model = "labs.ActorPage"


class LabPageFactory(wagtail_factories.PageFactory):
    title = factory.Sequence(lambda n: f"Labor {n}")
    city = "Dortmund"
    challenge = "Demografischer Wandel"
    phase = 2

    class Meta:
        model = "labs.LabPage"


class EventPageFactory(wagtail_factories.PageFactory):
    title = factory.Sequence(lambda n: f"Werkstatt {n}")
    start = factory.LazyFunction(lambda: timezone.now() + datetime.timedelta(days=10))
    end = factory.LazyAttribute(lambda event: event.start + datetime.timedelta(hours=3))

    class Meta:
        model = "events.EventPage"


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
        model = "events.Registration"
