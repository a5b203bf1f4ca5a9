from django.core.management.base import BaseCommand

from network.delivery import deliver_due


class Command(BaseCommand):
    help = (
        "Send the network's due deliveries (Create/Update/Delete, Accept, Follow) to their "
        "inboxes; the scheduler runs it every minute."
    )

    def handle(self, *args, **options):
        counts = deliver_due()
        if any(counts.values()):
            self.stdout.write(
                f"{counts['delivered']} delivered, {counts['retry']} to retry, "
                f"{counts['failed']} given up"
            )
