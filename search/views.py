"""The search page (/de/suche/, /en/search/) and its suggestions for the search field."""

from functools import partial
from urllib.parse import urlencode

from django.http import JsonResponse
from django.template.response import TemplateResponse
from django.utils import translation
from django.utils.translation import gettext as _
from django.views.decorators.http import require_safe
from wagtail.models import Site

from portal.filters import paginate

from . import selectors

PAGE_SIZE = 10


@require_safe
def search(request):
    language_code = translation.get_language()
    query, shortened = selectors.clean_query(request.GET.get("q", ""))
    type_key = request.GET.get("type", "")
    type_keys = [result_type.key for result_type in selectors.RESULT_TYPES]
    notes = []
    if shortened:
        notes.append(
            _("Your search was shortened to %(count)s characters.")
            % {"count": selectors.MAX_QUERY_LENGTH}
        )
    if type_key and type_key not in type_keys:
        notes.append(_("The result type in the address is unknown; all types are shown."))
        type_key = ""
    site = Site.find_for_request(request)
    outcome = selectors.search(query, language_code, request, site)
    ids = selectors.of_type(outcome, type_key) if type_key else outcome.ids
    page_of_ids = paginate(request, ids, PAGE_SIZE)
    # one count per search, not per result page or facet; again for each visitor who gets
    # this page from the page cache
    counts = not type_key and page_of_ids.number == 1
    if counts:
        selectors.count_query(query)
    context = {
        "query": query,
        "notes": notes,
        "type_key": type_key,
        "facets": [
            {
                "key": result_type.key,
                "label": result_type.label,
                "count": outcome.counts[result_type.key],
            }
            for result_type in selectors.RESULT_TYPES
        ],
        "total": len(outcome.ids),
        "shown_total": len(ids),
        "results": selectors.results_for(list(page_of_ids), outcome.type_by_content_type),
        "page_obj": page_of_ids,
        # the pagination component keeps the query and type
        "directory": {
            "query_string": urlencode(
                {k: v for k, v in {"q": query, "type": type_key}.items() if v}
            )
        },
        "promoted": selectors.promoted_pages(query, language_code, site),
    }
    if query and not outcome.ids:
        context["directories"] = selectors.directory_links(request, language_code, site)
    response = TemplateResponse(request, "search/search.html", context)
    if counts and query:
        response.on_cache_hit = [partial(selectors.count_query, query)]
    return response


@require_safe
def suggest(request):
    query, _shortened = selectors.clean_query(request.GET.get("q", ""))
    return JsonResponse(
        {
            "suggestions": selectors.suggestions(
                query, translation.get_language(), Site.find_for_request(request)
            )
        },
        headers={"Cache-Control": "max-age=60"},
    )
