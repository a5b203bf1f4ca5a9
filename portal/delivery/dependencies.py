"""What a cached response shows, and which cached responses a change makes stale.

While a response is rendered, the code that reads something visitors see records a
*dependency tag* for it: the page served (`p12`), every page it shows as a card or a link
(`c12`, recorded by `BasePage.get_url_parts`, so every `{% pageurl %}` counts), the seats of a
workshop (`seats-<translation key>`), a query-driven listing no reference records (`l-labs-
topic`: the topic filter). A fragment shared between requests (the page chrome, search
matches) keeps the tags recorded while it was computed and records them again wherever it is
used, so a page built from fragments carries their tags too.

A change names the tags it makes stale (`tags_for_page`, `tags_for_row`): a page published,
unpublished or deleted makes its own page, its cards, its parent, its language's home page,
the pages it links to or names and the pages linking it (Wagtail's `ReferenceIndex`, both
directions, with their translations and aliases) stale; a snippet, image or document the
pages referencing it. Settings and texts of one site, and changes of the page tree (moves,
new slugs, sections in the menu), stay coarse: they raise the site's or the installation's
version (portal.delivery.cache).

Tags are stored in Redis only (`TagStore`): a set of cache keys per tag (sorted by their
expiry, so expired keys leave it), and the
cache keys deleted one by one when their tag is invalidated — never a `FLUSHDB` or a
cache-wide `clear()`, which would wipe other users of the same Redis. With the per-process
local-memory cache there is nowhere to keep them for all workers, and the version number
(in the database) stays: correct, not precise.

The same tags go to a CDN as `Surrogate-Key` (Fastly, Varnish xkey) and `Cache-Tag`
(Cloudflare), within their size limits (`cdn_header`); a change purges them by tag where the
CDN supports it (portal.delivery.cdn).
"""

import contextlib
import contextvars
import logging
import time

from django.conf import settings

logger = logging.getLogger(__name__)

# Home pages (depth 2) and the sections below them (3) are in every page's menu, footer or
# breadcrumbs: their changes make the whole site stale (a version), so links to them record
# no card tag (it would name every cached page). Their own responses record their page tag:
# what they list changes with their children.
SECTION_DEPTH = 3

_recording: contextvars.ContextVar[set | None] = contextvars.ContextVar(
    "portal_cache_tags", default=None
)


# --- recording what a response shows -----------------------------------------------------


@contextlib.contextmanager
def recording():
    """Collect the tags recorded inside the block (nested blocks add theirs to the outer
    one, so a fragment computed inside a page counts for both)."""
    outer = _recording.get()
    tags = set()
    token = _recording.set(tags)
    try:
        yield tags
    finally:
        _recording.reset(token)
        if outer is not None:
            outer |= tags


def record(*tags: str) -> None:
    """Note that the response being rendered shows what `tags` name (nothing when no
    response is being recorded: a management command, a test, the admin)."""
    current = _recording.get()
    if current is not None:
        current.update(tags)


def page_tag(page_id: int) -> str:
    """The page's own response (and the routes it serves: calendar, feed, registration)."""
    return f"p{page_id}"


def card_tag(page_id: int) -> str:
    """Any response that shows the page as a card or links it."""
    return f"c{page_id}"


def seats_tag(translation_key) -> str:
    """Any response that shows the seats of the workshop (its languages share the seats)."""
    return f"seats-{getattr(translation_key, 'hex', translation_key)}"


def model_tag(model) -> str:
    """A listing of `model`'s rows that no reference records (e.g. every topic as a filter)."""
    return "l-" + model._meta.label_lower.replace(".", "-")


def listing_tag(site_id: int | None, model=None) -> str:
    """A query-driven listing of the site's live pages of `model` (None: of any type), e.g.
    the open data API's collections, search results, the sitemap: any page of the model
    going live, changing or going offline there changes it."""
    from wagtail.models import Page

    label = (model or Page)._meta.label_lower.replace(".", "-")
    return f"l-{label}-s{site_id if site_id is not None else 0}"


def site_tag(site_id: int | None) -> str:
    """Every response of the site (for CDNs only: the portal's cache raises the site's
    version instead)."""
    return f"s{site_id if site_id is not None else 0}"


def shows_pages(pages) -> None:
    record(*(card_tag(page.pk) for page in pages))


# --- what a change makes stale -----------------------------------------------------------


