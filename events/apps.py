from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class EventsConfig(AppConfig):
    """Workshops and workshop series (filled by the workshops issue)."""

    name = "events"
    verbose_name = _("Workshops")
