from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class NetworkConfig(AppConfig):
    """Following a portal's workshops from the fediverse, and other portals' workshops."""

    name = "network"
    verbose_name = _("Network")

    def ready(self):
        from wagtail.signals import page_published, page_unpublished

        from events.models import EventPage

        from . import delivery

        page_published.connect(
            delivery.workshop_published, sender=EventPage, dispatch_uid="network-published"
        )
        page_unpublished.connect(
            delivery.workshop_unpublished, sender=EventPage, dispatch_uid="network-unpublished"
        )
