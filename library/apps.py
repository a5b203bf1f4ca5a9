from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class LibraryConfig(AppConfig):
    """The knowledge library: materials by lab phase and the way through the phases."""

    name = "library"
    verbose_name = _("Knowledge library")
