from django.core.management.base import BaseCommand

from network.models import Source
from network.sources import due_sources, fetch


class Command(BaseCommand):
    help = (
        "Fetch the network sources that are due (every PORTAL_NETWORK_FETCH_MINUTES); "
        "--all fetches every active source now."
    )

    def add_arguments(self, parser):
        parser.add_argument("--all", action="store_true", help="Fetch every active source now.")

    def handle(self, *args, all, **options):
        sources = Source.objects.filter(enabled=True) if all else due_sources()
        for source in sources.select_related("site").order_by("pk"):
            self.stdout.write(f"{source.name}: {fetch(source)}")
