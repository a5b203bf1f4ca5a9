"""The site skeleton every fork needs. Idempotent: safe to run on every release.

Creates the languages; through each app's `skeleton` module, with one ContentBuilder
(portal/content.py), the pages every portal has in every language (home, directories, legal
pages); and the editorial roles with their approval workflow (portal/editorial/roles.py).

With `--site NAME --hostname HOST` the same for another municipality in this installation:
a Wagtail site of its own with its own trees, settings, roles, collection and workflow.
"""

from urllib.parse import urlsplit

from django.conf import settings
from django.core.management.base import BaseCommand, CommandError
from django.db import transaction
from django.utils.text import slugify
from wagtail.models import Locale, Page, Site

from portal.content import ContentBuilder
from portal.editorial.roles import ensure_roles, ensure_workflow
from portal.utils import app_modules


class Command(BaseCommand):
    help = "Create the languages, home pages and directories every portal needs (idempotent)."

    def add_arguments(self, parser):
        parser.add_argument(
            "--site",
            metavar="NAME",
            help="Add (or complete) another municipality of this name, e.g. 'Lindental'.",
        )
        parser.add_argument(
            "--hostname",
            help="The municipality's host name, e.g. lindental.example.org (with --site).",
        )

    @transaction.atomic
    def handle(self, *args, site=None, hostname=None, **options):
        for language_code, _name in settings.WAGTAIL_CONTENT_LANGUAGES:
            _locale, created = Locale.objects.get_or_create(language_code=language_code)
            if created:
                self.stdout.write(f"Created language {language_code}.")
        default = Site.objects.filter(is_default_site=True).select_related("root_page").first()
        if default is None:
            raise CommandError("There is no default site; run `manage.py migrate` first.")
        if site:
            if not hostname:
                raise CommandError("--site needs --hostname, the municipality's host name.")
            target = self.municipality(site, hostname.lower(), default)
        elif hostname:
            raise CommandError("--hostname goes with --site NAME.")
        else:
            target = default
            self.sync_site_address(default)
        builder = ContentBuilder(target, stdout=self.stdout)
        for module in app_modules("skeleton"):
            module.build(builder)
        builder.translate()
        if target.is_default_site:
            groups = ensure_roles(log=self.stdout.write)
            ensure_workflow(groups, log=self.stdout.write)
        else:
            # the installation's own roles step back to the default site's trees
            ensure_roles(log=self.stdout.write)
            groups = ensure_roles(log=self.stdout.write, site=target)
            ensure_workflow(groups, log=self.stdout.write, site=target)
        self.stdout.write(self.style.SUCCESS(f"Portal skeleton of {target} is up to date."))

    def municipality(self, name: str, hostname: str, default: Site) -> Site:
        """The municipality's site (found by host name), created with a German home page of
        the same type as the default site's."""
        site = Site.objects.filter(hostname=hostname).first()
        if site is not None:
            if site.is_default_site:
                raise CommandError(f"{hostname} is the default site's host name.")
            return site
        if Site.objects.filter(site_name=name).exists():
            raise CommandError(f"Another site is already called {name!r}.")
        root = Page.get_first_root_node()
        slug = slugify(name)
        if root.get_children().filter(slug=slug).exists():
            raise CommandError(f"A page with the slug {slug!r} exists at the root already.")
        home = default.root_page.specific_class(
            title=default.root_page.title, slug=slug, locale=Locale.get_default()
        )
        root.add_child(instance=home)
        home.save_revision().publish()
        site = Site.objects.create(
            hostname=hostname, port=self.public_port(), root_page=home, site_name=name
        )
        self.stdout.write(f"Created the site {name} at {site.root_url}.")
        return site

    @staticmethod
    def public_port() -> int:
        """Sites share the scheme and port of WAGTAILADMIN_BASE_URL: 443 (https) in
        production, so root URLs, e-mails, feeds, sitemaps and CDN purges use https."""
        address = urlsplit(settings.WAGTAILADMIN_BASE_URL)
        return address.port or (443 if address.scheme == "https" else 80)

    def sync_site_address(self, site):
        """The site's host and port follow WAGTAILADMIN_BASE_URL, the portal's public address.

        Wagtail builds the sitemap's and e-mails' absolute links from them.
        """
        hostname = urlsplit(settings.WAGTAILADMIN_BASE_URL).hostname or "localhost"
        port = self.public_port()
        if (site.hostname, site.port) != (hostname, port):
            site.hostname, site.port = hostname, port
            site.save()
            self.stdout.write(f"Site address set to {hostname}:{port}.")
