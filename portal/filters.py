"""Directory filters: a plain GET form with result counts per option, shared by the indexes.

Each Facet names a GET parameter, its options and how it narrows a queryset. Unknown values,
empty and repeated parameters are ignored, so hostile query strings never reach the database.
Counts per option follow the usual faceted-search rule: an option's count is the number of
results it would give combined with the *other* active filters.
"""

from collections.abc import Callable
from dataclasses import dataclass
from urllib.parse import urlencode

from django.conf import settings
from django.core.paginator import Paginator
from django.db.models import Count, QuerySet


@dataclass
class Option:
    value: str
    label: str
    count: int = 0
    selected: bool = False


@dataclass
class Facet:
    name: str  # the GET parameter
    label: str
    options: list[Option]
    # narrows a queryset to one chosen value
    apply: Callable[[QuerySet, str], QuerySet]
    # the lookup whose values are counted per option, e.g. "phase" or "topics__slug" ...
    count_by: str | None = None
    # ... or a function returning {option value: count} for a queryset, for relations the
    # lookup cannot follow (e.g. across translations)
    counter: Callable[[QuerySet], dict] | None = None
    selected_value: str | None = None
    ignored: bool = False

    def count(self, queryset: QuerySet) -> dict:
        if self.counter is not None:
            return self.counter(queryset)
        rows = (
            queryset.order_by().values(self.count_by).annotate(results=Count("pk", distinct=True))
        )
        return {str(row[self.count_by]): row["results"] for row in rows}

    def read(self, params):
        values = [value for value in params.getlist(self.name) if value]
        known = {option.value for option in self.options}
        # Repeated parameters: the first known value wins; unknown values are ignored.
        self.selected_value = next((value for value in values if value in known), None)
        self.ignored = bool(values) and self.selected_value is None
        for option in self.options:
            option.selected = option.value == self.selected_value


class DirectoryFilter:
    def __init__(self, facets: list[Facet], params, preserved: dict | None = None):
        self.facets = facets
        self.params = params
        # other validated parameters the listing keeps in its links, e.g. {"when": "past"}
        self.preserved = preserved or {}
        for facet in facets:
            facet.read(params)

    @property
    def ignored(self) -> list[Facet]:
        """Facets whose value in the URL matched no option (shown as a note)."""
        return [facet for facet in self.facets if facet.ignored]

    @property
    def active(self) -> list[Facet]:
        return [facet for facet in self.facets if facet.selected_value is not None]

    def apply(self, queryset: QuerySet, *, skip: Facet | None = None) -> QuerySet:
        for facet in self.active:
            if facet is not skip:
                queryset = facet.apply(queryset, facet.selected_value)
        return queryset

    def count_options(self, queryset: QuerySet):
        """One aggregate query per facet, whatever the number of options or results."""
        for facet in self.facets:
            counts = facet.count(self.apply(queryset, skip=facet))
            for option in facet.options:
                option.count = counts.get(option.value, 0)

    def query_string(self, **changes) -> str:
        """The current selection as a query string, e.g. for pagination links."""
        params = {**self.preserved}
        params.update({facet.name: facet.selected_value for facet in self.active})
        params.update(changes)
        return urlencode({key: value for key, value in params.items() if value})


def paginate(request, queryset, per_page: int | None = None):
    """`?page=abc` gives the first page, `?page=999` the last: never an error."""
    paginator = Paginator(queryset, per_page or settings.PORTAL_PAGE_SIZE)
    return paginator.get_page(request.GET.get("page"))
