"""Factories for the home app's pages."""

import factory
import wagtail_factories

from home.models import ContentPage


class ContentPageFactory(wagtail_factories.PageFactory):
    title = factory.Sequence(lambda n: f"Inhaltsseite {n}")
    teaser = "Ein kurzer Anrisstext."

    class Meta:
        model = ContentPage
