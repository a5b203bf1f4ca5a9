"""The site skeleton every fork needs. Idempotent: safe to run on every release."""

from urllib.parse import urlsplit

from django.conf import settings
from django.core.management.base import BaseCommand, CommandError
from django.db import transaction
from wagtail.models import Locale, Site

from home.models import HomePage
from portal.translation import translate

HOME_TITLES = {"de": "Startseite", "en": "Home"}


class Command(BaseCommand):
    help = "Create the languages and the home page in every language (idempotent)."

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
        for locale in Locale.objects.exclude(pk=home.locale_id):
            if home.has_translation(locale):
                continue
            title = HOME_TITLES.get(locale.language_code, home.title)
            slug = f"{home.slug}-{locale.language_code}"
            translate(home, locale, {home.title: title, home.slug: slug})
            self.stdout.write(f"Created the {locale.language_code} home page.")
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
