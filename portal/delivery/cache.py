"""Whole-page cache for anonymous visitors, made stale by what changes.

With Redis (REDIS_URL) each entry records what it shows (dependency tags, see
portal.delivery.dependencies), and a change deletes exactly the entries that show it:
publishing one workshop refreshes its page, its series, its labs' and speakers' pages, the
directory, feeds and home page that list it, and nothing else; a confirmed registration
only what shows that workshop's seats.

Coarser changes raise version numbers that every key carries: the site's own (its settings,
site texts, promoted results, the sections in its menu), or the installation's, which makes
every site's pages stale (pages moved or renamed, which other pages link to; sites,
languages, redirects, private sections). Old entries are never read again and expire by
themselves. With Redis the versions live in Redis, shared by all app instances.

The local-memory cache is per process and cannot keep tags for all workers: there every
change raises a version, and the versions live in the database (portal.PageCacheVersion, a
row per site, all read in one query per request): a publish through one worker makes every
worker's entries stale, and the raise commits with the change itself. Correct, not precise.

A view whose response must still do something for each visitor (count a search for the
search terms report) puts picklable callables into `response.on_cache_hit`; a hit runs them,
and serves the page even when one fails for want of the database.

Never cached: logged-in users and anyone with a session, requests with cookies other than
csrftoken, non-GET requests, responses that set cookies, use the CSRF token, are private or
not 200. The key holds the scheme, the site of the validated host (ALLOWED_HOSTS), the
path and the full query string, so neither junk parameters nor forwarded headers put one
visitor's page into another's entry; pages build absolute addresses from the site's root
URL, never from the request (portal.delivery.http.absolute_url), so every entry is the
same for everyone anyway.
"""

import contextlib
import hashlib
import logging
import secrets
import time

from django.conf import settings
from django.core.cache import cache, caches
from django.core.cache.backends.dummy import DummyCache
from django.core.cache.backends.locmem import LocMemCache
from django.db import DatabaseError, models, transaction
from django.db.models import F
from django.utils.cache import patch_cache_control
from redis.exceptions import RedisError

from ..sites import site_id_of
from . import cdn, dependencies

logger = logging.getLogger(__name__)


class PageCacheVersion(models.Model):
    """The page cache's version number when the cache is local memory (below).

    Each worker process has a memory of its own, so the number every publish raises lives
    here, in one row all workers read, instead of in the cache. Internal: no admin, no
    permissions.
    """

    version = models.BigIntegerField(default=1)
    # The site whose pages this number makes stale; empty: every site's (the installation's).
    site = models.OneToOneField(
        "wagtailcore.Site", null=True, blank=True, on_delete=models.CASCADE, related_name="+"
    )

    class Meta:
        default_permissions = ()

    def __str__(self):
        return str(self.version)


VERSION_KEY = "portal:page-cache-version"
ALLOWED_COOKIES = {settings.CSRF_COOKIE_NAME}
# Machine-readable representations a page's address may answer with (a domain app's
# before_serve_page hook, e.g. ActivityStreams for fediverse servers): the page cache keys
# by address only, so these are neither served from it nor stored in it.
NEGOTIATED_TYPES = ("application/activity+json", "application/ld+json")
# Caches that live inside one process: no other worker sees a version number kept there.
PER_PROCESS_CACHES = (LocMemCache, DummyCache)


def version_in_database() -> bool:
    return isinstance(caches["default"], PER_PROCESS_CACHES)


def current_version(site_id: int | None = None) -> int | None:
    """The installation's version, or a site's; None while the cache cannot be read (Redis
    down): nothing may then be read from or written to the cache, or entries of an older
    version would be served as current once it answers again."""
    if version_in_database():
        return database_versions().get(site_id, 1)
    key = version_key(site_id)
    version = cache.get(key)
    if version is None:
        added = cache.add(key, 1, timeout=None)
        if added is None:  # django-redis ignoring a connection error
            return None
        version = 1 if added else cache.get(key)
    return version


