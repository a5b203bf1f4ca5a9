"""No overbooking under concurrency, on PostgreSQL (what production runs): parallel
confirmations each in their own connection and transaction, as gunicorn workers would."""

import threading

import pytest
from django.conf import settings
from django.db import connection
from django.utils import timezone

from events import registration as registrations
from events.models import EventPage, Registration

pytestmark = pytest.mark.postgres


def test_fifty_parallel_confirmations_for_ten_seats(django_db_setup, django_db_blocker):
    # Threads need committed rows, so this test commits (no test transaction) and cleans up.
    with django_db_blocker.unblock():
        assert connection.vendor == "postgresql"
        event = (
            EventPage.objects.filter(
                locale__language_code=settings.LANGUAGE_CODE, start__gt=timezone.now()
            )
            .exclude(translation_key__in=Registration.objects.values("event_key"))
            .first()
        )
        original = EventPage.objects.filter(pk=event.pk).values("registration_mode", "capacity")[0]
        EventPage.objects.filter(pk=event.pk).update(registration_mode="built_in", capacity=10)
        now = timezone.now()
        pending = Registration.objects.bulk_create(
            Registration(
                event_key=event.translation_key,
                event=event,
                language="de",
                name=f"Person {number}",
                email=f"person{number}@example.org",
                consent_text="…",
                consented_at=now,
            )
            for number in range(50)
        )
        start = threading.Barrier(len(pending))
        outcomes, errors = [], []

        def confirm(registration):
            try:
                start.wait()
                outcomes.append(registrations.confirm(registration))
            except Exception as error:  # reported below; a thread cannot fail the test itself
                errors.append(error)
            finally:
                connection.close()

        threads = [threading.Thread(target=confirm, args=(r,)) for r in pending]
        try:
            for thread in threads:
                thread.start()
            for thread in threads:
                thread.join(timeout=60)
            assert errors == []
            counts = Registration.objects.filter(event_key=event.translation_key).counts()
            assert counts["confirmed"] == 10
            assert counts["waitlisted"] == 40
            assert sorted(outcomes).count("confirmed") == 10
            positions = [
                registrations.waiting_position(r)
                for r in Registration.objects.filter(
                    event_key=event.translation_key, status="waitlisted"
                )
            ]
            assert sorted(positions) == list(range(1, 41))
        finally:
            Registration.objects.filter(event_key=event.translation_key).delete()
            EventPage.objects.filter(pk=event.pk).update(**original)
