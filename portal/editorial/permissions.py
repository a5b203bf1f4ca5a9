"""The admin's page permission check: publishing directly, past the workflow, is for
PORTAL_DIRECT_PUBLISH_GROUPS only (portal/editorial/publishing.py)."""

import functools

from django.core.exceptions import PermissionDenied
from django.http import Http404
from django.utils.functional import classproperty
from wagtail.admin.auth import require_admin_access
from wagtail.models import GroupPagePermission, PagePermissionTester, Site
from wagtail.snippets.bulk_actions.delete import DeleteBulkAction
from wagtail.snippets.models import get_snippet_models

from ..sites import has_site_field, under_any
from .publishing import may_publish_directly


class PortalPagePermissionTester(PagePermissionTester):
    """Publishing directly, past the workflow, is for PORTAL_DIRECT_PUBLISH_GROUPS only.

    Every page type inherits BasePage, so this covers the whole admin: the editor's
    buttons, bulk actions, copying, and wagtail-localize's publish paths, which all ask
    `can_publish()`. Publish permission still lets Freigabe unpublish and manage schedules.
    """

    def _bypasses_workflow(self, page) -> bool:
        if not hasattr(self, "_direct_publisher"):
            self._direct_publisher = may_publish_directly(self.user)
        return self._direct_publisher or page.get_workflow() is None

    def can_publish(self):
        return super().can_publish() and self._bypasses_workflow(self.page)

    def can_publish_subpage(self):
        # A new page gets the workflow of its parent.
        return super().can_publish_subpage() and self._bypasses_workflow(self.page)

    def can_unschedule(self):
        return PagePermissionTester.can_publish(self)

    def can_set_view_restrictions(self):
        return PagePermissionTester.can_publish(self)


def within_reach(user, pages):
    """`pages` (a page queryset) limited to the trees where `user` holds page permissions
    (everything for superusers, and everything while the installation has one site): with
    several municipalities in one installation, one site's staff never see another's pages
    in choosers and registration lists."""
    if user.is_superuser or Site.objects.count() <= 1:
        return pages
    granted = GroupPagePermission.objects.filter(group__user=user)
    inside = under_any("path", granted.values_list("page__path", flat=True))
    return pages.filter(inside) if inside else pages.none()


def sites_within_reach(user) -> list[int] | None:
    """The ids of the sites whose home page the user holds page permissions on; None for
    "every site" (superusers, and everyone while the installation has one site)."""
    if user.is_superuser or Site.objects.count() <= 1:
        return None
    granted = GroupPagePermission.objects.filter(group__user=user)
    inside = under_any("root_page__path", granted.values_list("page__path", flat=True))
    if not inside:
        return []
    return list(Site.objects.filter(inside).values_list("pk", flat=True))


class OwnSitesOnly:
    """For an admin view of rows that belong to a site (a `site` field): only those of the
    user's own sites are listed, found or offered as a choice; another site's row is not
    found. Rows without a site belong to the installation: its staff only."""

    site_field = "site"

    def sites_of_user(self):
        if not hasattr(self, "_sites_of_user"):
            self._sites_of_user = sites_within_reach(self.request.user)
        return self._sites_of_user

    def of_own_sites(self, rows):
        sites = self.sites_of_user()
        return rows if sites is None else rows.filter(**{f"{self.site_field}__in": sites})

    def get_object(self, *args, **kwargs):
        row = super().get_object(*args, **kwargs)
        if row is None:  # a create view
            return row
        if not self.of_own_sites(type(row)._default_manager.filter(pk=row.pk)).exists():
            raise Http404
        return row

    def get_form(self, *args, **kwargs):
        form = super().get_form(*args, **kwargs)
        choice = form.fields.get(self.site_field)
        if choice is not None and self.sites_of_user() is not None:
            choice.queryset = choice.queryset.filter(pk__in=self.sites_of_user())
            choice.required = True
        return form


class OwnSitesListing(OwnSitesOnly):
    def get_base_queryset(self):
        return self.of_own_sites(super().get_base_queryset())


def own_sites_only(view_class):
    """`view_class` (a generic admin view of site-owned rows) limited to the user's sites."""
    from wagtail.admin.views.generic import IndexView

    scope = OwnSitesListing if issubclass(view_class, IndexView) else OwnSitesOnly
    return type(view_class.__name__, (scope, view_class), {})


class SiteOwnedViewSet:
    """For a (snippet or model) viewset of rows with a `site` field: every view of it is
    `OwnSitesOnly`."""

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        for name in [
            "index_view_class",
            "add_view_class",
            "edit_view_class",
            "delete_view_class",
            "copy_view_class",
            "inspect_view_class",
            "history_view_class",
            "usage_view_class",
        ]:
            view_class = getattr(self, name, None)
            if view_class is not None:
                setattr(self, name, own_sites_only(view_class))


def installation_wide_only(view):
    """For an admin view that cannot be limited to one site (e.g. Wagtail's page types usage
    report, which counts and links every site's pages): only for the installation's staff."""

    @functools.wraps(view)
    def guarded(request, *args, **kwargs):
        if sites_within_reach(request.user) is not None:
            raise PermissionDenied
        return view(request, *args, **kwargs)

    return require_admin_access(guarded)


class DeleteOwnSitesSnippets(DeleteBulkAction):
    """Wagtail's bulk deletion of snippets, for rows that belong to a site: the selection
    (also "select all") keeps only the user's own sites' rows; others are neither deleted
    nor named."""

    @classproperty
    def models(cls):
        return [model for model in get_snippet_models() if has_site_field(model)]

    def get_actionable_objects(self):
        objects, without_access = super().get_actionable_objects()
        sites = sites_within_reach(self.request.user)
        if sites is None:
            return objects, without_access

        def own(rows):
            return [row for row in rows if row.site_id in sites]

        return own(objects), {"items_with_no_access": own(without_access["items_with_no_access"])}