def version_key(site_id: int | None) -> str:
    return VERSION_KEY if site_id is None else f"{VERSION_KEY}:site:{site_id}"


def request_version(request) -> str | None:
    """The versions for this request, "<installation>.<site>", read once however often the
    request asks (with the version in the database, in one query)."""
    if not hasattr(request, "_page_cache_version"):
        request._page_cache_version = read_request_version(request)
    return request._page_cache_version


def read_request_version(request) -> str | None:
    if version_in_database():
        versions = database_versions()
        installation = versions.get(None, 1)
        request._page_cache_site = site_of(request, installation)
        return f"{installation}.{versions.get(request._page_cache_site, 1)}"
    versions = versions_at_once(request)
    if versions is None:
        installation = current_version()
        if installation is None:
            return None
        request._page_cache_site = site_of(request, installation)
        own = current_version(request._page_cache_site)
        if own is None:
            return None
        _site_of_host[request.get_host()] = (installation, request._page_cache_site)
        versions = (installation, own)
    return f"{versions[0]}.{versions[1]}.{missed_invalidations()}"


# Every request, cached pages included, needs the installation's and its site's version. The
# site of a host changes only with the installation's version, so each process remembers it
# with that version and reads both versions in one round trip to Redis; when the installation's
# version turns out to be another (or a version is missing), the request takes the long way.
_site_of_host: dict = {}


def versions_at_once(request) -> tuple[int, int] | None:
    known = _site_of_host.get(request.get_host())
    if known is None:
        return None
    installation_then, site_id = known
    keys = [version_key(None), version_key(site_id)]
    found = cache.get_many(keys)  # {} while Redis is down (django-redis ignores the error)
    if len(found) != len(keys) or found[keys[0]] != installation_then:
        # the long way from now on, until it succeeds: during an outage one attempt more
        # per host and process, not per request (each may wait for a timeout)
        _site_of_host.pop(request.get_host(), None)
        return None
    request._page_cache_site = site_id
    return found[keys[0]], found[keys[1]]


# With Redis, a change while Redis is down cannot delete what it makes stale, and a Redis
# that keeps its data (persistence, a network split) would serve those entries once it is
# back. Such a change counts itself in the database instead (the row of no site, which only
# the local-memory cache uses otherwise); every key carries the count, read at most every
# few seconds per process, so after the outage every entry from before it is unreachable.
MISSED_READ_SECONDS = 5
_missed = {"count": 0, "read_at": None}


def missed_invalidations() -> int:
    now = time.monotonic()
    if _missed["read_at"] is None or now - _missed["read_at"] >= MISSED_READ_SECONDS:
        with contextlib.suppress(DatabaseError):  # database down: pages still come from Redis
            _missed["count"] = database_versions().get(None, 1)
        _missed["read_at"] = now
    return _missed["count"]


def remember_missed_invalidation() -> None:
    try:
        bump_database_version(None)
    except DatabaseError as error:
        logger.error("A change could not make cached pages stale: %s", error)


# The page chrome (site texts, settings, menu, footer) is the same on every page of a
# language; computing it costs about ten queries. It is kept under the same version as the
# page cache, so any change visitors could see recomputes it on the next request, and
# under this process's start, so a deploy never serves what older code computed.
CHROME_SECONDS = 3600
PROCESS = secrets.token_hex(4)


def site_wide(request, name: str, compute, timeout: int = CHROME_SECONDS):
    """`compute()`, shared by all requests until the next visible change (not while
    developing: edited templates show at once; nor while the cache is down)."""
    version = request_version(request)
    if version is None:
        return compute()
    return remembered(version, name, compute, timeout)


