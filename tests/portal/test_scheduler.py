"""The scheduler process (run_scheduler): heartbeat, the daily jobs caught up after a stop
and not repeated after a restart, one log line per job, and a lost database connection."""

import datetime
import io
import json
import logging
import zoneinfo

import pytest
import time_machine
from django.core.management import call_command

from portal.delivery.logs import JsonFormatter
from portal.management.commands import run_scheduler
from portal.models import SchedulerState

BERLIN = zoneinfo.ZoneInfo("Europe/Berlin")
DAILY = run_scheduler.DAILY
MINUTE = run_scheduler.minute_jobs()  # publish_scheduled and the apps' (hook portal_minute_jobs)


def at(day, hour, minute=0):
    return datetime.datetime(2026, 3, day, hour, minute, tzinfo=BERLIN)


class Jobs:
    """Stands in for call_command: records which jobs ran, fails the ones in `failing`."""

    def __init__(self):
        self.ran = []
        self.failing = set()

    def __call__(self, name, stdout, stderr):
        self.ran.append(name)
        if name in self.failing:
            raise RuntimeError(f"{name} broke")
        stdout.write(f"{name}: nothing to do\n")

    def take(self):
        ran, self.ran = self.ran, []
        return ran


@pytest.fixture
def jobs(monkeypatch):
    fake = Jobs()
    monkeypatch.setattr(run_scheduler, "call_command", fake)
    return fake


def scheduler():
    """A freshly started scheduler process (nothing remembered in memory)."""
    return run_scheduler.Command(stdout=io.StringIO(), stderr=io.StringIO())


def tick(command, when):
    with time_machine.travel(when, tick=False):
        command.tick(when)


@pytest.mark.parametrize(
    ("when", "slot"),
    [
        (at(2, 3, 14), datetime.date(2026, 3, 1)),
        (at(2, 3, 15), datetime.date(2026, 3, 2)),
        (at(2, 23, 59), datetime.date(2026, 3, 2)),
        (datetime.datetime(2026, 3, 2, 2, 30, tzinfo=datetime.UTC), datetime.date(2026, 3, 2)),
    ],
)
def test_the_daily_slot_is_the_latest_daily_time_passed(when, slot):
    assert run_scheduler.daily_slot(when, datetime.time(3, 15)) == slot


def test_each_loop_writes_the_heartbeat_readiness_reads(client, db, jobs, settings):
    settings.PORTAL_SCHEDULER_HEARTBEAT_MINUTES = 5
    command = scheduler()
    tick(command, at(2, 10))
    assert SchedulerState.objects.current().heartbeat_at == at(2, 10)
    with time_machine.travel(at(2, 10, 3)):
        assert client.get("/health/ready").status_code == 200
    with time_machine.travel(at(2, 10, 7)):
        response = client.get("/health/ready")
    assert response.status_code == 503
    assert response.json()["failed"] == ["scheduler"]
    tick(command, at(2, 10, 7))
    with time_machine.travel(at(2, 10, 7)):
        assert client.get("/health/ready").status_code == 200


def test_the_daily_jobs_run_once_a_day_and_not_again_after_a_restart(db, jobs):
    SchedulerState.objects.daily_jobs_ran(datetime.date(2026, 3, 1))
    command = scheduler()
    tick(command, at(2, 3, 10))
    assert jobs.take() == MINUTE
    tick(command, at(2, 3, 15))
    assert jobs.take() == MINUTE + DAILY
    tick(command, at(2, 3, 16))
    assert jobs.take() == MINUTE
    assert SchedulerState.objects.daily_run_for() == datetime.date(2026, 3, 2)

    restarted = scheduler()
    tick(restarted, at(2, 4, 0))
    assert jobs.take() == MINUTE
    tick(restarted, at(3, 3, 15))
    assert jobs.take() == MINUTE + DAILY


def test_a_day_missed_while_down_is_caught_up_at_the_start(db, jobs):
    # last run for March 1st; the scheduler was down through March 2nd, 03:15
    SchedulerState.objects.daily_jobs_ran(datetime.date(2026, 3, 1))
    command = scheduler()
    tick(command, at(3, 1, 0))
    assert jobs.take() == MINUTE + DAILY
    assert SchedulerState.objects.daily_run_for() == datetime.date(2026, 3, 2)
    tick(command, at(3, 1, 1))
    assert jobs.take() == MINUTE
    tick(command, at(3, 3, 15))  # and March 3rd's own run at its time
    assert jobs.take() == MINUTE + DAILY


