"""Factories for the knowledge library. Materials go into the German library of the site
skeleton unless a `parent` is given; a test that counts a whole directory builds its own
with LibraryPageFactory, so the demo's materials are not in it."""

import factory
import wagtail_factories

from library.models import LibraryPage, MaterialPage
from tests.labs.factories import home
from tests.portal.factories import DocumentFactory


def library(language="de"):
    """The default site's knowledge library in `language` (the skeleton's)."""
    return LibraryPage.objects.child_of(home(language)).order_by("path").first()


class LibraryPageFactory(wagtail_factories.PageFactory):
    title = factory.Sequence(lambda n: f"Bibliothek {n}")
    parent = factory.LazyFunction(home)

    class Meta:
        model = LibraryPage


def file_blocks(*documents, title=""):
    return [{"type": "file", "value": {"document": doc.pk, "title": title}} for doc in documents]


class MaterialPageFactory(wagtail_factories.PageFactory):
    """A guide for the idea phase with one PDF (give `files=file_blocks(…)` for others)."""

    title = factory.Sequence(lambda n: f"Material {n}")
    material_type = "guide"
    phase = 1
    audience = factory.LazyFunction(lambda: ["administration"])
    attribution = "Stadt Teststadt"
    files = factory.LazyFunction(
        lambda: file_blocks(DocumentFactory(file__filename="leitfaden.pdf"))
    )
    parent = factory.LazyFunction(library)

    class Meta:
        model = MaterialPage