def remembered(version, name: str, compute, timeout: int = CHROME_SECONDS):
    """`compute()`, kept under `version` and this process's start (computed anew while
    developing). The dependency tags recorded while computing are kept with it and recorded
    again wherever it is used, and a change of what it shows deletes it."""
    if settings.DEBUG:
        return compute()
    key = f"portal:shared:{PROCESS}:{version}:{name}"
    stored = cache.get(key)
    if stored is not None:
        dependencies.record(*stored[1])
        return stored[0]
    store, counter = tag_store_and_counter()
    with dependencies.recording() as tags:
        value = compute()
    stored = (value, frozenset(tags))  # a tuple, so a computed None is remembered too
    keep(key, stored, timeout, tags, store, counter)
    return value


def tag_store_and_counter():
    """The tag store and its invalidation counter before rendering; (None, None) with a
    cache that keeps no tags, or when Redis fails (nothing is then kept)."""
    store = dependencies.tag_store()
    if store is None:
        return None, None
    try:
        return store, store.counter()
    except RedisError as error:
        logger.warning("Page cache tags unavailable: %s", error)
        return False, None


def keep(key, value, timeout, tags, store, counter) -> None:
    if store is None:
        cache.set(key, value, timeout)
    elif store:
        try:
            store.store(key, value, timeout, tags, counter)
        except RedisError as error:
            logger.warning("Not kept in the page cache: %s", error)


def invalidate(signal=None, instance=None, **kwargs) -> None:
    """Make the cached pages that can show `instance` stale (a signal receiver), here and
    in a CDN that purges by tag: a page's or a referenced row's dependents where tags are
    kept (Redis), otherwise its site's, or every site's, version."""
    from wagtail.signals import page_slug_changed, post_page_move

    renamed = signal in (page_slug_changed, post_page_move)  # its links on other sites
    # None (every site's pages) also for rows of no one site (sites, languages, redirects)
    site_id = None if renamed or instance is None else site_id_of(instance)
    precise_here = dependencies.tag_store() is not None
    find_tags = None
    if not renamed and (precise_here or settings.PORTAL_CDN_TAG_PURGE):
        find_tags = dependents_of(instance)
    if find_tags is None:
        raise_version(site_id)
        cdn.purge_sites(site_id)
        return
    if not precise_here:
        raise_version(site_id)  # the local-memory cache: correct, not precise
    invalidate_dependents(find_tags, site_id)  # and the CDN's pages by tag


def dependents_of(instance):
    """A function finding the tags of what shows `instance`, or None where a change must
    reach every page of its site: home pages and sections (the menu and footer show them),
    rows that are not referenced by pages alone (an image that is also a site's logo)."""
    from wagtail.models import Page

    if isinstance(instance, Page):
        if instance.depth > dependencies.SECTION_DEPTH:
            return lambda: dependencies.tags_for_page(instance)
        return None
    if type(instance) in PRECISE_MODELS and not dependencies.referenced_outside_pages(instance):
        return lambda: dependencies.tags_for_row(instance)
    return None


def raise_version(site_id: int | None) -> None:
    """Make every cached page of the site (None: of every site) stale. Now, and again once
    the change is committed, because a visitor reading the old rows before the commit would
    store them under the new version. A version in the database needs one raise only: it
    becomes visible together with the change, when the transaction commits."""
    if version_in_database():
        bump_database_version(site_id)
        return
    bump_version(site_id)
    transaction.on_commit(lambda: bump_version(site_id))


def invalidate_dependents(find_tags, site_id: int | None) -> None:
    """Delete the entries showing what `find_tags()` names: now, with the references as they
    were (a lab the workshop no longer names still lists it), and again once the change is
    committed, with the references Wagtail's index holds then; and purge them from a CDN."""
    before = find_tags()
    invalidate_tags(before)

    def after_commit():
        tags = before | find_tags()
        invalidate_tags(tags)
        cdn.purge_tags(tags, site_id)

    transaction.on_commit(after_commit)


