"""The workshop directory every fork needs (run by `setup_portal`)."""

from .models import EventIndexPage

PAGE_PATHS = {"/home/werkstaetten/"}


def build(builder):
    t = builder.texts
    directory = EventIndexPage(
        title=t("Werkstätten", "Workshops"), slug=t("werkstaetten", "workshops"), show_in_menus=True
    )
    builder.page(builder.home, directory, unique=True)
