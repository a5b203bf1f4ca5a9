"""Demo content: a believable KoSI-Lab portal in German with complete English translations.

Each app contributes a `demo` module with `build(builder)` and `PAGE_PATHS` (the German URL
paths it creates), run in INSTALLED_APPS order with one ContentBuilder (portal/content.py);
this one, first, writes the site texts and settings.
"""

from django.db import transaction
from wagtail.models import Locale, Page

from .content import ContentBuilder
from .models import PortalSettings, SiteTexts
from .translation import translate
from .utils import app_modules


def build(builder: ContentBuilder):
    t = builder.texts
    texts = SiteTexts.objects.filter(locale=builder.german).first()
    if texts is None:
        texts = SiteTexts.objects.create(
            locale=builder.german,
            site_name="KoSI-Lab",
            municipality=t.pair("Dortmund und Wuppertal", "Dortmund and Wuppertal"),
            tagline=t.pair(
                "Kommunale Labore sozialer Innovation", "Municipal labs of social innovation"
            ),
            funding_notice=t.pair(
                "Das Bundesministerium für Bildung und Forschung (BMBF) fördert das Projekt "
                "KoSI-Lab in der Fördermaßnahme „Kommunen innovativ“.",
                "The Federal Ministry of Education and Research (BMBF) funds the KoSI-Lab "
                "project in its “Kommunen innovativ” programme.",
            ),
            funder_name=t.pair(
                "Bundesministerium für Bildung und Forschung",
                "Federal Ministry of Education and Research",
            ),
        )
        t.pair("KoSI-Lab", "KoSI-Lab")
        for locale in builder.other_locales:
            translate(texts, locale, t.english)
        builder.log("Created the site texts")

    portal_settings = PortalSettings.for_site(builder.site)
    if not portal_settings.contact_email:
        portal_settings.contact_address = "KoSI-Lab\nMusterstraße 1\n12345 Musterstadt"
        portal_settings.contact_email = "kosi-lab@example.org"
        portal_settings.contact_phone = "+49 231 000000"
        portal_settings.funder_url = "https://www.bmbf.de/"
        portal_settings.save()
        builder.log("Filled the portal settings")


# The site texts and settings are no pages.
PAGE_PATHS = set()


def demo_loaded() -> bool:
    """Whether this database already holds the demo (then extra pages are the user's edits)."""
    demo_paths = set()
    for module in app_modules("demo"):
        demo_paths |= module.PAGE_PATHS
    demo_paths.discard("/home/")
    return Page.objects.filter(url_path__in=demo_paths, locale=Locale.get_default()).exists()


def unknown_pages():
    """Pages that neither the skeleton nor the demo created (in any language)."""
    known_paths = set()
    for module in app_modules("demo") + app_modules("skeleton"):
        known_paths |= module.PAGE_PATHS
    known_keys = Page.objects.filter(url_path__in=known_paths, locale=Locale.get_default()).values(
        "translation_key"
    )
    return Page.objects.filter(depth__gte=2).exclude(translation_key__in=known_keys)


@transaction.atomic
def load_demo_content(stdout=None) -> list[Page]:
    builder = ContentBuilder(stdout=stdout)
    for module in app_modules("demo"):
        module.build(builder)
    builder.translate()
    return builder.created
