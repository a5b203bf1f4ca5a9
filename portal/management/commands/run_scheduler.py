"""The `scheduler` process of the Procfile: scheduled publishing every minute, the daily
housekeeping once a day. A city without a process manager uses the cron lines in the README
instead; both run the same commands.

Built to run for months unattended (see docs/operations.md):
- before each job, database connections that broke (a PostgreSQL restart or failover, an
  administrator's pg_terminate_backend) or outlived CONN_MAX_AGE are closed, so the job
  opens a fresh one instead of failing on the dead one every minute;
- every loop writes a heartbeat row (SchedulerState) that /health/ready can check;
- the daily jobs run for the latest daily slot that has not run yet, as recorded in the
  database: a scheduler that was down at 03:15 catches up when it starts, and a restart
  after the run does not repeat it; a daily job that fails is tried again next minute;
- each job's result is one log line (JSON in production): job, outcome, duration, output.
"""

import datetime
import io
import logging
import signal
import time

from django.conf import settings
from django.core.management import call_command
from django.core.management.base import BaseCommand, CommandError
from django.db import connections
from django.utils import timezone
from wagtail import hooks

from portal.models import SchedulerState

logger = logging.getLogger("portal.scheduler")

EVERY_MINUTE = ["publish_scheduled", "purge_cdn"]
DAILY = [
    "purge_registrations",
    "purge_barrier_reports",
    "purge_search_terms",
    "send_review_reminders",
]


def minute_jobs() -> list[str]:
    """publish_scheduled, purge_cdn and what the domain apps add with the hook
    `portal_minute_jobs` (a function returning command names, e.g. the network's
    deliveries)."""
    jobs = list(EVERY_MINUTE)
    for hook in hooks.get_hooks("portal_minute_jobs"):
        jobs += [job for job in hook() if job not in jobs]
    return jobs


def daily_slot(now: datetime.datetime, daily_time: datetime.time) -> datetime.date:
    """The day of the latest daily slot at or before `now` (local time): today once the
    daily time has passed, yesterday before."""
    local = timezone.localtime(now)
    if local.time() >= daily_time:
        return local.date()
    return local.date() - datetime.timedelta(days=1)


def drop_broken_connections() -> None:
    """django.db.close_old_connections (what Django does around each request), and also
    close connections that look fine but whose server side is gone: a job that starts on one
    would fail at its first query. Never under an open transaction (only tests run jobs
    inside one)."""
    for connection in connections.all(initialized_only=True):
        if connection.in_atomic_block:
            continue
        connection.close_if_unusable_or_obsolete()
        if connection.connection is not None and not connection.is_usable():
            connection.close()


class Command(BaseCommand):
    daily_time = datetime.time(3, 15)  # set from --daily-at
    daily_slot = None  # the slot the pending daily jobs belong to
    daily_pending = ()  # daily jobs of that slot that have not succeeded yet
    echo = False

    help = (
        "Run publish_scheduled every minute and the daily jobs (purge_registrations, …) once "
        "a day at --daily-at (local time), catching up a day missed while it was down. "
        "--once runs every job now and exits."
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
            self.daily_time = datetime.time(hour, minute)
        except ValueError:
            raise CommandError("--daily-at must be HH:MM, e.g. 03:15.") from None
        self.echo = once  # a person or cron runs it: the jobs' output on stdout as well
        if once:
            self.beat()
            for job in minute_jobs() + DAILY:
                self.run_job(job)
            return
        self.stopping = False
        signal.signal(signal.SIGTERM, self.stop)
        signal.signal(signal.SIGINT, self.stop)
        logger.info("Scheduler started; daily jobs at %s.", f"{self.daily_time:%H:%M}")
        while not self.stopping:
            self.tick(timezone.now())
            self.sleep_until_next_minute()
        logger.info("Scheduler stopped.")

    def tick(self, now: datetime.datetime) -> None:
        """One loop: heartbeat, the minute jobs, and the daily jobs when due. Survives
        anything a job or the database does."""
        self.beat()
        for job in minute_jobs():
            self.run_job(job)
        try:
            self.run_daily_jobs_if_due(now)
        except Exception:  # the state row could not be read or written: next minute again
            logger.exception("Daily jobs not checked")

    def beat(self) -> None:
        try:
            drop_broken_connections()
            SchedulerState.objects.beat()
        except Exception:
            logger.exception("Scheduler heartbeat not written")

    def run_daily_jobs_if_due(self, now: datetime.datetime) -> None:
        slot = daily_slot(now, self.daily_time)
        if slot != self.daily_slot:  # a new day's slot, or the first loop after a start
            drop_broken_connections()
            done_for = SchedulerState.objects.daily_run_for()
            self.daily_pending = [] if done_for and done_for >= slot else list(DAILY)
            self.daily_slot = slot
        if self.daily_pending:
            self.daily_pending = [job for job in self.daily_pending if not self.run_job(job)]
            if not self.daily_pending:
                drop_broken_connections()
                SchedulerState.objects.daily_jobs_ran(slot)

    def run_job(self, command: str) -> bool:
        """Run one management command on fresh connections; one log line with its result.
        A failing job never stops the others or the loop."""
        output = io.StringIO()
        started = time.monotonic()
        try:
            drop_broken_connections()
            call_command(command, stdout=output, stderr=output)
        except Exception as error:
            logger.error(
                "Job %s failed: %s",
                command,
                error,
                exc_info=True,
                extra=self.result(command, "failed", started, output),
            )
            succeeded = False
        else:
            logger.info("Job %s done", command, extra=self.result(command, "ok", started, output))
            succeeded = True
        if self.echo:
            self.stdout.write(output.getvalue(), ending="")
        return succeeded

    @staticmethod
    def result(command, outcome, started, output) -> dict:
        return {
            "job": command,
            "outcome": outcome,
            "duration_ms": round((time.monotonic() - started) * 1000),
            "output": output.getvalue().strip(),
        }

    def sleep_until_next_minute(self):
        deadline = time.monotonic() + 60 - datetime.datetime.now().second
        while not self.stopping and time.monotonic() < deadline:
            time.sleep(1)

    def stop(self, *args):
        self.stopping = True
