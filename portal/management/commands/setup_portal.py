"""The site skeleton every fork needs. Idempotent: safe to run on every release.

Creates the languages; through each app's `skeleton` module, with one ContentBuilder
(portal/content.py), the pages every portal has in every language (home, directories, legal
pages); and the editorial roles with their approval workflow (portal/editorial/roles.py).
"""

from urllib.parse import urlsplit

from django.conf import settings
from django.core.management.base import BaseCommand, CommandError
from django.db import transaction
from wagtail.models import Locale, Site

from portal.content import ContentBuilder
from portal.editorial.roles import ensure_roles, ensure_workflow
from portal.utils import app_modules


class Command(BaseCommand):
    help = "Create the languages, home pages and directories every portal needs (idempotent)."

    @transaction.atomic
    def handle(self, *args, **options):
        for language_code, _name in settings.WAGTAIL_CONTENT_LANGUAGES:
            _locale, created = Locale.objects.get_or_create(language_code=language_code)
            if created:
                self.stdout.write(f"Created language {language_code}.")

        site = Site.objects.filter(is_default_site=True).select_related("root_page").first()
        if site is None:
            raise CommandError("There is no default site; run `manage.py migrate` first.")
        self.sync_site_address(site)
        builder = ContentBuilder(site, stdout=self.stdout)
        for module in app_modules("skeleton"):
            module.build(builder)
        builder.translate()
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
