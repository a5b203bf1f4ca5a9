from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class LabsConfig(AppConfig):
    """Labs and partner actors (filled by the labs issue)."""

    name = "labs"
    verbose_name = _("Labs and partners")
