"""Send the tags waiting to be purged from a CDN (run every minute; see portal/delivery/cdn.py)."""

from django.conf import settings
from django.core.management.base import BaseCommand

from portal.delivery.cdn import PendingPurge, send_pending_purges


class Command(BaseCommand):
    help = (
        "Purge the tags waiting for a CDN that purges by tag, as far as its rate limit allows "
        "(they wait after a 429, an error or a busy minute)."
    )

    def handle(self, *args, **options):
        if not settings.PORTAL_CDN_TAG_PURGE:
            self.stdout.write("No CDN that purges by tag is configured.")
            return
        purged = send_pending_purges()
        waiting = PendingPurge.objects.count()
        self.stdout.write(f"Purged {purged} tag(s); {waiting} waiting.")
