from wagtail.contrib.sitemaps import Sitemap

from .delivery.dependencies import listing_tag, record
from .delivery.request_facts import all_pages
from .sites import under_any


class TranslatedSitemap(Sitemap):
    """Wagtail's sitemap covers only the site root's tree; this one adds every translation.

    Plain page rows with only the columns a URL and its date need: no page type here
    overrides `get_sitemap_urls`, so the specific pages (a query per type, every column)
    are not needed. A page type that adds URLs of its own must be fetched specifically.
    """

    def items(self):
        site = self.get_wagtail_site()
        record(listing_tag(site.pk))  # every live page (portal.delivery.dependencies)
        roots = site.root_page.get_translations(inclusive=True)
        in_any_tree = under_any("path", roots.values_list("path", flat=True))
        return (
            all_pages()
            .live()
            .public()
            .filter(in_any_tree)
            .order_by("path")
            .only("id", "path", "url_path", "last_published_at", "latest_revision_created_at")
        )