def invalidate_tags(tags) -> None:
    """Delete the cached entries of `tags` (nothing without a tag store)."""
    store = dependencies.tag_store()
    if store is None:
        return
    try:
        store.invalidate(tags)
    except RedisError as error:
        logger.warning("Could not delete cached pages of %d tags: %s", len(tags), error)
        remember_missed_invalidation()


def invalidate_seats(row, translation_key) -> None:
    """Seats of a workshop changed (a registration of `row`'s site confirmed, cancelled or
    promoted): only what shows them, where tags are kept; else the site's pages."""
    invalidate_tags_or_site({dependencies.seats_tag(translation_key)}, site_id_of(row))


def invalidate_listings_of(model, site_id: int | None) -> None:
    """Rows of `model` changed where no signal reaches each one (a fetch, a bulk update):
    the responses that recorded the model's tag where tags are kept; else the site's
    pages."""
    invalidate_tags_or_site({dependencies.model_tag(model)}, site_id)


def invalidate_tags_or_site(tags, site_id: int | None) -> None:
    if dependencies.tag_store() is None:
        raise_version(site_id)
    invalidate_dependents(lambda: tags, site_id)


# Rows whose changes reach exactly the pages referencing them (with tags): other rows raise
# their site's or the installation's version. Domain apps add theirs with
# invalidate_on_change(model, by_reference=True).
PRECISE_MODELS = set()


def invalidate_on_change(model, by_reference: bool = False) -> None:
    """Make the page cache stale whenever a row of `model` (a class or "app.Model") is saved
    or deleted: for models whose rows visitors see on pages. `by_reference`: only the pages
    referencing the row (Wagtail's reference index: snippets, images, documents chosen on
    pages) and listings that record the model's tag, where the cache keeps tags; otherwise
    every page of the row's site. Call from AppConfig.ready()."""
    from django.apps import apps
    from django.db.models.signals import post_delete, post_save, pre_delete

    if isinstance(model, str):
        model = apps.get_model(model)
    label = model._meta.label
    post_save.connect(invalidate, sender=model, dispatch_uid=f"page-cache-save-{label}")
    if by_reference:
        PRECISE_MODELS.add(model)
        # before Wagtail forgets the references to it, after the deletion
        pre_delete.connect(invalidate, sender=model, dispatch_uid=f"page-cache-del-{label}")
    else:
        post_delete.connect(invalidate, sender=model, dispatch_uid=f"page-cache-del-{label}")


def database_versions() -> dict[int | None, int]:
    """{site id (None: the installation's): version}, in one query (a row per site)."""
    return dict(PageCacheVersion.objects.values_list("site_id", "version"))


def bump_database_version(site_id: int | None = None) -> None:
    """UPDATE … SET version = version + 1 in the current transaction; the row is created by
    the first change (reading without it gives 1)."""
    versions = PageCacheVersion.objects.filter(**row_of(site_id))
    if not versions.update(version=F("version") + 1):
        _row, created = PageCacheVersion.objects.get_or_create(
            **row_of(site_id), defaults={"version": 2}
        )
        if not created:  # another process created it meanwhile
            versions.update(version=F("version") + 1)


def row_of(site_id: int | None) -> dict:
    # Two processes creating the installation's row at once leave two: harmless, as every
    # raise updates both and a read takes either.
    return {"site__isnull": True} if site_id is None else {"site_id": site_id}


def bump_version(site_id: int | None = None) -> None:
    key = version_key(site_id)
    try:
        if cache.incr(key) is None:  # django-redis with the server down
            logger.warning("The page cache version could not be raised (cache unavailable)")
            remember_missed_invalidation()
    except ValueError:  # no version yet: the next request starts at 1 anyway
        cache.set(key, 2, timeout=None)


def site_of(request, installation_version: int) -> int | None:
    """The id of the site serving the request's (validated) host, remembered until the
    installation's version changes (sites and their host names are the installation's): a
    page is cached per site, so every host name of one site shares its entries and no two
    sites ever share one."""
    from wagtail.models import Site

    def find():
        site = Site.find_for_request(request)
        return site.pk if site is not None else None

    return remembered(installation_version, f"site-of:{request.get_host()}", find)


