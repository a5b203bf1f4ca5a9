"""Factories for what every app uses: images, documents, site texts; and the helpers that
publish a built page and give it an English version."""

import factory
import wagtail_factories
from wagtail.models import Locale

from portal.models import SiteTexts
from portal.translation import translate


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


def published(page):
    """`page` published through a revision, as an editor publishes it (a factory only saves
    the row: no revision, no `first_published_at`, no page_published signal)."""
    page.save_revision().publish()
    page.refresh_from_db()
    return page


class _KeepUntranslated(dict):
    """German → English texts; a segment without an English text keeps its German one."""

    def __contains__(self, german):
        return True

    def __missing__(self, german):
        return german


def translated(instance, english=None, language="en"):
    """The `language` version of a German page or snippet as the portal makes it: a real
    wagtail-localize translation (editors can keep working on it in the translation editor),
    published if the German page is live.

    `english` maps German text segments (title, slug, teaser, a speaker's role …) to their
    translation; every other segment stays German, as names do. A page's parent must already
    exist in `language`.
    """
    locale = Locale.objects.get(language_code=language)
    version = translate(instance, locale, _KeepUntranslated(english or {}))
    return type(version).objects.get(pk=version.pk)