def tags_for_page(page) -> set[str]:
    """The tags of the responses that can show `page`: its own and its cards; the pages that
    list it (its parent, its language's home page, the pages it names through
    `get_dependent_pages()` and the hook "portal_dependent_pages"); the pages it references;
    the pages referencing it and the pages below it, with their cards; each with its
    translations and aliases; the listings of its site."""
    from ..sites import site_id_of_page
    from .cdn import related_pages

    page = page.specific
    related = {each.pk for each in related_pages(page)} | referenced_page_ids(page)
    related |= page_ids_of_translations_and_aliases(related | {page.pk})
    # their cards too: a lab's card counts its partners by sector, a workshop's card names
    # its series; and the pages below show it in their breadcrumbs
    referencing = referencing_page_ids(page) | descendant_ids(page)
    referencing |= page_ids_of_translations_and_aliases(referencing)
    site_id = site_id_of_page(page)
    return {
        page_tag(page.pk),
        card_tag(page.pk),
        listing_tag(site_id),
        listing_tag(site_id, type(page)),
        *(page_tag(pk) for pk in related | referencing),
        *(card_tag(pk) for pk in referencing),
    }


def tags_for_row(row) -> set[str]:
    """The tags of the responses showing a snippet, image or document: the pages that
    reference it (with their translations and aliases), as page and as card, and the
    listings of its model."""
    pages = referencing_page_ids(row)
    pages |= page_ids_of_translations_and_aliases(pages)
    return {model_tag(type(row)), *(page_tag(pk) for pk in pages), *(card_tag(pk) for pk in pages)}


def descendant_ids(page) -> set[int]:
    return set(page.get_descendants().live().values_list("pk", flat=True))


def referenced_outside_pages(row) -> bool:
    """Whether anything but a page references the row: a site's settings (an image as its
    logo: every page of the site shows it), or a row Wagtail's index knows of."""
    from wagtail.models import Page, ReferenceIndex

    from ..models import PortalSettings

    fields = [
        field.name
        for field in PortalSettings._meta.fields
        if field.is_relation and field.related_model is type(row)
    ]
    if any(PortalSettings.objects.filter(**{field: row}).exists() for field in fields):
        return True
    references = ReferenceIndex.get_references_to(row).exclude(
        base_content_type=ReferenceIndex._get_base_content_type(Page)
    )
    return references.exists()


def referencing_page_ids(target) -> set[int]:
    """Pages whose live content references `target` (ReferenceIndex: foreign keys, chooser
    blocks, rich-text links, inline children)."""
    from wagtail.models import Page, ReferenceIndex

    references = ReferenceIndex.get_references_to(target).filter(
        base_content_type=ReferenceIndex._get_base_content_type(Page)
    )
    return {int(pk) for pk in references.values_list("object_id", flat=True)}


def referenced_page_ids(page) -> set[int]:
    """Pages the live content of `page` references (they list it back: a lab lists its
    workshops, a speaker their talks)."""
    from wagtail.models import Page, ReferenceIndex

    references = ReferenceIndex.get_references_for_object(page).filter(
        to_content_type=ReferenceIndex._get_base_content_type(Page)
    )
    return {int(pk) for pk in references.values_list("to_object_id", flat=True)}


def page_ids_of_translations_and_aliases(page_ids) -> set[int]:
    """The translations and aliases of the pages (a German foreign key is shown on the
    English page as its English translation)."""
    from django.db.models import Q
    from wagtail.models import Page

    if not page_ids:
        return set()
    keys = Page.objects.filter(pk__in=page_ids).values("translation_key")
    return set(
        Page.objects.filter(Q(translation_key__in=keys) | Q(alias_of_id__in=page_ids)).values_list(
            "pk", flat=True
        )
    )


# --- keeping tags in Redis ----------------------------------------------------------------


