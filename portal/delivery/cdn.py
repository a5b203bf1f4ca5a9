"""Purging a CDN or caching proxy in front of the portal (wagtail.contrib.frontend_cache).

Off unless configured (settings: PORTAL_FRONTEND_CACHE_URL for an HTTP PURGE endpoint such
as Varnish or nginx, PORTAL_CLOUDFLARE_ZONE_ID with PORTAL_CLOUDFLARE_TOKEN for Cloudflare):
then, and only then, `connect_cdn_purge` connects the receivers below.

The portal's own page cache makes every page stale with one version number
(portal/cache.py). A CDN can only forget the addresses it is given, so each publish,
unpublish, move or deletion of a page purges the addresses that show it: the page with the
routes that show the same content (its `get_cached_paths()`, e.g. calendar and feed), the
page it is listed on, the pages that link it (`related_pages`) and, after a move or a new
slug, its old addresses. Wagtail's own receivers (the contrib
app) would purge only the page itself, in a request of its own, so the app is not
installed; this module uses its `PurgeBatch` and backends.

Not purged, and so kept by the CDN until the lifetime the portal allows (s-maxage,
PORTAL_CDN_SECONDS, short on purpose): changes that are not pages (settings, site texts,
images, menus of other pages), listings filtered or paged by query string, and workshops
moving to the archive as time passes.
"""

import copy
import logging
from urllib.parse import urlsplit, urlunsplit
from urllib.request import urlopen

from django.conf import settings
from django.db import transaction
from wagtail import hooks
from wagtail.contrib.frontend_cache.backends import HTTPBackend
from wagtail.contrib.frontend_cache.backends.http import PurgeRequest
from wagtail.contrib.frontend_cache.utils import PurgeBatch
from wagtail.models import Page

from ..sites import language_home_path

logger = logging.getLogger(__name__)


def urls_to_purge(page) -> set[str]:
    """The full addresses that show `page`, in its language: the page itself, its listing,
    the locale's home page and the sitemap, and the pages that link it (see `related_pages`)."""
    page = page.specific
    batch = PurgeBatch()
    batch.add_pages([page, *related_pages(page)])
    site = page.get_site()
    if site is not None:
        batch.add_url(f"{site.root_url}/sitemap.xml")
    return batch.urls


def related_pages(page) -> list:
    """The live pages in `page`'s language that list or link it: its parent, its language's
    home page, the pages it names (`get_dependent_pages()`) and those other apps add through
    the hook "portal_dependent_pages"."""
    home = Page.objects.filter(path=language_home_path(page), depth=2).specific().first()
    pages = [page.get_parent().specific, home]
    if hasattr(page, "get_dependent_pages"):
        pages += page.get_dependent_pages()
    for contribute in hooks.get_hooks("portal_dependent_pages"):
        pages += contribute(page)
    return [each for each in pages if each is not None]


def old_urls(page, old_url_path: str) -> set[str]:
    """The addresses `page` and its live descendants had before a move or a new slug."""
    batch = PurgeBatch()
    before = []
    for each in [page.specific, *page.get_descendants().live().specific()]:
        moved = copy.copy(each)
        moved.url_path = old_url_path + each.url_path[len(page.url_path) :]
        before.append(moved)
    batch.add_pages(before)
    return batch.urls


def purge(urls) -> None:
    """Purge once the change is committed: a CDN asking again before would get the old page."""
    if urls and settings.WAGTAILFRONTENDCACHE:
        transaction.on_commit(PurgeBatch(urls).purge, robust=True)


def page_changed(sender, instance, **kwargs):
    """Published or unpublished (Wagtail unpublishes a live page before deleting it)."""
    purge(urls_to_purge(instance))


def page_moved(sender, instance, parent_page_before, url_path_before, url_path_after, **kwargs):
    if not instance.live or url_path_before == url_path_after:
        return
    urls = urls_to_purge(instance) | old_urls(instance, url_path_before)
    batch = PurgeBatch()
    batch.add_pages([parent_page_before.specific])
    purge(urls | batch.urls)


def slug_changed(sender, instance, instance_before, **kwargs):
    if instance.live:
        purge(old_urls(instance, instance_before.url_path))


def restriction_changed(sender, instance, **kwargs):
    """A page made private (or public again) leaves the CDN with everything below it, and
    the listings that showed it (a CDN knows nothing of view restrictions)."""
    page = Page.objects.filter(pk=instance.page_id).first()
    if page is None or not page.live:
        return  # deleted with its page, or offline: purged when it was unpublished
    batch = PurgeBatch()
    batch.add_pages(list(page.get_descendants().live().specific()))
    purge(urls_to_purge(page) | batch.urls)


def receivers():
    from django.db.models.signals import post_delete, post_save
    from wagtail.models import PageViewRestriction
    from wagtail.signals import page_published, page_slug_changed, page_unpublished, post_page_move

    return [
        (page_published, page_changed, "cdn-purge-published", None),
        (page_unpublished, page_changed, "cdn-purge-unpublished", None),
        (post_page_move, page_moved, "cdn-purge-moved", None),
        (page_slug_changed, slug_changed, "cdn-purge-slug", None),
        (post_save, restriction_changed, "cdn-purge-restricted", PageViewRestriction),
        (post_delete, restriction_changed, "cdn-purge-unrestricted", PageViewRestriction),
    ]


def connect_cdn_purge() -> None:
    for signal, receiver, uid, sender in receivers():
        signal.connect(receiver, sender=sender, dispatch_uid=uid)


def disconnect_cdn_purge() -> bool:
    """Whether any receiver was connected."""
    return any(
        [
            signal.disconnect(sender=sender, dispatch_uid=uid)
            for signal, _receiver, uid, sender in receivers()
        ]
    )


class HTTPPurgeBackend(HTTPBackend):
    """Wagtail's PURGE backend with a time limit: a cache that does not answer must not keep
    an editor's publish waiting (Wagtail's waits without end)."""

    TIMEOUT = 5

    def purge(self, url):
        parts = urlsplit(url)
        host = f"{parts.hostname}:{parts.port}" if parts.port else parts.hostname
        address = urlunsplit(
            [self.cache_scheme, self.cache_netloc, parts.path, parts.query, parts.fragment]
        )
        request = PurgeRequest(url=address, headers={"Host": host, "User-Agent": "KoSI-Lab-Portal"})
        try:
            urlopen(request, timeout=self.TIMEOUT)  # noqa: S310 - the configured cache's address
        except OSError as error:  # HTTP errors, refused connections, time-outs
            logger.warning("Could not purge %s from the frontend cache: %s", url, error)
            return False
        return True

    def purge_batch(self, urls):
        """One address after the other, as Wagtail does, but no more after a failure: a
        publish purges up to a hundred addresses, and each would wait as long."""
        urls = list(urls)
        for number, url in enumerate(urls):
            if not self.purge(url):
                if rest := len(urls) - number - 1:
                    logger.warning("Skipped purging %d more addresses after that failure", rest)
                return
