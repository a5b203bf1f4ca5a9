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
import datetime
import json
import logging
from urllib.error import HTTPError
from urllib.parse import urlsplit, urlunsplit
from urllib.request import Request, urlopen

from django.conf import settings
from django.db import models, transaction
from django.utils import timezone
from wagtail import hooks
from wagtail.contrib.frontend_cache.backends import HTTPBackend
from wagtail.contrib.frontend_cache.backends.http import PurgeRequest
from wagtail.contrib.frontend_cache.utils import PurgeBatch
from wagtail.models import Page, Site

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


# --- purging by tag ------------------------------------------------------------------------
# CDNs that purge by tag (Cloudflare, Fastly, Varnish with xkey) forget every page showing a
# change with a few requests, whatever the addresses. Their purge APIs are rate-limited
# (Cloudflare's free plan: 5 requests a minute, 100 tags each), so tags wait in a queue in
# the database: sent in batches at once when the budget allows, else by the scheduler
# (`purge_cdn`, every minute); on 429 or an error, later (Retry-After, or growing waits);
# and when more wait than a minute's budget can send, they are coalesced into the tags of
# their sites (every page of the site).


class PendingPurge(models.Model):
    """A tag waiting to be purged from one CDN (internal: no admin, no permissions)."""

    purger = models.CharField(max_length=20)
    tag = models.CharField(max_length=1024)
    # the site whose pages the tag names (None: every site's), for coalescing
    site = models.ForeignKey(
        "wagtailcore.Site", null=True, blank=True, on_delete=models.CASCADE, related_name="+"
    )
    queued_at = models.DateTimeField(default=timezone.now)
    not_before = models.DateTimeField(default=timezone.now, db_index=True)
    attempts = models.PositiveIntegerField(default=0)

    class Meta:
        default_permissions = ()
        constraints = [
            models.UniqueConstraint(fields=["purger", "tag"], name="unique_pending_purge")
        ]

    def __str__(self):
        return f"{self.purger}: {self.tag}"


class PurgeDeferred(Exception):
    """The CDN did not purge now; try again after `seconds` (None: the purger's backoff)."""

    def __init__(self, message: str, seconds: int | None = None):
        super().__init__(message)
        self.seconds = seconds


class TagPurger:
    """One CDN's purge-by-tag API."""

    name = ""
    batch_size = 100
    TIMEOUT = 5

    def __init__(self, options: dict):
        self.options = options
        self.per_minute = int(options.get("PER_MINUTE") or self.default_per_minute)

    default_per_minute = 60

    def send(self, tags: list[str]) -> None:
        method, url, headers, body = self.request(tags)
        # the configured CDN's API (https, or the address the settings give)
        request = Request(url, data=body, method=method, headers=headers)  # noqa: S310
        try:
            with urlopen(request, timeout=self.TIMEOUT) as response:  # noqa: S310
                response.read(65536)
        except HTTPError as error:
            retry_after = error.headers.get("Retry-After", "")
            seconds = int(retry_after) if retry_after.isdigit() else None
            raise PurgeDeferred(f"{self.name} answered {error.code}", seconds) from error
        except OSError as error:  # refused, unreachable, timed out
            raise PurgeDeferred(f"{self.name} unreachable: {error}") from error

    def request(self, tags) -> tuple[str, str, dict, bytes | None]:
        raise NotImplementedError


class CloudflareTagPurger(TagPurger):
    name = "cloudflare"
    batch_size = 100  # operations per request, on every plan
    default_per_minute = 5  # the free plan's rate

    def request(self, tags):
        url = f"{self.options['API_URL'].rstrip('/')}/zones/{self.options['ZONE_ID']}/purge_cache"
        headers = {
            "Authorization": f"Bearer {self.options['TOKEN']}",
            "Content-Type": "application/json",
            "User-Agent": "KoSI-Lab-Portal",
        }
        return "POST", url, headers, json.dumps({"tags": tags}).encode()


class FastlyTagPurger(TagPurger):
    name = "fastly"
    batch_size = 256  # keys per bulk purge
    default_per_minute = 100

    def request(self, tags):
        url = f"{self.options['API_URL'].rstrip('/')}/service/{self.options['SERVICE_ID']}/purge"
        headers = {
            "Fastly-Key": self.options["TOKEN"],
            "Surrogate-Key": " ".join(tags),
            "User-Agent": "KoSI-Lab-Portal",
        }
        return "POST", url, headers, b""