class TagStore:
    """Cache keys by tag, in the Redis the cache uses.

    A response rendered while a change commits may read the old rows and be stored after the
    change's invalidation ran; so every invalidation takes a number from a counter and notes it
    on each tag, and an entry whose tags were invalidated after its rendering began (the counter
    read before it) is not stored — checked before and again after its key joins the sets.
    """

    def __init__(self, cache):
        self.cache = cache

    def connection(self):
        from django_redis import get_redis_connection

        return get_redis_connection("default")

    def raw(self, name: str) -> str:
        return self.cache.make_key(f"portal:{name}")

    def set_key(self, tag: str) -> str:
        return self.raw(f"tag:{tag}")

    def stamp_key(self, tag: str) -> str:
        return self.raw(f"tag-stamp:{tag}")

    def counter(self) -> int:
        """The invalidation counter now: read before rendering."""
        value = self.connection().get(self.raw("tag-counter"))
        return int(value or 0)

    def invalidated_since(self, tags, counter: int) -> bool:
        if not tags:
            return False
        stamps = self.connection().mget([self.stamp_key(tag) for tag in tags])
        return any(stamp is not None and int(stamp) > counter for stamp in stamps)

    def store(self, key: str, value, timeout: int, tags, counter: int) -> bool:
        """Keep `value` under `key` and in the sets of `tags`; False if one was invalidated
        since `counter` (the value is then not kept)."""
        if self.invalidated_since(tags, counter):
            return False
        self.cache.set(key, value, timeout)
        now = time.time()
        pipeline = self.connection().pipeline(transaction=False)
        for tag in tags:
            # a sorted set scored by expiry: keys that expired by themselves leave it, so
            # the set of a tag that is shown everywhere and seldom changes stays small
            pipeline.zadd(self.set_key(tag), {key: now + timeout})
            pipeline.zremrangebyscore(self.set_key(tag), "-inf", now)
            pipeline.expire(self.set_key(tag), timeout + 60)
        pipeline.execute()
        if self.invalidated_since(tags, counter):
            self.cache.delete(key)
            return False
        return True

    def invalidate(self, tags) -> int:
        """Delete the entries of `tags`; the number deleted."""
        tags = sorted(set(tags))
        if not tags:
            return 0
        connection = self.connection()
        number = connection.incr(self.raw("tag-counter"))
        lifetime = max(settings.PORTAL_PAGE_CACHE_SECONDS, 1) + 60
        pipeline = connection.pipeline(transaction=True)
        for tag in tags:
            pipeline.set(self.stamp_key(tag), number, ex=lifetime)
            pipeline.zrange(self.set_key(tag), 0, -1)
            pipeline.delete(self.set_key(tag))
        results = pipeline.execute()
        keys = set()
        for members in results[1::3]:
            keys |= {member.decode() for member in members}
        if keys:
            self.cache.delete_many(list(keys))
        return len(keys)


def tag_store():
    """The store of tags, or None when the cache cannot hold them (local memory)."""
    from django.core.cache import cache

    if not hasattr(cache, "client") or not hasattr(cache.client, "get_client"):
        return None  # not django-redis
    return TagStore(cache)


# --- tags for a CDN -----------------------------------------------------------------------

# Fastly: the Surrogate-Key header up to 16,384 bytes, each key up to 1 KB (beyond: ignored);
# Cloudflare: Cache-Tag up to 16 KB. Kept below both, with room for the prefix.
CDN_HEADER_BYTES = 16_000
CDN_TAG_BYTES = 1_000


def cdn_tag(tag: str) -> str:
    """A tag as the CDN sees it: with the installation's prefix, so two installations
    behind one CDN account never purge each other's pages."""
    return f"{settings.PORTAL_CDN_TAG_PREFIX}{tag}"[:CDN_TAG_BYTES]


def overflow_tag(site_id: int | None) -> str:
    """Stands for the tags a response had to leave out of its header: purged with every
    change of a page of its site."""
    return f"o{site_id if site_id is not None else 0}"


def cdn_header(tags, site_id: int | None, separator: str) -> str:
    """The response's tags for a CDN header: the site's tag first, then its own page's
    tags, then the rest; when they do not fit, the overflow tag stands for those left out."""
    ordered = [site_tag(site_id), *sorted(set(tags) - {site_tag(site_id)}, key=_importance)]
    names = [cdn_tag(tag) for tag in ordered]
    header = separator.join(names)
    if len(header.encode()) <= CDN_HEADER_BYTES:
        return header
    kept = [cdn_tag(overflow_tag(site_id))]
    size = len(kept[0])
    for name in names:
        size += len(separator) + len(name.encode())
        if size > CDN_HEADER_BYTES:
            break
        kept.append(name)
    return separator.join(kept)


def _importance(tag: str) -> tuple:
    return (0 if tag.startswith("p") else 1 if tag.startswith("seats") else 2, tag)
