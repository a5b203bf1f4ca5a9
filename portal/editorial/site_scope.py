"""Several municipalities in one installation: every admin view, chooser, bulk action and
API keeps one site's staff to the objects of their own sites (permissions.py says which
those are). Another site's object is not found, listed, offered or named.

Objects belong to a site by where they are: pages by their tree, rows with a `site` field
by that field, images and documents by their collection (Wagtail's collection permissions).
"""

import functools

from django.core.exceptions import ObjectDoesNotExist, PermissionDenied
from django.db.models import IntegerField, Value
from django.http import Http404
from django.utils.functional import classproperty
from django.views.decorators.cache import never_cache
from wagtail.admin.auth import require_admin_access
from wagtail.admin.views.generic import IndexView
from wagtail.admin.views.reports.audit_logging import LogEntriesView
from wagtail.log_actions import registry as log_action_registry
from wagtail.models import Page
from wagtail.permissions import policy_registry
from wagtail.snippets.bulk_actions.delete import DeleteBulkAction
from wagtail.snippets.models import get_snippet_models
from wagtail_localize.views import snippets_api

from ..sites import has_site_field
from .permissions import sites_within_reach, within_reach

# What makes an image or a document (a collection-based permission) the user's own
WORKING_ACTIONS = ["add", "change", "delete", "choose"]


def of_own_sites(user, rows, field: str = "site"):
    """`rows` (a queryset of a model with a site field) of the user's sites only."""
    sites = sites_within_reach(user)
    return rows if sites is None else rows.filter(**{f"{field}__in": sites})


def is_within_reach(user, thing) -> bool:
    """Whether `thing` (a page, a row with a site field, an image or a document) belongs to
    one of the user's sites."""
    if sites_within_reach(user) is None:
        return True
    if isinstance(thing, Page):
        return within_reach(user, Page.objects.filter(pk=thing.pk)).exists()
    if has_site_field(type(thing)):
        return thing.site_id in sites_within_reach(user)
    if getattr(thing, "collection_id", None):
        policy = policy_registry.get_by_type(type(thing))
        return policy.user_has_any_permission_for_instance(user, WORKING_ACTIONS, thing)
    return True  # shared by the installation, e.g. lab topics


class OwnSitesOnly:
    """For an admin view of rows that belong to a site (a `site` field): only those of the
    user's own sites are found or offered as a choice. Rows without a site belong to the
    installation: its staff only."""

    def get_object(self, *args, **kwargs):
        row = super().get_object(*args, **kwargs)
        if row is not None and not is_within_reach(self.request.user, row):
            raise Http404
        return row  # None: a create view

    def get_form(self, *args, **kwargs):
        return own_sites_to_choose(super().get_form(*args, **kwargs), self.request.user)


def own_sites_to_choose(form, user):
    """`form`'s site field offers the user's sites only (preselected when there is one)."""
    choice = form.fields.get("site") if form is not None else None
    sites = sites_within_reach(user)
    if choice is not None and sites is not None:
        choice.queryset = choice.queryset.filter(pk__in=sites)
        choice.required = True
        if len(sites) == 1:
            choice.initial = next(iter(sites))
    return form


class OwnSitesListing(OwnSitesOnly):
    def get_base_queryset(self):
        return of_own_sites(self.request.user, super().get_base_queryset())


class OwnSitesChoices:
    """For a chooser's views (choose, results, chosen, create) of site-owned rows."""

    def get_creation_form(self):
        return own_sites_to_choose(super().get_creation_form(), self.request.user)

    def get_object_list(self):
        return of_own_sites(self.request.user, super().get_object_list())

    def get_object(self, pk):
        row = super().get_object(pk)
        if not is_within_reach(self.request.user, row):
            raise ObjectDoesNotExist
        return row

    def get_objects(self, pks):
        return of_own_sites(self.request.user, super().get_objects(pks))


