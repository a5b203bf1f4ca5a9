"""Demo content: a believable KoSI-Lab portal in German with complete English translations.

Each app contributes a `demo` module with `build(builder)` and `PAGE_PATHS` (the German URL
paths it creates), run in INSTALLED_APPS order with one ContentBuilder (portal/content.py);
this one, first, writes the site texts and settings.
"""

import io

from django.db import transaction
from wagtail.models import Locale, Page, Site

from .content import ContentBuilder
from .models import PortalSettings, SiteTexts
from .translation import translate
from .utils import app_modules

# Texts as (de, en) pairs; the settings as they are.
KOSI_LAB = {
    "texts": {
        "site_name": ("KoSI-Lab", "KoSI-Lab"),
        "municipality": ("Dortmund und Wuppertal", "Dortmund and Wuppertal"),
        "tagline": ("Kommunale Labore sozialer Innovation", "Municipal labs of social innovation"),
        "funding_notice": (
            "Das Bundesministerium für Bildung und Forschung (BMBF) fördert das Projekt KoSI-Lab "
            "in der Fördermaßnahme „Kommunen innovativ“.",
            "The Federal Ministry of Education and Research (BMBF) funds the KoSI-Lab project "
            "in its “Kommunen innovativ” programme.",
        ),
        "funder_name": (
            "Bundesministerium für Bildung und Forschung",
            "Federal Ministry of Education and Research",
        ),
    },
    "settings": {
        "contact_address": "KoSI-Lab\nMusterstraße 1\n12345 Musterstadt",
        "contact_email": "kosi-lab@example.org",
        "contact_phone": "+49 231 000000",
        "funder_url": "https://www.bmbf.de/",
        "data_attribution": "Städte Dortmund und Wuppertal, KoSI-Lab-Portal",
        "regional_key": "059130000000",  # Dortmund
    },
}

# The demo's second municipality (fictional), served at lindental.localhost.
LINDENTAL = {
    "texts": {
        "site_name": ("KoSI-Lab Lindental", "KoSI-Lab Lindental"),
        "municipality": ("Gemeinde Lindental", "Municipality of Lindental"),
        "tagline": ("Gemeinsam für ein lebendiges Dorf", "Together for a lively village"),
        "funding_notice": (
            "Das Land fördert das Lindentaler Labor im Programm „Dorf.Zukunft“ (Demo).",
            "The federal state funds the Lindental lab in its “Dorf.Zukunft” programme (demo).",
        ),
        "funder_name": ("Landesprogramm Dorf.Zukunft", "State programme Dorf.Zukunft"),
    },
    "settings": {
        "primary_colour": "#1f6b3a",
        "contact_address": "Gemeinde Lindental\nAm Lindenplatz 1\n99999 Lindental",
        "contact_email": "labor@lindental.example.org",
        "contact_phone": "+49 9999 0000",
        "funder_url": "https://dorf-zukunft.example.org/",
        "data_attribution": "Gemeinde Lindental",  # fictional: no regional key
    },
}


def build(builder: ContentBuilder):
    site_texts_and_settings(builder, KOSI_LAB)


def build_lindental(builder: ContentBuilder):
    site_texts_and_settings(builder, LINDENTAL)


def site_texts_and_settings(builder: ContentBuilder, data: dict):
    t = builder.texts
    if not SiteTexts.objects.filter(site=builder.site, locale=builder.german).exists():
        texts = SiteTexts.objects.create(
            site=builder.site, locale=builder.german, **t.german(data["texts"])
        )
        for locale in builder.other_locales:
            translate(texts, locale, t.english)
        builder.log(f"Created the site texts of {builder.site}")
    portal_settings = PortalSettings.for_site(builder.site)
    if not portal_settings.contact_email:
        for field, value in data["settings"].items():
            setattr(portal_settings, field, value)
        portal_settings.save()
        builder.log(f"Filled the portal settings of {builder.site}")


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


# The demo's second municipality: `setup_portal --site` adds it, the apps' `build_lindental`
# fill it.
SECOND_SITE = ("Lindental", "lindental.localhost")


@transaction.atomic
def load_demo_content(stdout=None, second_site: bool = True) -> list[Page]:
    builder = ContentBuilder(stdout=stdout)
    for module in app_modules("demo"):
        module.build(builder)
    builder.translate()
    created = builder.created
    if second_site:
        created += load_second_site(stdout)
    return created


def load_second_site(stdout=None) -> list[Page]:
    from django.core.management import call_command

    name, hostname = SECOND_SITE
    call_command("setup_portal", site=name, hostname=hostname, stdout=stdout or io.StringIO())
    builder = ContentBuilder(Site.objects.get(hostname=hostname), stdout=stdout)
    for module in app_modules("demo"):
        if hasattr(module, "build_lindental"):
            module.build_lindental(builder)
    builder.translate()
    return builder.created
