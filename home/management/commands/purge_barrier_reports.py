from django.conf import settings
from django.core.management.base import BaseCommand

from home.feedback import purge_old_reports


class Command(BaseCommand):
    help = "Delete barrier reports older than PORTAL_FEEDBACK_RETENTION_DAYS (daily job)."

    def handle(self, *args, **options):
        deleted = purge_old_reports()
        self.stdout.write(
            f"Deleted {deleted} barrier report(s) older than "
            f"{settings.PORTAL_FEEDBACK_RETENTION_DAYS} days."
        )
