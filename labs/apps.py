from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class LabsConfig(AppConfig):
    """Labs and partner actors."""

    name = "labs"
    verbose_name = _("Labs and partners")

    def ready(self):
        from portal.delivery.cache import invalidate_on_change

        # the lab directory's filter and lab pages show it
        invalidate_on_change("labs.Topic", by_reference=True)
