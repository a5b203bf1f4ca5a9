from django.urls import path, reverse_lazy
from django.utils.translation import gettext_lazy as _
from django.views.generic import RedirectView
from wagtail import hooks
from wagtail.snippets.models import register_snippet
from wagtail.snippets.views.snippets import SnippetViewSet

from portal.editorial.site_scope import SiteOwnedViewSet
from portal.models import SiteLogEntry

from .models import PromotedResult


class PromotedResultViewSet(SiteOwnedViewSet, SnippetViewSet):
    model = PromotedResult
    icon = "pick"
    menu_label = _("Promoted search results")
    list_display = ["search_term", "page", "site"]
    list_filter = ["site"]
    search_fields = ["search_term"]
    sort_order_field = "sort_order"
    copy_view_enabled = False


register_snippet(PromotedResultViewSet)


@hooks.register("register_log_actions")
def log_promotions_per_site(actions):
    actions.register_model(PromotedResult, SiteLogEntry)


@hooks.register("portal_role_permissions")
def promotion_permissions():
    """A municipality's Administration promotes results on its own site
    (portal/editorial/roles.py)."""
    promotions = ["search.add_promotedresult", "search.change_promotedresult"]
    return {"Administration": [*promotions, "search.delete_promotedresult"]}


@hooks.register("construct_settings_menu")
def without_wagtails_installation_wide_promotions(request, menu_items):
    # replaced by PromotedResult, which belongs to a site
    menu_items[:] = [item for item in menu_items if item.name != "promoted-search-results"]


@hooks.register("register_admin_urls")
def promotions_are_kept_per_site():
    """Wagtail's promotion views (same paths; this app's hooks run first) lead to the
    promoted results per site; its search terms report stays."""
    to_ours = RedirectView.as_view(
        url=reverse_lazy("wagtailsnippets_search_promotedresult:list"), permanent=False
    )
    return [
        path(f"searchpicks/{route}", to_ours)
        for route in ["", "add/", "<int:query_id>/", "<int:query_id>/delete/"]
    ]
