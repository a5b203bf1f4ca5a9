"""The `scheduler` process of the Procfile: scheduled publishing every minute, the daily
housekeeping once a day. A city without a process manager uses the cron lines in the README
instead; both run the same commands."""

import datetime
import logging
import signal
import time

from django.conf import settings
from django.core.management import call_command
from django.core.management.base import BaseCommand, CommandError
from django.utils import timezone

logger = logging.getLogger(__name__)

EVERY_MINUTE = ["publish_scheduled"]
DAILY = ["purge_registrations", "purge_barrier_reports", "send_review_reminders"]


class Command(BaseCommand):
    help = (
        "Run publish_scheduled every minute and the daily jobs (purge_registrations) once a "
        "day at --daily-at (local time). --once runs what is due now and exits."
    )

    def add_arguments(self, parser):
        parser.add_argument(
            "--daily-at",
            default=settings.PORTAL_DAILY_JOBS_AT,
            help="Local time of the daily jobs, HH:MM (default: %(default)s).",
        )
        parser.add_argument(
            "--once",
            action="store_true",
            help="Run the jobs due now (the minute jobs, and the daily jobs) once, then exit.",
        )

    def handle(self, *args, daily_at, once, **options):
        try:
            hour, minute = (int(part) for part in daily_at.split(":"))
            daily_time = datetime.time(hour, minute)
        except ValueError:
            raise CommandError("--daily-at must be HH:MM, e.g. 03:15.") from None
        if once:
            self.run(EVERY_MINUTE + DAILY)
            return
        self.stopping = False
        signal.signal(signal.SIGTERM, self.stop)
        signal.signal(signal.SIGINT, self.stop)
        last_daily_run = None
        self.stdout.write(f"Scheduler started; daily jobs at {daily_time:%H:%M}.")
        while not self.stopping:
            now = timezone.localtime()
            self.run(EVERY_MINUTE)
            if now.time() >= daily_time and last_daily_run != now.date():
                self.run(DAILY)
                last_daily_run = now.date()
            self.sleep_until_next_minute()
        self.stdout.write("Scheduler stopped.")

    def run(self, commands):
        for command in commands:
            try:
                call_command(command, stdout=self.stdout, stderr=self.stderr)
            except Exception:  # one failing job must not stop the others or the loop
                logger.exception("Scheduled job %s failed", command)

    def sleep_until_next_minute(self):
        deadline = time.monotonic() + 60 - datetime.datetime.now().second
        while not self.stopping and time.monotonic() < deadline:
            time.sleep(1)

    def stop(self, *args):
        self.stopping = True
