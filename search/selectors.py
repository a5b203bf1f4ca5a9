"""Site search over live, public pages of the visitor's language.

Full text (German stemming on PostgreSQL, see README) is combined with prefix matching on
titles and teasers, so partial words find pages on every database. Result types are facets
with counts; the page list is built from page ids, so facets, type filter and pagination
share one search.
"""

import dataclasses
import hashlib
import re

from django.contrib.contenttypes.models import ContentType
from django.db import DatabaseError, transaction
from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy
from wagtail.models import Locale, Page

from events.models import EventPage, EventSeriesPage
from labs.models import ActorPage, LabPage
from library.models import LibraryPage, MaterialPage
from portal.delivery.cache import site_wide
from portal.delivery.dependencies import listing_tag, record
from portal.delivery.request_facts import all_pages
from portal.formats import normalise
from portal.sites import in_site
from portal.translation import localize

MAX_QUERY_LENGTH = 200
MAX_RESULTS = 500  # per search; enough for any person, bounded for the server
SEARCH_CACHE_SECONDS = 600


@dataclasses.dataclass(frozen=True)
class ResultType:
    key: str
    label: str
    models: tuple


RESULT_TYPES = [
    ResultType("lab", _("Lab"), (LabPage,)),
    ResultType("workshop", _("Workshop"), (EventPage, EventSeriesPage)),
    ResultType("actor", pgettext_lazy("search result type", "Partner"), (ActorPage,)),
    ResultType("material", _("Material"), (MaterialPage, LibraryPage)),
    ResultType("page", _("Page"), ()),  # everything else
]


def type_of(content_type_id, type_by_content_type) -> ResultType:
    return type_by_content_type.get(content_type_id, RESULT_TYPES[-1])


def _type_by_content_type():
    mapping = {}
    for result_type in RESULT_TYPES:
        for model in result_type.models:
            mapping[ContentType.objects.get_for_model(model).pk] = result_type
    return mapping


def clean_query(raw: str) -> tuple[str, bool]:
    """The query as searched: control characters removed, whitespace collapsed, cut to
    MAX_QUERY_LENGTH. Returns it and whether it was cut."""
    text = "".join(char for char in normalise(raw) if char.isprintable() or char == " ")
    text = " ".join(text.split())
    return text[:MAX_QUERY_LENGTH].strip(), len(text) > MAX_QUERY_LENGTH


def searchable_pages(language_code: str, site):
    """The live public pages of the site in that language (not another municipality's)."""
    locale = Locale.objects.filter(language_code=language_code).first()
    pages = all_pages().live().public().filter(locale=locale, depth__gt=1)
    return in_site(pages, site, language_code)


def _robustly(run, query):
    """Run a search; a query the database's full-text syntax rejects (an unmatched quote on
    SQLite, say) is retried with its words only."""
    try:
        with transaction.atomic():
            return run(query)
    except DatabaseError:
        words = " ".join(re.findall(r"\w+", query))
        if not words or words == query:
            return []
        with transaction.atomic():
            return run(words)


def matches(query: str, language_code: str, site) -> list[tuple[int, int]]:
    """(page id, content type id) of the matching pages, best first: full-text matches, then
    prefix matches not found by those."""
    # any page of the site may become a match (portal.delivery.dependencies)
    record(listing_tag(site.pk if site else None))
    # two columns, not 500 full page rows
    pages = searchable_pages(language_code, site).only("id", "content_type")

    def run(method):
        return lambda text: [
            (page.pk, page.content_type_id) for page in method(pages, text)[:MAX_RESULTS]
        ]

    found = _robustly(run(lambda pages, text: pages.search(text, operator="and")), query)
    prefixed = _robustly(run(lambda pages, text: pages.autocomplete(text)), query)
    return list(dict.fromkeys(found + prefixed))[:MAX_RESULTS]


@dataclasses.dataclass
class SearchOutcome:
    ids: list  # page ids, best first
    counts: dict  # type key -> number of results
    content_types: dict  # page id -> content type id
    type_by_content_type: dict


def search(query: str, language_code: str, request, site) -> SearchOutcome:
    """The outcome of a search. The matches are shared by all visitors until the next
    visible change (popular words and further result pages cost no search)."""
    if not query:
        found = []
    else:
        digest = hashlib.sha256(query.encode("utf-8", "surrogateescape")).hexdigest()
        found = site_wide(
            request,
            f"search:{site.pk if site else '-'}:{language_code}:{digest}",
            lambda: matches(query, language_code, site),
            timeout=SEARCH_CACHE_SECONDS,  # any term is a new entry: keep them short-lived
        )
    type_by_content_type = _type_by_content_type()
    counts = {result_type.key: 0 for result_type in RESULT_TYPES}
    content_types = dict(found)
    for content_type in content_types.values():
        counts[type_of(content_type, type_by_content_type).key] += 1
    return SearchOutcome([pk for pk, _ in found], counts, content_types, type_by_content_type)


def of_type(outcome: SearchOutcome, type_key: str) -> list[int]:
    return [
        pk
        for pk in outcome.ids
        if type_of(outcome.content_types.get(pk), outcome.type_by_content_type).key == type_key
    ]


def results_for(ids: list[int], type_by_content_type) -> list:
    """The specific pages of one result page, in ranking order, each with its type."""
    pages = {page.pk: page for page in Page.objects.filter(pk__in=ids).specific()}
    results = []
    for pk in ids:
        page = pages.get(pk)
        if page is not None:
            page.result_type = type_of(page.content_type_id, type_by_content_type)
            results.append(page)
    return results


def promoted_pages(query: str, language_code: str, site) -> list:
    """The site's editors' promoted results for this query, as pages of the visitor's
    language: a promoted German page is shown as its translation on the English site, and
    left out where there is none (or where it is not live and public)."""
    from .models import PromotedResult

    if not query or site is None:
        return []
    promotions = PromotedResult.objects.for_search(query, site).select_related("page")
    pages = [promotion.page for promotion in promotions]
    live = searchable_pages(language_code, site)
    localized = localize(pages, queryset=live, language_code=language_code)
    return [
        page.specific for page in localized if page and page.locale.language_code == language_code
    ]


def count_query(query: str) -> None:
    """Daily hit count for the search terms report: only the query text is stored, and not
    even that when it looks like personal data (search/terms.py)."""
    from . import terms

    terms.count(query)


def suggestions(query: str, language_code: str, site, limit: int = 8) -> list[str]:
    if len(query) < 2:
        return []
    pages = searchable_pages(language_code, site)
    titles = _robustly(
        lambda text: [page.title for page in pages.autocomplete(text)[:limit]], query
    )
    return list(dict.fromkeys(titles))


def directory_links(request, language_code: str, site) -> list[dict]:
    """Where to look instead when nothing was found: the directories and the calendar."""
    from django.utils.translation import gettext

    from events.models import EventIndexPage
    from labs.models import ActorIndexPage, LabIndexPage

    pages = (
        searchable_pages(language_code, site)
        .type(LabIndexPage, ActorIndexPage, EventIndexPage, LibraryPage)
        .specific()
        .order_by("path")
    )
    links = [{"title": page.title, "url": page.get_url(request)} for page in pages]
    for page in pages:
        if isinstance(page, EventIndexPage):
            links.append(
                {
                    "title": gettext("Workshop calendar to subscribe to"),
                    "url": f"{page.get_url(request)}calendar/",
                }
            )
    return links
