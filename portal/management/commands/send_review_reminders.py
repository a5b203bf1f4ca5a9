"""Mail page owners about pages that became overdue for review (run daily)."""

from django.core.management.base import BaseCommand

from portal.editorial.review_dates import send_review_reminders


class Command(BaseCommand):
    help = "E-mail owners a list of their pages whose review date has passed (each date once)."

    def handle(self, *args, **options):
        count = send_review_reminders()
        self.stdout.write(
            f"Reminded owners of {count} overdue page(s)." if count else "No newly overdue pages."
        )
