from django.conf import settings
from django.conf.urls.i18n import i18n_patterns
from django.urls import include, path, re_path
from django.utils.translation import gettext_lazy as _
from django.views.decorators.cache import never_cache
from django.views.static import serve
from wagtail import urls as wagtail_urls
from wagtail.admin import urls as wagtailadmin_urls
from wagtail.admin.auth import require_admin_access
from wagtail.admin.views.reports.page_types_usage import PageTypesUsageReportView
from wagtail.contrib.sitemaps.views import sitemap
from wagtail.documents import urls as wagtaildocs_urls

from search import views as search_views

from .editorial.review_links import review_link, review_preview
from .editorial.site_scope import SiteHistoryView, installation_wide_only
from .sitemap import TranslatedSitemap
from .views import open_data, robots_txt, theme_stylesheet

urlpatterns = [
    # Counts and links every site's pages: for the installation's staff only
    *[
        path(
            f"admin/reports/page-types-usage/{results}",
            installation_wide_only(PageTypesUsageReportView.as_view(results_only=bool(results))),
        )
        for results in ["", "results/"]
    ],
    *[
        path(
            f"admin/reports/site-history/{results}",
            never_cache(require_admin_access(SiteHistoryView.as_view(results_only=bool(results)))),
        )
        for results in ["", "results/"]
    ],
    path("admin/", include(wagtailadmin_urls)),
    path("documents/", include(wagtaildocs_urls)),
    path("", include("portal.api_urls")),
    path("", include("network.urls")),
    path("sitemap.xml", sitemap, {"sitemaps": {"pages": TranslatedSitemap}}, name="sitemap"),
    path("robots.txt", robots_txt, name="robots_txt"),
    path("theme.css", theme_stylesheet, name="theme_stylesheet"),
    path("review/<str:token>/", review_link, name="review_link"),
    path("review/<str:token>/preview/", review_preview, name="review_preview"),
]

if settings.DEBUG or getattr(settings, "PORTAL_SERVE_MEDIA", False):
    media_prefix = settings.MEDIA_URL.strip("/")
    urlpatterns.append(
        # images only: documents go through Wagtail's view, which checks their privacy
        re_path(
            rf"^{media_prefix}/(?P<path>(?:original_images|images)/.+)$",
            serve,
            {"document_root": settings.MEDIA_ROOT},
        )
    )

# Every page lives under its language prefix (/de/, /en/); "/" redirects by Accept-Language.
urlpatterns += i18n_patterns(
    path(_("search/"), search_views.search, name="search"),
    path(_("search/suggestions/"), search_views.suggest, name="search_suggestions"),
    path(_("open-data/"), open_data, name="open_data"),
    path("", include(wagtail_urls)),
    prefix_default_language=True,
)
