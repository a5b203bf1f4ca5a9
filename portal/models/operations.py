"""What the scheduler leaves behind for operations: its heartbeat, which the readiness
probe reads, and the daily run it last finished, so a restart neither repeats nor skips it."""

import datetime

from django.db import models
from django.utils import timezone


class SchedulerStateQuerySet(models.QuerySet):
    def current(self) -> "SchedulerState | None":
        return self.filter(pk=SchedulerState.SINGLETON).first()

    def daily_run_for(self) -> datetime.date | None:
        state = self.current()
        return state.daily_run_for if state else None

    def beat(self) -> None:
        """Record that the scheduler's loop is alive (one row, written every loop)."""
        self.update_or_create(
            pk=SchedulerState.SINGLETON, defaults={"heartbeat_at": timezone.now()}
        )

    def daily_jobs_ran(self, slot: datetime.date) -> None:
        self.update_or_create(pk=SchedulerState.SINGLETON, defaults={"daily_run_for": slot})


class SchedulerState(models.Model):
    """One row: when the scheduler's loop last ran, and for which day it last ran the daily
    jobs. Internal: no admin, no permissions."""

    SINGLETON = 1

    heartbeat_at = models.DateTimeField(null=True, blank=True)
    # the day whose daily slot (PORTAL_DAILY_JOBS_AT) the daily jobs last ran for
    daily_run_for = models.DateField(null=True, blank=True)

    objects = SchedulerStateQuerySet.as_manager()

    class Meta:
        default_permissions = ()

    def __str__(self):
        return f"heartbeat {self.heartbeat_at}, daily jobs for {self.daily_run_for}"
