"""Purging a CDN or caching proxy in front of the portal (wagtail.contrib.frontend_cache).

Off unless configured (settings: PORTAL_FRONTEND_CACHE_URL for an HTTP PURGE endpoint such
as Varnish or nginx, PORTAL_CLOUDFLARE_ZONE_ID with PORTAL_CLOUDFLARE_TOKEN for Cloudflare):
then, and only then, `connect_cdn_purge` connects the receivers below.

The portal's own page cache makes every page stale with one version number
(portal/cache.py). A CDN can only forget the addresses it is given, so each publish,
unpublish, move or deletion of a page purges the addresses that show it: the page with its
calendar and feed routes, the page it is listed on, the pages that link it (`urls_to_purge`)
and, after a move or a new slug, its old addresses. Wagtail's own receivers (the contrib
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
from wagtail.contrib.frontend_cache.backends import HTTPBackend
from wagtail.contrib.frontend_cache.backends.http import PurgeRequest
from wagtail.contrib.frontend_cache.utils import PurgeBatch
from wagtail.models import Page

logger = logging.getLogger(__name__)

# Routes of routable pages that show the same content as the page.
ROUTES = {
    "events.EventIndexPage": ["feed/", "calendar/"],
    "events.EventSeriesPage": ["calendar/"],
    "events.EventPage": ["calendar/"],
}


def urls_to_purge(page) -> set[str]:
    """The full addresses that show `page`, in its language: the page itself, its listing,
    the locale's home page and the sitemap, and the pages that link it (see `related_pages`)."""
    page = page.specific
    batch = PurgeBatch()
    add_pages(batch, [page, *related_pages(page)])
    site = page.get_site()
    if site is not None:
        batch.add_url(f"{site.root_url}/sitemap.xml")
    return batch.urls


def add_pages(batch, pages) -> None:
    """Each page's addresses (Wagtail's get_cached_paths) and those of its routes."""
    for page in pages:
        batch.add_page(page)
        routes = ROUTES.get(page._meta.label, [])
        base = page.get_full_url(batch) if routes else None
        if base:
            batch.add_urls(base + route for route in routes)


def related_pages(page) -> list:
    """The live pages in `page`'s language that list or link it."""
    from events.models import EventIndexPage, EventPage, EventSeriesPage
    from home.models import HomePage
    from labs.models import ActorIndexPage, ActorPage, LabPage

    parent = page.get_parent().specific
    home = page.get_ancestors(inclusive=True).type(HomePage).specific().first()
    pages = [parent, home]
    if isinstance(page, EventPage):
        if isinstance(parent, EventSeriesPage):
            pages.append(parent.get_parent().specific)  # the workshop directory
        actor_ids = [row.actor_id for row in page.speakers.all() if row.actor_id]
        actor_ids += [page.organiser_id] if page.organiser_id else []
        pages += in_language(LabPage, [lab.pk for lab in page.related_labs.all()], page)
        pages += in_language(ActorPage, actor_ids, page)
    elif isinstance(page, EventSeriesPage):
        pages += EventPage.objects.live().child_of(page)  # each part names its series
    elif isinstance(page, LabPage):
        pages += in_language(ActorPage, [row.actor_id for row in page.partners.all()], page)
        pages += EventPage.objects.live().filter(locale_id=page.locale_id).for_lab(page)
        if home is not None:  # their lab filters name it
            pages += home.get_children().live().type(ActorIndexPage, EventIndexPage).specific()
    elif isinstance(page, ActorPage):
        pages += LabPage.objects.live().filter(
            partners__actor__translation_key=page.translation_key, locale_id=page.locale_id
        )
        pages += EventPage.objects.live().filter(locale_id=page.locale_id).involving_actor(page)
    return [each for each in pages if each is not None]


def in_language(model, ids, page):
    """The live pages in `page`'s language of the pages `ids` point at. Relations to labs and
    actors point at the German pages in every language, so they match by translation key."""
    keys = model.objects.filter(pk__in=ids).values("translation_key")
    return model.objects.live().filter(translation_key__in=keys, locale_id=page.locale_id)


def old_urls(page, old_url_path: str) -> set[str]:
    """The addresses `page` and its live descendants had before a move or a new slug."""
    batch = PurgeBatch()
    before = []
    for each in [page.specific, *page.get_descendants().live().specific()]:
        moved = copy.copy(each)
        moved.url_path = old_url_path + each.url_path[len(page.url_path) :]
        before.append(moved)
    add_pages(batch, before)
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
    add_pages(batch, [parent_page_before.specific])
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
    add_pages(batch, list(page.get_descendants().live().specific()))
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