class XkeyTagPurger(TagPurger):
    """Varnish with the xkey module (its VCL purges the keys named in `xkey-purge`)."""

    name = "xkey"
    batch_size = 100

    def request(self, tags):
        headers = {"xkey-purge": " ".join(tags), "User-Agent": "KoSI-Lab-Portal"}
        return "PURGE", self.options["LOCATION"], headers, None


PURGERS = {each.name: each for each in (CloudflareTagPurger, FastlyTagPurger, XkeyTagPurger)}
LONGEST_WAIT = 15 * 60


def tag_purgers() -> list[TagPurger]:
    return [PURGERS[name](options) for name, options in settings.PORTAL_CDN_TAG_PURGE.items()]


def purge_tags(tags, site_id: int | None) -> None:
    """Purge `tags` (of the site's pages; None: of any site) from every CDN that purges by
    tag, once the change is committed; the tags standing for more (a page's header that
    overflowed) with them."""
    if not settings.PORTAL_CDN_TAG_PURGE or not tags:
        return
    from .dependencies import cdn_tag, overflow_tag

    site_ids = [site_id] if site_id is not None else list(Site.objects.values_list("pk", flat=True))
    names = {cdn_tag(tag) for tag in tags} | {cdn_tag(overflow_tag(pk)) for pk in site_ids}

    def queue_and_send():
        rows = [
            PendingPurge(purger=purger.name, tag=name, site_id=site_id)
            for purger in tag_purgers()
            for name in sorted(names)
        ]
        PendingPurge.objects.bulk_create(rows, ignore_conflicts=True)
        send_pending_purges()

    transaction.on_commit(queue_and_send, robust=True)


def purge_sites(site_id: int | None) -> None:
    """Purge every page of the site (None: of every site) from CDNs that purge by tag."""
    from .dependencies import site_tag

    if not settings.PORTAL_CDN_TAG_PURGE:
        return
    site_ids = [site_id] if site_id is not None else list(Site.objects.values_list("pk", flat=True))
    for pk in site_ids:
        purge_tags({site_tag(pk)}, pk)


def send_pending_purges(now=None) -> int:
    """Send what waits, in batches, as far as each CDN's rate allows; the number of tags
    purged."""
    from .limits import hit

    now = now or timezone.now()
    purged = 0
    for purger in tag_purgers():
        while True:
            pending = PendingPurge.objects.filter(purger=purger.name)
            due = list(pending.filter(not_before__lte=now).order_by("queued_at", "pk"))
            if not due:
                break
            if len(due) > purger.per_minute * purger.batch_size:
                coalesce(purger, due, now)
                continue
            if hit("cdn-purge", purger.name, 60) > purger.per_minute:
                break  # this minute's budget is spent: the scheduler sends the rest
            batch = due[: purger.batch_size]
            try:
                purger.send([row.tag for row in batch])
            except PurgeDeferred as deferred:
                wait_before_trying_again(purger, batch, deferred, now)
                break
            PendingPurge.objects.filter(pk__in=[row.pk for row in batch]).delete()
            purged += len(batch)
    return purged


def coalesce(purger, due, now) -> None:
    """Replace the waiting tags by the tags of their sites: fewer requests, and every page
    they named is purged all the same."""
    from .dependencies import cdn_tag, site_tag

    site_ids = {row.site_id for row in due}
    if None in site_ids:
        site_ids = set(Site.objects.values_list("pk", flat=True))
    logger.warning(
        "%d tags waiting for %s: purging every page of %d sites instead",
        len(due),
        purger.name,
        len(site_ids),
    )
    with transaction.atomic():
        PendingPurge.objects.filter(pk__in=[row.pk for row in due]).delete()
        PendingPurge.objects.bulk_create(
            [
                PendingPurge(
                    purger=purger.name,
                    tag=cdn_tag(site_tag(pk)),
                    site_id=pk,
                    queued_at=now,
                    not_before=now,
                )
                for pk in sorted(site_ids)
            ],
            ignore_conflicts=True,
        )


def wait_before_trying_again(purger, batch, deferred, now) -> None:
    attempts = max(row.attempts for row in batch) + 1
    seconds = deferred.seconds or min(30 * 2 ** (attempts - 1), LONGEST_WAIT)
    logger.warning("Purge by tag deferred %d s: %s", seconds, deferred)
    PendingPurge.objects.filter(purger=purger.name).update(
        not_before=now + datetime.timedelta(seconds=min(seconds, LONGEST_WAIT)),
        attempts=attempts,
    )
