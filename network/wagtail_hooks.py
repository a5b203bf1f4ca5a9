from django.utils.translation import gettext_lazy as _
from wagtail import hooks
from wagtail.permission_policies import ModelPermissionPolicy
from wagtail.permissions import register_permission_policy
from wagtail.snippets.models import register_snippet
from wagtail.snippets.views.snippets import SnippetViewSet, SnippetViewSetGroup

from events.models import EventIndexPage, EventPage
from portal.editorial.site_scope import SiteOwnedViewSet
from portal.models import SiteLogEntry

from . import activities, views
from .models import BlockedDomain, Delivery, Follower, Source


@hooks.register("before_serve_page")
def serve_workshop_as_activity(page, request, serve_args, serve_kwargs):
    """Content negotiation: a workshop's address asked for as ActivityStreams."""
    return views.negotiated_event(page.specific_deferred, request)


@hooks.register("portal_alternate_links")
def activity_links(page, request):
    """The workshop directory names the site's followable account, a workshop its
    ActivityStreams object (fediverse servers that were given the page's HTML, e.g. from a
    CDN's cache, find the object there)."""
    page = page.specific_deferred
    if not isinstance(page, (EventIndexPage, EventPage)):
        return []
    site = views.site_of(request)  # the request's, already found: no query
    if isinstance(page, EventPage):
        href = activities.event_id(site, page.translation_key)
    else:
        href = activities.actor_id(site)
    return [{"type": views.ACTIVITY_JSON, "href": href}]


@hooks.register("portal_minute_jobs")
def network_jobs():
    """Deliveries to followers, and the sources due for a fetch."""
    return ["network_deliver", "network_fetch"]


class KeptByTheNetwork(ModelPermissionPolicy):
    """Followers and deliveries are written by the inbox and the worker: staff look at them
    (and may remove a follower), nobody adds or edits one, superusers neither."""

    def user_has_permission(self, user, action):
        return action not in ("add", "change", "copy") and super().user_has_permission(user, action)

    def user_has_any_permission(self, user, actions):
        return any(self.user_has_permission(user, action) for action in actions)


for kept in (Follower, Delivery):
    register_permission_policy(kept, KeptByTheNetwork(kept))


class FollowerViewSet(SiteOwnedViewSet, SnippetViewSet):
    model = Follower
    icon = "group"
    menu_label = _("Followers")
    list_display = ["actor_uri", "server", "site", "followed_at", "failing_since"]
    list_filter = ["site"]
    search_fields = ["actor_uri"]
    inspect_view_enabled = True


class BlockedDomainViewSet(SiteOwnedViewSet, SnippetViewSet):
    model = BlockedDomain
    icon = "cross"
    menu_label = _("Blocked domains")
    list_display = ["domain", "site", "reason", "created_at"]
    list_filter = ["site"]
    search_fields = ["domain"]


class DeliveryViewSet(SiteOwnedViewSet, SnippetViewSet):
    model = Delivery
    icon = "mail"
    menu_label = _("Delivery queue")
    list_display = ["kind", "server", "status", "attempts", "next_attempt_at", "last_error"]
    list_filter = ["site", "status"]
    inspect_view_enabled = True
    ordering = ["-created_at"]


class SourceViewSet(SiteOwnedViewSet, SnippetViewSet):
    model = Source
    icon = "link-external"
    menu_label = _("Sources")
    list_display = ["name", "kind", "site", "last_success_at", "last_error"]
    list_filter = ["site", "kind"]
    search_fields = ["name", "url"]


class NetworkGroup(SnippetViewSetGroup):
    items = (SourceViewSet, FollowerViewSet, BlockedDomainViewSet, DeliveryViewSet)
    menu_icon = "globe"
    menu_label = _("Network")
    menu_name = "network"
    menu_order = 260


register_snippet(NetworkGroup)


@hooks.register("register_log_actions")
def register_network_log_models(actions):
    for model in (Follower, BlockedDomain, Source):
        actions.register_model(model, SiteLogEntry)


@hooks.register("portal_site_settings")
def network_site_settings():
    """Each municipality's Administration sets its own account name and type."""
    return ["network.change_networksettings"]


@hooks.register("portal_role_permissions")
def network_permissions():
    """A municipality's Administration keeps its sources and blocked domains and sees its
    followers and deliveries (portal/editorial/roles.py)."""
    return {
        "Administration": [
            "network.add_source",
            "network.change_source",
            "network.delete_source",
            "network.add_blockeddomain",
            "network.change_blockeddomain",
            "network.delete_blockeddomain",
            "network.view_follower",
            "network.delete_follower",
            "network.view_delivery",
        ]
    }
