from django.urls import path
from django.utils.translation import gettext_lazy as _
from wagtail import hooks
from wagtail.admin.userbar import ContentCheckerItem
from wagtail.admin.views.pages import bulk_actions as page_bulk_actions
from wagtail.documents import get_document_model
from wagtail.documents.views import bulk_actions as document_bulk_actions
from wagtail.images import get_image_model
from wagtail.images.views import bulk_actions as image_bulk_actions
from wagtail.models import Site
from wagtail.snippets.models import register_snippet
from wagtail.snippets.views.snippets import SnippetViewSet
from wagtail_localize.views import edit_translation

from .delivery.dependencies import page_tag, record
from .editorial import translations as admin_views
from .editorial.dashboard import OverdueReviewsPanel, SetupChecklistPanel
from .editorial.permissions import sites_within_reach, within_reach
from .editorial.site_scope import (
    DeleteOwnSitesSnippets,
    SiteOwnedViewSet,
    SnippetsOfOwnSitesAPI,
    within_reach_only,
)
from .models import PortalSettings, SiteLogEntry, SiteTexts


class SiteTextsViewSet(SiteOwnedViewSet, SnippetViewSet):
    model = SiteTexts
    icon = "globe"
    menu_label = _("Site texts")
    list_display = ["site_name", "municipality", "site", "locale"]


register_snippet(SiteTextsViewSet)
# Registered after Wagtail's own bulk actions (order), which they replace: a municipality's
# staff act on, and see the names of, their own sites' pages, images and documents only.
for bulk_action in [
    DeleteOwnSitesSnippets,
    *map(
        within_reach_only,
        [
            page_bulk_actions.DeleteBulkAction,
            page_bulk_actions.MoveBulkAction,
            page_bulk_actions.PublishBulkAction,
            page_bulk_actions.UnpublishBulkAction,
            image_bulk_actions.AddTagsBulkAction,
            image_bulk_actions.AddToCollectionBulkAction,
            image_bulk_actions.DeleteBulkAction,
            document_bulk_actions.AddTagsBulkAction,
            document_bulk_actions.AddToCollectionBulkAction,
            document_bulk_actions.DeleteBulkAction,
        ],
    ),
]:
    hooks.register("register_bulk_action", bulk_action, order=100)


@hooks.register("before_serve_page")
def record_page_served(page, request, serve_args, serve_kwargs):
    """The response (the page, or one of its routes: calendar, feed) shows the page
    (portal.delivery.dependencies)."""
    record(page_tag(page.pk))


@hooks.register("construct_page_chooser_queryset")
def only_pages_within_reach(pages, request):
    """Wagtail's page chooser offers every page; staff of one municipality choose only
    from the sites they work on."""
    return within_reach(request.user, pages)


def site_to_set_up(request):
    """The site whose go-live checklist the dashboard shows: the one the admin is opened on,
    unless the user works on other sites only (then the first of those)."""
    site = Site.find_for_request(request)
    sites = sites_within_reach(request.user)
    if sites is None or (site is not None and site.pk in sites):
        return site
    return Site.objects.filter(pk__in=sites).order_by("pk").first()


@hooks.register("construct_homepage_panels")
def add_setup_checklist(request, panels):
    panels.insert(0, SetupChecklistPanel(site_to_set_up(request)))
    panels.append(OverdueReviewsPanel(request.user))


@hooks.register("register_admin_urls")
def keep_translations_in_the_workflow_and_the_site():
    # Same paths as wagtail-localize's views: this app's hooks run first, so these win.
    return [
        path(
            "localize/update/<int:translation_source_id>/",
            admin_views.UpdateTranslationsView.as_view(),
            name="portal_update_translations",
        ),
        path(
            "localize/page/<int:page_id>/convert_to_alias/",
            admin_views.convert_to_alias,
            name="portal_convert_to_alias",
        ),
        path(
            "localize/submit/page/<int:page_id>/",
            admin_views.SubmitPageTranslationView.as_view(),
            name="portal_submit_page_translation",
        ),
        path(
            "localize/submit/snippet/<slug:app_label>/<slug:model_name>/<str:pk>/",
            admin_views.SubmitSnippetTranslationView.as_view(),
            name="portal_submit_snippet_translation",
        ),
        path(
            "localize/api/snippets/<slug:app_label>/<slug:model_name>/",
            SnippetsOfOwnSitesAPI.as_view({"get": "list"}),
            name="portal_snippets_api_listing",
        ),
        path(
            "localize/api/snippets/<slug:app_label>/<slug:model_name>/<str:pk>/",
            SnippetsOfOwnSitesAPI.as_view({"get": "retrieve"}),
            name="portal_snippets_api_detail",
        ),
        path(
            "localize/reports/translations/",
            admin_views.TranslationsReportView.as_view(),
            name="portal_translations_report",
        ),
        path(
            "localize/reports/translations/results/",
            admin_views.TranslationsReportView.as_view(results_only=True),
            name="portal_translations_report_results",
        ),
        *[
            path(
                f"localize/translate/<int:translation_id>/{route}",
                admin_views.translation_within_reach(view),
                name=f"portal_{view.__name__}",
            )
            for route, view in [
                ("strings/<int:string_segment_id>/edit/", edit_translation.edit_string_translation),
                ("overrides/<int:overridable_segment_id>/edit/", edit_translation.edit_override),
                ("pofile/download/", edit_translation.download_pofile),
                ("pofile/upload/", edit_translation.upload_pofile),
                ("machine_translate/", edit_translation.machine_translate),
                ("preview/", edit_translation.preview_translation),
                ("preview/<str:mode>/", edit_translation.preview_translation),
                ("disable/", edit_translation.stop_translation),
            ]
        ],
        path(
            "portal/translations/<int:translation_id>/submit/",
            admin_views.submit_translation,
            name="portal_submit_translation",
        ),
    ]


class PortalContentChecker(ContentCheckerItem):
    """The user bar's checks for the content rules editors most often break: heading
    order, link texts, text alternatives of images, empty headings and tables."""

    axe_run_only = [
        *ContentCheckerItem.axe_run_only,
        "image-alt",
        "role-img-alt",
        "svg-img-alt",
        "input-image-alt",
        "area-alt",
        "object-alt",
        "duplicate-id-aria",
    ]


@hooks.register("construct_wagtail_userbar")
def use_portal_content_checker(request, items, page):
    for position, item in enumerate(items):
        if isinstance(item, ContentCheckerItem) and not isinstance(item, PortalContentChecker):
            items[position] = PortalContentChecker()


@hooks.register("register_log_actions")
def register_review_link_log_actions(actions):
    # rows of one site: their history is that site's (portal/models/audit.py)
    for model in [SiteTexts, PortalSettings, get_image_model(), get_document_model()]:
        actions.register_model(model, SiteLogEntry)
    for action, label, message in [
        ("send", _("Review link sent"), _("Review link sent to the reviewer")),
        ("resend", _("Review link sent again"), _("Review link sent to the reviewer again")),
        ("view", _("Review link opened"), _("The reviewer opened the review link")),
        ("approve", _("Approved by link"), _("The reviewer approved by link")),
        ("reject", _("Changes requested by link"), _("The reviewer asked for changes by link")),
        ("override", _("Decided in the reviewer's place"), _("Decided in the reviewer's place")),
    ]:
        actions.register_action(f"portal.review_link.{action}", label, message)


@hooks.register("construct_reports_menu")
def hide_reports_of_every_site(request, menu_items):
    if sites_within_reach(request.user) is not None:
        menu_items[:] = [item for item in menu_items if item.name != "page-types-usage"]
