from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class EventsConfig(AppConfig):
    """Workshops, workshop series and the built-in workshop registration."""

    name = "events"
    verbose_name = _("Workshops")

    def ready(self):
        from wagtail.signals import page_published

        from .models import EventPage

        page_published.connect(fill_seats_after_publish, sender=EventPage)


def fill_seats_after_publish(sender, instance, **kwargs):
    """A raised capacity gives waiting people their seats at once."""
    from .models import RegistrationMode
    from .registration import fill_free_seats

    if instance.registration_mode == RegistrationMode.BUILT_IN:
        fill_free_seats(instance)
