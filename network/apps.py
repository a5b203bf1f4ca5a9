from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class NetworkConfig(AppConfig):
    """Following a portal's workshops from the fediverse, and other portals' workshops."""

    name = "network"
    verbose_name = _("Network")

    def ready(self):
        from django.db.models.signals import post_delete, post_save
        from wagtail.signals import page_published, page_unpublished

        from events.models import EventPage, Venue
        from portal.delivery.cache import invalidate_on_change

        from . import delivery

        invalidate_on_change("network.NetworkSettings")  # the account name, on the actor

        page_published.connect(
            delivery.workshop_published, sender=EventPage, dispatch_uid="network-published"
        )
        page_unpublished.connect(
            delivery.workshop_unpublished, sender=EventPage, dispatch_uid="network-unpublished"
        )
        # a venue is live as it is saved: its workshops' followers learn the new place
        post_save.connect(delivery.venue_changed, sender=Venue, dispatch_uid="network-venue")
        from .models import Source

        post_delete.connect(delivery.source_removed, sender=Source, dispatch_uid="network-unfollow")
        for signal in (post_save, post_delete):
            signal.connect(
                source_changed, sender=Source, dispatch_uid=f"network-source-page-{signal!r}"
            )


def source_changed(sender, instance, update_fields=None, **kwargs):
    """An editor renamed, disabled or removed a source: the Network page (not the whole
    site; what fetching writes refreshes nothing by itself)."""
    from portal.delivery.cache import invalidate_listings_of

    from .models import NetworkItem

    if update_fields and set(update_fields) <= set(instance.BOOKKEEPING):
        return
    invalidate_listings_of(NetworkItem, instance.site_id)
