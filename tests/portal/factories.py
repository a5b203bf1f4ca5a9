"""Factories for what every app uses: images, documents, site texts."""

import factory
import wagtail_factories
from wagtail.models import Locale

from portal.models import SiteTexts


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