def test_a_failing_daily_job_is_tried_again_next_minute_alone(db, jobs, caplog):
    SchedulerState.objects.daily_jobs_ran(datetime.date(2026, 3, 1))
    jobs.failing = {"purge_barrier_reports"}
    command = scheduler()
    tick(command, at(2, 3, 15))
    assert jobs.take() == MINUTE + DAILY
    assert SchedulerState.objects.daily_run_for() == datetime.date(2026, 3, 1)
    assert "Job purge_barrier_reports failed: purge_barrier_reports broke" in caplog.text

    tick(command, at(2, 3, 16))  # still failing: only it again
    assert jobs.take() == [*MINUTE, "purge_barrier_reports"]
    jobs.failing = set()
    tick(command, at(2, 3, 17))
    assert jobs.take() == [*MINUTE, "purge_barrier_reports"]
    assert SchedulerState.objects.daily_run_for() == datetime.date(2026, 3, 2)
    tick(command, at(2, 3, 18))
    assert jobs.take() == MINUTE


@pytest.fixture
def json_log():
    stream = io.StringIO()
    handler = logging.StreamHandler(stream)
    handler.setFormatter(JsonFormatter())
    logger = logging.getLogger("portal.scheduler")
    logger.addHandler(handler)
    level = logger.level
    logger.setLevel(logging.INFO)
    yield stream
    logger.removeHandler(handler)
    logger.setLevel(level)


def test_each_job_result_is_one_json_log_line(demo, json_log):
    output = io.StringIO()
    call_command("run_scheduler", "--once", stdout=output)
    lines = [json.loads(line) for line in json_log.getvalue().splitlines()]
    assert [(line["job"], line["outcome"]) for line in lines] == [
        (job, "ok") for job in MINUTE + DAILY
    ]
    purge = next(line for line in lines if line["job"] == "purge_registrations")
    assert purge["level"] == "INFO" and purge["message"] == "Job purge_registrations done"
    assert purge["output"].startswith("Nothing to do")
    assert isinstance(purge["duration_ms"], int)
    assert "Nothing to do" in output.getvalue()  # --once also prints the jobs' output


def test_a_failed_job_is_one_json_line_with_its_traceback(db, jobs, json_log):
    jobs.failing = {"publish_scheduled"}
    tick(scheduler(), at(2, 3, 10))
    lines = json_log.getvalue().splitlines()
    failed = [json.loads(line) for line in lines if '"failed"' in line]
    assert len(failed) == 1
    assert failed[0]["level"] == "ERROR" and failed[0]["job"] == "publish_scheduled"
    assert "RuntimeError: publish_scheduled broke" in failed[0]["exception"]


@pytest.mark.postgres
def test_a_terminated_database_connection_does_not_fail_the_next_job(
    django_db_setup, django_db_blocker, json_log
):
    """What a PostgreSQL restart or failover does to the scheduler's connection: the server
    ends it between two jobs. The next job must open a fresh one, not fail on the dead one
    (as it did every minute, for as long as the process lived)."""
    from django.db import connection, connections

    with django_db_blocker.unblock():
        # as in production: the connection is kept for a minute between jobs
        original_max_age = connection.settings_dict["CONN_MAX_AGE"]
        connection.settings_dict["CONN_MAX_AGE"] = 60
        connection.close()
        try:
            command = scheduler()
            assert command.run_job("publish_scheduled")
            pid = connection.connection.info.backend_pid

            killer = connections.create_connection("default")
            try:
                with killer.cursor() as cursor:
                    cursor.execute("SELECT pg_terminate_backend(%s)", [pid])
                    assert cursor.fetchone() == (True,)
            finally:
                killer.close()

            assert command.run_job("publish_scheduled")
            assert connection.connection.info.backend_pid != pid
            command.beat()  # the heartbeat, too
            assert SchedulerState.objects.current().heartbeat_at is not None
        finally:
            connection.settings_dict["CONN_MAX_AGE"] = original_max_age
            connection.close()
            SchedulerState.objects.all().delete()
            connection.close()
    outcomes = [json.loads(line)["outcome"] for line in json_log.getvalue().splitlines()]
    assert "failed" not in outcomes and outcomes.count("ok") >= 2
