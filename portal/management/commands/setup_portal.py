"""The site skeleton every fork needs. Idempotent: safe to run on every release.

Creates the languages, the home page in every language, through each app's `skeleton`
module the pages every portal has (e.g. the lab and actor directories), and the editorial
roles with their approval workflow (portal/roles.py).
"""

from urllib.parse import urlsplit

from django.conf import settings
from django.core.management.base import BaseCommand, CommandError
from django.db import transaction
from wagtail.models import Locale, Site

from home.models import HomePage
from portal.roles import ensure_roles, ensure_workflow
from portal.translation import translate
from portal.utils import app_modules

HOME_TITLES = {"de": "Startseite", "en": "Home"}


class Skeleton:
    def __init__(self, home, stdout):
        self.home = home
        self.stdout = stdout
        self.other_locales = list(Locale.objects.exclude(pk=home.locale_id))

    def translate_missing(self, page, strings_by_language):
        for locale in self.other_locales:
            if not page.has_translation(locale):
                translate(page, locale, strings_by_language.get(locale.language_code, {}))
                self.stdout.write(f"Created the {locale.language_code} version of {page.title}.")

    def index_page(self, page, strings_by_language):
        """A page that exists once under the home page (found by its type)."""
        existing = self.home.get_children().type(type(page)).first()
        if existing is None:
            self.home.add_child(instance=page)
            page.save_revision().publish()
            self.stdout.write(f"Created {page.title}.")
            existing = page
        self.translate_missing(existing.specific, strings_by_language)
        return existing


class Command(BaseCommand):
    help = "Create the languages, home pages and directories every portal needs (idempotent)."

    @transaction.atomic
    def handle(self, *args, **options):
        for language_code, _name in settings.WAGTAIL_CONTENT_LANGUAGES:
            _locale, created = Locale.objects.get_or_create(language_code=language_code)
            if created:
                self.stdout.write(f"Created language {language_code}.")

        site = Site.objects.filter(is_default_site=True).select_related("root_page").first()
        if site is None or not isinstance(site.root_page.specific, HomePage):
            raise CommandError(
                "The default site's root page is not a HomePage; run `manage.py migrate` on an "
                "empty database first."
            )
        self.sync_site_address(site)
        home = site.root_page.specific
        skeleton = Skeleton(home, self.stdout)
        skeleton.translate_missing(
            home,
            {
                code: {home.title: title, home.slug: f"{home.slug}-{code}"}
                for code, title in HOME_TITLES.items()
            },
        )
        for module in app_modules("skeleton"):
            module.build(skeleton)
        groups = ensure_roles(log=self.stdout.write)
        ensure_workflow(groups, log=self.stdout.write)
        self.stdout.write(self.style.SUCCESS("Portal skeleton is up to date."))

    def sync_site_address(self, site):
        """The site's host and port follow WAGTAILADMIN_BASE_URL, the portal's public address.

        Wagtail builds the sitemap's and e-mails' absolute links from them.
        """
        address = urlsplit(settings.WAGTAILADMIN_BASE_URL)
        hostname = address.hostname or "localhost"
        port = address.port or (443 if address.scheme == "https" else 80)
        if (site.hostname, site.port) != (hostname, port):
            site.hostname, site.port = hostname, port
            site.save()
            self.stdout.write(f"Site address set to {hostname}:{port}.")
