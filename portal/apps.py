from django.apps import AppConfig
from django.conf import settings
from django.utils.translation import gettext_lazy as _


class PortalConfig(AppConfig):
    name = "portal"
    verbose_name = _("Portal")

    def ready(self):
        from django.contrib.auth.signals import user_login_failed
        from wagtail.signals import page_published

        from .delivery.limits import count_login_failure

        page_published.connect(set_review_date_on_publish)
        user_login_failed.connect(count_login_failure)
        connect_page_cache_invalidation()
        if settings.WAGTAILFRONTENDCACHE:  # a CDN to purge (portal/cdn.py); off by default
            from .delivery.cdn import connect_cdn_purge

            connect_cdn_purge()


def set_review_date_on_publish(sender, instance, **kwargs):
    from .editorial.review_dates import set_default_review_date

    set_default_review_date(instance)


# Models whose saved or deleted rows visitors see on pages (besides pages themselves). Domain
# apps add theirs in their own ready() with portal.delivery.cache.invalidate_on_change.
PAGE_CACHE_MODELS = [
    "portal.PortalSettings",
    "portal.SiteTexts",
    "wagtailredirects.Redirect",
    "wagtailcore.Site",
    "wagtailcore.Locale",
    "wagtailcore.PageViewRestriction",
    # a restricted collection's files leave the pages that list downloads (portal/documents.py)
    "wagtailcore.CollectionViewRestriction",
]


def connect_page_cache_invalidation():
    """Every change a visitor could see makes the cached pages showing it stale
    (portal/delivery/cache.py). Pages count when they go live or offline, move or are
    deleted, not on draft saves."""
    from django.apps import apps
    from django.db.models.signals import pre_delete
    from wagtail.models import Page
    from wagtail.signals import page_published, page_slug_changed, page_unpublished, post_page_move

    from .delivery.cache import invalidate, invalidate_on_change

    for signal in (page_published, page_unpublished, post_page_move, page_slug_changed):
        signal.connect(invalidate, dispatch_uid=f"page-cache-{signal!r}")
    for model in apps.get_models():
        if issubclass(model, Page):  # before Wagtail forgets the page's references
            pre_delete.connect(invalidate, sender=model, dispatch_uid=f"page-cache-del-{model}")
    for label in PAGE_CACHE_MODELS:
        invalidate_on_change(label)
    for label in ("wagtailimages.Image", "wagtaildocs.Document"):  # only where they are used
        invalidate_on_change(label, by_reference=True)
