from django.conf import settings
from django.core.management.base import BaseCommand

from search.terms import purge


class Command(BaseCommand):
    help = (
        "Delete search term counts older than PORTAL_SEARCH_TERMS_RETENTION_DAYS, stored terms "
        "that look like e-mail addresses or phone numbers, and terms without counts "
        "(daily job). Safe to run repeatedly."
    )

    def add_arguments(self, parser):
        parser.add_argument(
            "--days",
            type=int,
            default=settings.PORTAL_SEARCH_TERMS_RETENTION_DAYS,
            help="Days to keep daily counts of search terms (default: %(default)s).",
        )

    def handle(self, *args, days, **options):
        if days < 0:
            self.stderr.write("--days must not be negative.")
            raise SystemExit(2)
        done = purge(retention_days=days)
        self.stdout.write(
            f"Deleted {done['counts']} daily count(s) of search terms older than {days} days, "
            f"{done['personal_terms']} term(s) that looked like personal data and "
            f"{done['unused_terms']} term(s) without counts."
        )
