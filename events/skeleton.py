"""The workshop directory every fork needs (run by `setup_portal`)."""

from .models import EventIndexPage

PAGE_PATHS = {"/home/werkstaetten/"}


def build(skeleton):
    skeleton.index_page(
        EventIndexPage(title="Werkstätten", slug="werkstaetten", show_in_menus=True),
        {"en": {"Werkstätten": "Workshops", "werkstaetten": "workshops"}},
    )
