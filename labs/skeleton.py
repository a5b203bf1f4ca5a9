"""The lab and actor directories every fork needs (run by `setup_portal`)."""

from .models import ActorIndexPage, LabIndexPage

# German URL paths of the pages created here; the demo loader counts them as its own.
PAGE_PATHS = {"/home/labore/", "/home/akteure/"}


def build(builder):
    t = builder.texts
    for model, title, slug in [
        (LabIndexPage, t("Labore", "Labs"), t("labore", "labs")),
        (ActorIndexPage, t("Akteure", "Partners"), t("akteure", "partners")),
    ]:
        builder.page(builder.home, model(title=title, slug=slug, show_in_menus=True), unique=True)
