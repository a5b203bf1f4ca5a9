"""Several municipalities in one installation: keeping a query to one site's pages.

Each Wagtail site has one page tree per language (its root page and the root's
translations). Wagtail's `in_site()` covers only the root page's tree; these helpers cover
all of a site's trees, from Wagtail's cached list of site root paths (no query per call).
"""

from django.db.models import Q
from wagtail.models import Page, Site


def several_sites() -> bool:
    """Whether the installation serves more than one municipality."""
    return Site.objects.count() > 1


def root_paths(site: Site, language_code: str | None = None) -> list[str]:
    """The url_paths of the site's home pages (in one language, or all)."""
    return [
        entry.root_path
        for entry in Site.get_site_root_paths()
        if entry.site_id == site.pk and language_code in (None, entry.language_code)
    ]


def language_home_path(page) -> str:
    """The tree path of the home page above `page` (depth 2: one site's home in one
    language), read from the page's own path without a query."""
    return page.path[: 2 * Page.steplen]


def under_any(field: str, prefixes) -> Q:
    """Rows whose `field` (a page's `path` or `url_path`) starts with any of `prefixes`: the
    pages in those trees. An empty Q (matching everything) when there are none; callers
    check."""
    inside = Q()
    for prefix in set(prefixes):
        inside |= Q(**{f"{field}__startswith": prefix})
    return inside


def in_site(pages, site: Site | None, language_code: str | None = None):
    """`pages` (a page queryset) restricted to the site's trees; none without a site. As a
    subquery on ids, so a search on the result can still filter by it."""
    if site is None:
        return pages.none()
    inside = under_any("url_path", root_paths(site, language_code))
    if not inside:
        return pages.none()
    return pages.filter(pk__in=Page.objects.filter(inside).values("pk"))


def site_id_of(row) -> int | None:
    """The one site a page or row belongs to: a page by its tree, a row by its `site` field
    or by the page it belongs to (`owner_page()`, e.g. a registration's workshop); None for
    the installation's rows and rows of no one site."""
    if isinstance(row, Page):
        return site_id_of_page(row)
    if has_site_field(type(row)):
        return row.site_id
    if hasattr(row, "owner_page"):
        page = row.owner_page()
        return site_id_of_page(page) if page is not None else None
    return None


def site_id_of_page(page) -> int | None:
    """The id of the site whose trees hold `page` (from the cached root paths)."""
    for entry in Site.get_site_root_paths():
        if page.url_path.startswith(entry.root_path):
            return entry.site_id
    return None


def has_site_field(model) -> bool:
    """Whether rows of `model` belong to one site (a `site` field)."""
    return any(field.name == "site" for field in model._meta.fields)
