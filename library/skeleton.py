"""The knowledge library every fork needs (run by `setup_portal`)."""

from .models import LibraryPage

# German URL paths of the pages created here; the demo loader counts them as its own.
PAGE_PATHS = {"/home/wissen/"}


def build(builder):
    t = builder.texts
    builder.page(
        builder.home,
        LibraryPage(
            title=t("Wissen & Werkzeuge", "Knowledge & tools"),
            slug=t("wissen", "knowledge"),
            show_in_menus=True,
        ),
        unique=True,
    )
