from django.core.exceptions import ValidationError
from django.core.management.base import BaseCommand, CommandError
from django.core.validators import URLValidator
from wagtail.models import Site

from network.models import Source, SourceKind
from network.sources import fetch


class Command(BaseCommand):
    help = (
        "Manage a site's network sources: `add URL --site HOST [--kind K] [--name N]` adds "
        "(and fetches) one, `list` shows them, `remove URL --site HOST` removes one."
    )

    def add_arguments(self, parser):
        parser.add_argument("action", choices=["add", "list", "remove"])
        parser.add_argument("url", nargs="?")
        parser.add_argument("--site", help="The site's host name (default: the default site).")
        parser.add_argument("--kind", choices=SourceKind.values, help="Default: guessed.")
        parser.add_argument("--name", help="Shown on the Network page (default: the host).")

    def handle(self, *args, action, url, site, kind, name, **options):
        site = self.site(site)
        if action == "list":
            for source in Source.objects.filter(site=site).order_by("name"):
                self.stdout.write(f"{source.kind}\t{source.url}\t{source.name}")
            return
        if not url:
            raise CommandError("Give the source's address.")
        try:
            URLValidator(schemes=["http", "https"])(url)
        except ValidationError:
            raise CommandError(f"Not an http(s) address: {url}") from None
        if action == "remove":
            deleted, _ = Source.objects.filter(site=site, url=url).delete()
            self.stdout.write(f"{deleted} removed")
            return
        kind = kind or guess_kind(url)
        source, created = Source.objects.get_or_create(
            site=site,
            url=url,
            defaults={"kind": kind, "name": name or url.split("/")[2]},
        )
        self.stdout.write(f"{'Added' if created else 'Already there'}: {source.name} ({kind})")
        self.stdout.write(f"{source.name}: {fetch(source)}")

    @staticmethod
    def site(host):
        if not host:
            return Site.objects.get(is_default_site=True)
        hostname, _, port = host.partition(":")
        sites = Site.objects.filter(hostname=hostname)
        if port:
            sites = sites.filter(port=int(port))
        found = sites.first()
        if found is None:
            raise CommandError(f"No site with the host {host}.")
        return found


def guess_kind(url: str) -> str:
    if "/api/v1/workshops" in url:
        return SourceKind.PORTAL_API
    if url.endswith((".ics", "/calendar/")) or "ical" in url.lower():
        return SourceKind.ICALENDAR
    return SourceKind.ACTIVITYPUB
