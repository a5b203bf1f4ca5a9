"""The lab and actor directories every fork needs (run by `setup_portal`)."""

from .models import ActorIndexPage, LabIndexPage

# German URL paths of the pages created here; the demo loader counts them as its own.
PAGE_PATHS = {"/home/labore/", "/home/akteure/"}


def build(skeleton):
    skeleton.index_page(
        LabIndexPage(title="Labore", slug="labore", show_in_menus=True),
        {"en": {"Labore": "Labs", "labore": "labs"}},
    )
    skeleton.index_page(
        ActorIndexPage(title="Akteure", slug="akteure", show_in_menus=True),
        {"en": {"Akteure": "Partners", "akteure": "partners"}},
    )
