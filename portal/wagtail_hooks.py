from django.urls import path
from django.utils.translation import gettext_lazy as _
from wagtail import hooks
from wagtail.admin.userbar import ContentCheckerItem
from wagtail.models import Site
from wagtail.snippets.models import register_snippet
from wagtail.snippets.views.snippets import SnippetViewSet

from .editorial import translations as admin_views
from .editorial.dashboard import OverdueReviewsPanel, SetupChecklistPanel
from .editorial.permissions import within_reach
from .models import SiteTexts


class SiteTextsViewSet(SnippetViewSet):
    model = SiteTexts
    icon = "globe"
    menu_label = _("Site texts")
    list_display = ["site_name", "municipality", "site", "locale"]


register_snippet(SiteTextsViewSet)


@hooks.register("construct_page_chooser_queryset")
def only_pages_within_reach(pages, request):
    """Wagtail's page chooser offers every page; staff of one municipality choose only
    from the sites they work on."""
    return within_reach(request.user, pages)


@hooks.register("construct_homepage_panels")
def add_setup_checklist(request, panels):
    panels.insert(0, SetupChecklistPanel(Site.find_for_request(request)))
    panels.append(OverdueReviewsPanel(request.user))


@hooks.register("register_admin_urls")
def keep_translations_in_the_workflow():
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
    for action, label, message in [
        ("send", _("Review link sent"), _("Review link sent to the reviewer")),
        ("resend", _("Review link sent again"), _("Review link sent to the reviewer again")),
        ("view", _("Review link opened"), _("The reviewer opened the review link")),
        ("approve", _("Approved by link"), _("The reviewer approved by link")),
        ("reject", _("Changes requested by link"), _("The reviewer asked for changes by link")),
        ("override", _("Decided in the reviewer's place"), _("Decided in the reviewer's place")),
    ]:
        actions.register_action(f"portal.review_link.{action}", label, message)
