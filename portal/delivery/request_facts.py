"""What every page request needs before its page is known, read once per content version.

Before Wagtail finds a page it asks the database, on every request, for the site of the
host, the language's locale, the home page (and its specific row), and afterwards for the
view restrictions of the page and its ancestors; every listing asks once more for all view
restrictions (`.public()`). These facts change only with a change that raises the version
the page cache and the page chrome are kept under (portal.delivery.cache): sites,
languages and view restrictions raise the installation's version, a home page published
its site's. So they are read once per version and process, kept with the page chrome
(`remembered`), and an uncached page starts with none of those queries.

`RequestFactsMiddleware` hands them to Wagtail (the site as `request._wagtail_site`, which
Wagtail's `Site.find_for_request` returns) and to the page models through a context
variable, read by `BasePage.localized_draft`, `BasePage.get_view_restrictions` and
`PortalPageQuerySet.private_q`. Outside a request (commands, the admin's previews, a
response streamed after the middleware returned) nothing is known and Wagtail's own
queries run: the facts only ever save queries, they never decide anything alone.
"""

import contextvars
from dataclasses import dataclass

from django.db import DatabaseError
from django.db.models import Q
from django.utils import translation
from wagtail.coreutils import get_supported_content_language_variant
from wagtail.models import Locale, Page, PageQuerySet, PageViewRestriction, Site

from .cache import remembered, request_version


@dataclass(frozen=True)
class RequestFacts:
    site: Site  # its root_page is the specific home page of the default language
    home_pages: dict  # locale id → the specific live home page in that language
    locale_ids: dict  # language code → locale id
    restricted: tuple  # (path, depth) of every page with a view restriction, on any site

    def locale_id(self) -> int | None:
        try:
            language = get_supported_content_language_variant(translation.get_language())
        except LookupError:
            return None
        return self.locale_ids.get(language)


_current: contextvars.ContextVar[RequestFacts | None] = contextvars.ContextVar(
    "request_facts", default=None
)


def current() -> RequestFacts | None:
    return _current.get()


def read_facts(site_id: int) -> RequestFacts:
    site = Site.objects.get(pk=site_id)
    home = Page.objects.get(pk=site.root_page_id)
    home_pages = {
        page.locale_id: page for page in home.get_translations(inclusive=True).live().specific()
    }
    site.root_page = home_pages.get(home.locale_id) or home.specific
    locale_ids = dict(Locale.objects.values_list("language_code", "pk"))
    restricted = tuple(
        PageViewRestriction.objects.values_list("page__path", "page__depth").order_by("pk")
    )
    return RequestFacts(site, home_pages, locale_ids, restricted)


def facts_for(request) -> RequestFacts | None:
    version = request_version(request)
    site_id = getattr(request, "_page_cache_site", None)
    if version is None or site_id is None:
        return None
    return remembered(version, f"request-facts:{site_id}", lambda: read_facts(site_id))


class RequestFactsMiddleware:
    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        try:
            facts = facts_for(request)
        except DatabaseError:  # a probe or an error page answers without them
            facts = None
        if facts is None:
            return self.get_response(request)
        request._wagtail_site = facts.site
        token = _current.set(facts)
        try:
            return self.get_response(request)
        finally:
            _current.reset(token)


def page_in_active_language(page) -> Page | None:
    """`page` in the active language where the facts tell without a query: the page itself
    when it is in that language, a home page's live translation; None when unknown."""
    facts = current()
    if facts is None:
        return None
    locale_id = facts.locale_id()
    if locale_id is None:
        return None
    if locale_id == page.locale_id:
        return page
    home = facts.site.root_page
    if page.translation_key == home.translation_key and page.depth == home.depth:
        return facts.home_pages.get(locale_id)  # live ones only: a draft is Wagtail's to find
    return None


def without_view_restrictions() -> bool:
    """Whether the installation is known to have no view restriction at all."""
    facts = current()
    return facts is not None and not facts.restricted


class PortalPageQuerySet(PageQuerySet):
    """Wagtail's page queryset; `.public()` takes the private sections from the request's
    facts instead of a query per call."""

    def private_q(self):
        facts = current()
        if facts is None:
            return super().private_q()
        q = Q()
        for path, depth in facts.restricted:
            q |= Q(path__startswith=path, depth__gte=depth)
        return q if q else Q(pk__in=[])  # as Wagtail: no private section matches nothing


def all_pages() -> PortalPageQuerySet:
    """Wagtail's `Page.objects.all()` (pages of every type, in tree order) with the
    request facts' `.public()`."""
    return PortalPageQuerySet(Page).order_by("path")