def cache_key(request, version) -> str:
    address = f"{request.scheme}://{request._page_cache_site}{request.get_full_path()}"
    digest = hashlib.sha256(address.encode("utf-8", "surrogateescape")).hexdigest()
    return f"portal:page:{version}:{request.method == 'HEAD'}:{digest}"


def add_cdn_tags(response, tags, site_id) -> None:
    """The response's dependency tags for a CDN that purges by tag (Fastly and Varnish xkey
    read Surrogate-Key, separated by spaces; Cloudflare Cache-Tag, by commas)."""
    response["Surrogate-Key"] = dependencies.cdn_header(tags, site_id, " ")
    response["Cache-Tag"] = dependencies.cdn_header(tags, site_id, ",")


def run_on_hit(action) -> None:
    """What a hit does besides answering (count a search) must not cost the visitor the
    page: while the database is down (a restart, a failover) the page still comes from the
    cache, and the lost bookkeeping is a warning."""
    try:
        action()
    except DatabaseError as error:
        name = getattr(action, "func", action).__name__  # functools.partial or a function
        logger.warning("Served from the page cache without %s: %s", name, error)


class AnonymousPageCacheMiddleware:
    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        timeout = settings.PORTAL_PAGE_CACHE_SECONDS
        if not timeout or not self.cacheable_request(request):
            return self.get_response(request)
        try:
            version = request_version(request)
        except DatabaseError as error:  # the version's row: database down or not migrated
            logger.warning("Serving without the page cache, no version: %s", error)
            return self.get_response(request)  # e.g. /health/ answers 503 itself
        if version is None:  # the cache is down: serve uncached, without waiting on it
            return self.get_response(request)
        key = cache_key(request, version)
        cached = cache.get(key)
        if cached is not None:
            cached["X-Cache"] = "HIT"
            for action in getattr(cached, "on_cache_hit", ()):
                run_on_hit(action)
            return cached
        store, counter = tag_store_and_counter()
        with dependencies.recording() as tags:
            response = self.get_response(request)
        if self.cacheable_response(request, response):
            if not response.has_header("Cache-Control"):
                # browsers ask again every time; a CDN may keep it PORTAL_CDN_SECONDS
                cdn_seconds = settings.PORTAL_CDN_SECONDS
                shared = {"s_maxage": cdn_seconds} if cdn_seconds else {}
                patch_cache_control(
                    response, public=True, max_age=0, must_revalidate=True, **shared
                )
            if settings.PORTAL_CDN_SECONDS:
                add_cdn_tags(response, tags, request._page_cache_site)
            keep(key, response, timeout, tags, store, counter)
            response["X-Cache"] = "MISS"
        return response

    @staticmethod
    def cacheable_request(request) -> bool:
        if request.method not in ("GET", "HEAD"):
            return False
        if getattr(request, "is_dummy", False):
            return False  # Wagtail renders a preview (a draft) through the middleware
        if any(kind in request.headers.get("Accept", "") for kind in NEGOTIATED_TYPES):
            return False  # another representation of the page's address (content negotiation)
        if set(request.COOKIES) - ALLOWED_COOKIES:
            return False  # a session (editors), messages, or anything personal
        return not request.user.is_authenticated

    @staticmethod
    def cacheable_response(request, response) -> bool:
        if response.status_code != 200 or response.streaming or response.cookies:
            return False
        if request.META.get("CSRF_COOKIE_NEEDS_UPDATE") or request.META.get("CSRF_COOKIE_USED"):
            return False  # the page holds a CSRF token for this visitor
        cache_control = response.get("Cache-Control", "")
        return not any(word in cache_control for word in ("private", "no-cache", "no-store"))
