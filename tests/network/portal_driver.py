"""Drives one portal instance of tests/network/test_two_portals.py in its own process and
database: `python -m tests.network.portal_driver ACTION [ARGS]` with DATABASE_URL set.
Prints its result as JSON."""

import datetime
import json
import os
import sys


def main(action, *args):
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "portal.settings.test")
    import django

    django.setup()
    from django.utils import timezone
    from wagtail.models import Locale, Page, Site

    from events.models import EventIndexPage, EventPage

    def directory():
        return EventIndexPage.objects.filter(locale=Locale.get_default()).first()

    def workshop(key):
        return EventPage.objects.get(translation_key=key, locale=Locale.get_default())

    if action == "site":
        Site.objects.update(hostname="127.0.0.1", port=int(args[0]))
        from network.models import NetworkPage

        home = Page.objects.get(depth=2, locale=Locale.get_default())
        if not NetworkPage.objects.exists():
            home.add_child(instance=NetworkPage(title="Netzwerk", slug="netzwerk"))
        return {"network_page": NetworkPage.objects.get().get_url()}
    if action == "publish":
        start = timezone.now() + datetime.timedelta(days=7)
        event = EventPage(
            title=args[0], start=start, end=start + datetime.timedelta(hours=2), teaser="Kommt!"
        )
        directory().add_child(instance=event)
        event.save_revision().publish()
        return {"key": str(event.translation_key)}
    if action == "cancel":
        event = workshop(args[0])
        event.status = "cancelled"
        event.save_revision().publish()
        return {}
    if action == "unpublish":
        workshop(args[0]).unpublish()
        return {}
    if action == "deliver":
        from network.delivery import deliver_due

        later = timezone.now() + datetime.timedelta(minutes=int(args[0]) if args else 0)
        return deliver_due(now=later)
    if action == "follow":
        from django.core.management import call_command

        call_command(
            "network_source", "add", args[0], "--kind", "activitypub", "--name", "Portal A"
        )
        return {}
    if action == "unfollow":
        from network.models import Source

        Source.objects.filter(url=args[0]).delete()
        return {}
    if action == "state":
        from network.models import Delivery, Follower, NetworkItem, Source

        return {
            "followers": list(Follower.objects.values_list("actor_uri", flat=True)),
            "pending": Delivery.objects.filter(status="pending").count(),
            "accepted": list(Source.objects.values_list("follow_accepted", flat=True)),
            "items": list(NetworkItem.objects.values_list("title", "status", "removed_at")),
        }
    raise SystemExit(f"unknown action {action}")


if __name__ == "__main__":
    result = main(*sys.argv[1:])
    print("RESULT " + json.dumps(result, default=str))
