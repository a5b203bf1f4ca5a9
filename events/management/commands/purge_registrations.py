"""Delete personal data of workshop registrations that is no longer needed (run daily)."""

from django.conf import settings
from django.core.management.base import BaseCommand

from events.registration import purge


class Command(BaseCommand):
    help = (
        "Anonymise registrations of workshops that ended more than "
        "PORTAL_REGISTRATION_RETENTION_DAYS days ago, and delete unconfirmed registrations "
        "whose confirmation link has expired. Safe to run repeatedly."
    )

    def add_arguments(self, parser):
        parser.add_argument(
            "--days",
            type=int,
            default=settings.PORTAL_REGISTRATION_RETENTION_DAYS,
            help="Days after a workshop's end to keep personal data (default: %(default)s).",
        )

    def handle(self, *args, days, **options):
        if days < 0:
            self.stderr.write("--days must not be negative.")
            raise SystemExit(2)
        done = purge(retention_days=days)
        if not any(done.values()):
            self.stdout.write("Nothing to do: no registration is due for deletion.")
            return
        self.stdout.write(
            f"Anonymised {done['anonymised']} registration(s) of workshops that ended more "
            f"than {days} days ago; deleted {done['deleted']} unconfirmed registration(s) "
            "whose link had expired."
        )
