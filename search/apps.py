from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class SearchConfig(AppConfig):
    """Site search: results, suggestions and editors' promoted results per site."""

    name = "search"
    verbose_name = _("Search")

    def ready(self):
        from portal.delivery.cache import invalidate_on_change

        invalidate_on_change("search.PromotedResult")  # search result pages show them
