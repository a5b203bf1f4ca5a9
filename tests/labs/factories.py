"""Factories for labs and partner actors."""

import factory
import wagtail_factories

from labs.models import ActorPage, LabPage


class ActorPageFactory(wagtail_factories.PageFactory):
    title = factory.Sequence(lambda n: f"Akteur {n}")
    sector = "civil_society"
    kind = "organisation"
    city = "Dortmund"

    class Meta:
        model = ActorPage


class LabPageFactory(wagtail_factories.PageFactory):
    title = factory.Sequence(lambda n: f"Labor {n}")
    city = "Dortmund"
    challenge = "Demografischer Wandel"
    phase = 2

    class Meta:
        model = LabPage
