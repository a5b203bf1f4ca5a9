"""The delivery queue: publishing, changing and unpublishing a workshop reach followers'
inboxes through the worker, with retries and backoff."""

import datetime
import json

import pytest
import time_machine
from django.core.management import call_command
from django.utils import timezone
from wagtail.models import Site

from network.delivery import deliver_due
from network.models import BlockedDomain, Delivery, DeliveryStatus, Follower, KeyPair
from portal.management.commands.run_scheduler import minute_jobs
from tests.events.factories import EventPageFactory

from .remote import verify_cavage


@pytest.fixture
def site(demo):
    return Site.objects.get(is_default_site=True)


@pytest.fixture
def followers(site, remote_server):
    base = remote_server.base
    return [
        Follower.objects.create(
            site=site,
            actor_uri=f"{base}/users/{name}",
            inbox=f"{base}/users/{name}/inbox",
            shared_inbox=f"{base}/inbox",
        )
        for name in ("alice", "bob")
    ]


def publish(page):
    page.save_revision().publish()
    return page


def sent(remote_server):
    return [json.loads(body) for _path, _headers, body in remote_server.received]


def test_publishing_queues_one_create_per_shared_inbox_and_sends_nothing_yet(
    site, followers, remote_server
):
    event = publish(EventPageFactory(title="Zukunftswerkstatt"))
    queued = Delivery.objects.get()
    assert queued.kind == "Create"
    assert queued.inbox == f"{remote_server.base}/inbox"
    assert remote_server.received == []  # never inside the editor's request
    assert deliver_due()["delivered"] == 1
    (create,) = sent(remote_server)
    assert create["type"] == "Create"
    assert create["object"]["type"] == "Event"
    assert create["object"]["name"] == "Zukunftswerkstatt"
    assert create["object"]["id"].endswith(str(event.translation_key))
    public_pem = KeyPair.objects.get(site=site).public_key_pem
    assert verify_cavage(remote_server.received[0], public_pem)


def test_changes_followers_see_are_updates_and_unpublishing_is_a_delete(
    site, followers, remote_server
):
    event = publish(EventPageFactory())
    publish(event)  # nothing followers see changed
    assert Delivery.objects.count() == 1
    event.start += datetime.timedelta(days=1)
    event.end += datetime.timedelta(days=1)
    publish(event)
    event.status = "cancelled"
    publish(event)
    event.unpublish()
    deliver_due()
    kinds = [activity["type"] for activity in sent(remote_server)]
    assert kinds == ["Create", "Update", "Update", "Delete"]
    update, cancel, delete = sent(remote_server)[1:]
    assert update["object"]["startTime"] == timezone.localtime(event.start).isoformat()
    assert cancel["object"]["eventStatus"] == "EventCancelled"
    assert delete["object"]["type"] == "Tombstone"
    assert delete["object"]["id"] == update["object"]["id"]


def test_a_venue_moving_updates_its_workshops(site, followers):
    from tests.events.factories import VenueFactory

    venue = VenueFactory(street_address="Markt 1")
    publish(EventPageFactory(venue=venue))
    venue.street_address = "Rathausplatz 2"
    venue.save()
    update = Delivery.objects.get(kind="Update")
    assert update.activity["object"]["location"]["address"]["streetAddress"] == "Rathausplatz 2"


def test_a_workshop_without_followers_queues_nothing(site):
    publish(EventPageFactory())
    assert not Delivery.objects.exists()


def test_failures_are_retried_with_exponential_backoff_then_given_up(
    site, followers, remote_server, settings
):
    remote_server.inbox_status = 503
    publish(EventPageFactory())
    start = timezone.now()
    delivery = Delivery.objects.get()
    waits = []
    with time_machine.travel(start, tick=False) as clock:
        for _ in range(4):
            deliver_due()
            delivery.refresh_from_db()
            waits.append(round((delivery.next_attempt_at - timezone.now()).total_seconds() / 60))
            clock.move_to(delivery.next_attempt_at)
    assert waits == [1, 2, 4, 8]
    assert delivery.status == DeliveryStatus.PENDING
    assert delivery.last_error == "HTTP 503"
    assert Follower.objects.filter(failing_since__isnull=False).count() == 2
    with time_machine.travel(start + datetime.timedelta(hours=49), tick=False):
        deliver_due()
    delivery.refresh_from_db()
    assert delivery.status == DeliveryStatus.FAILED


def test_a_server_back_after_a_while_gets_its_deliveries(site, followers, remote_server):
    remote_server.inbox_status = 503
    publish(EventPageFactory())
    deliver_due()
    remote_server.inbox_status = 202
    with time_machine.travel(timezone.now() + datetime.timedelta(hours=5), tick=False):
        assert deliver_due()["delivered"] == 1
    assert Delivery.objects.get().status == DeliveryStatus.DELIVERED
    assert not Follower.objects.filter(failing_since__isnull=False).exists()


def test_a_follower_gone_for_long_is_dropped(site, followers, settings):
    Follower.objects.update(failing_since=timezone.now() - datetime.timedelta(days=8))
    deliver_due()
    assert not Follower.objects.exists()


def test_deliveries_to_a_blocked_domain_are_given_up(site, followers, remote_server):
    publish(EventPageFactory())
    BlockedDomain.objects.create(site=site, domain="127.0.0.1")
    assert deliver_due()["failed"] == 1
    assert remote_server.received == []


def test_the_scheduler_runs_the_worker_every_minute(site, followers, remote_server):
    assert {"network_deliver", "network_fetch"} <= set(minute_jobs())
    publish(EventPageFactory())
    call_command("run_scheduler", "--once", stdout=None)
    assert Delivery.objects.get().status == DeliveryStatus.DELIVERED