def own_sites_only(view_class, scope=None):
    """`view_class` (a generic admin view of site-owned rows) limited to the user's sites."""
    scope = scope or (OwnSitesListing if issubclass(view_class, IndexView) else OwnSitesOnly)
    return type(view_class.__name__, (scope, view_class), {})


class SiteOwnedViewSet:
    """For a (snippet or model) viewset of rows with a `site` field: its views and its
    chooser keep to the user's sites."""

    VIEWS = [
        "index_view_class",
        "add_view_class",
        "edit_view_class",
        "delete_view_class",
        "copy_view_class",
        "inspect_view_class",
        "history_view_class",
        "usage_view_class",
    ]

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        if getattr(self, "revision_enabled", False) or getattr(self, "preview_enabled", False):
            # revision, preview, lock and workflow views would need the same guard
            raise NotImplementedError(f"{self.model}: site-owned snippets with revisions")
        for name in self.VIEWS:
            view_class = getattr(self, name, None)
            if view_class is not None:
                setattr(self, name, own_sites_only(view_class))
        chooser = getattr(self, "chooser_viewset_class", None)
        if chooser is not None:
            self.chooser_viewset_class = type(
                chooser.__name__, (SiteOwnedChooserViewSet, chooser), {}
            )


class SiteOwnedChooserViewSet:
    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        for name in [
            "choose_view_class",
            "choose_results_view_class",
            "chosen_view_class",
            "chosen_multiple_view_class",
            "create_view_class",
        ]:
            setattr(self, name, own_sites_only(getattr(self, name), OwnSitesChoices))


def installation_wide_only(view):
    """For an admin view that cannot be limited to one site (e.g. Wagtail's page types usage
    report, which counts and links every site's pages): only for the installation's staff."""

    @functools.wraps(view)
    def guarded(request, *args, **kwargs):
        if sites_within_reach(request.user) is not None:
            raise PermissionDenied
        return view(request, *args, **kwargs)

    return never_cache(require_admin_access(guarded))


class NamesOnlyWhatIsWithinReach:
    """For Wagtail's bulk actions (pages, images, documents, snippets): the selection (also
    "select all") keeps only the user's own sites' objects; others are neither acted on nor
    named as "without permission"."""

    def get_actionable_objects(self):
        objects, without_access = super().get_actionable_objects()
        if sites_within_reach(self.request.user) is None:
            return objects, without_access

        def own(things):
            return [thing for thing in things if is_within_reach(self.request.user, thing)]

        return own(objects), {"items_with_no_access": own(without_access["items_with_no_access"])}


def within_reach_only(action_class):
    return type(action_class.__name__, (NamesOnlyWhatIsWithinReach, action_class), {})


class DeleteOwnSitesSnippets(NamesOnlyWhatIsWithinReach, DeleteBulkAction):
    @classproperty
    def models(cls):
        return [model for model in get_snippet_models() if has_site_field(model)]


class SnippetsOfOwnSitesAPI(snippets_api.SnippetViewSet):
    """wagtail-localize's snippet listing (for its translation editor's choosers)."""

    def get_queryset(self):
        rows = super().get_queryset()
        return of_own_sites(self.request.user, rows) if has_site_field(rows.model) else rows


class SiteHistoryView(LogEntriesView):
    """Wagtail's site history report, its log models joined by one flat UNION.

    Wagtail joins them one by one (a union of a union); with a third log model
    (SiteLogEntry) Django 6 then keeps the inner queries' default ordering, which SQLite
    refuses ("ORDER BY not allowed in subqueries of compound statements")."""

    def get_filtered_queryset(self):
        self.log_models = list(log_action_registry.get_log_entry_models())
        parts = [
            self.filter_queryset(
                log_model.objects.viewable_by_user(self.request.user)
                .values("pk", "timestamp")
                .annotate(log_model_index=Value(index, output_field=IntegerField()))
            ).order_by()
            for index, log_model in enumerate(self.log_models)
        ]
        return parts[0].union(*parts[1:], all=True).order_by("-timestamp")
