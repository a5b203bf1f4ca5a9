"""Bilingual content from code: the one builder `setup_portal` (the skeleton every fork
needs) and `load_demo_content` (the demo) use.

German is written first; each German text is registered with its English text
(`texts.pair(german, english)`, or `texts(german, english)` for short), and the builder
turns the German pages and snippets into real wagtail-localize translations from those
pairs, so editors keep working on them in the translation editor. Each domain app
contributes a `skeleton` and/or `demo` module with `build(builder)` and `PAGE_PATHS` (the
German URL paths it creates); the commands run them in INSTALLED_APPS order.

Idempotent: a page that exists (by slug under its parent, or by type for pages that exist
once, like a directory) is kept as it is; it only gets the translations it lacks.
"""

import dataclasses
import functools
import io
import random
import re
import textwrap
from pathlib import Path

from django.core.files.images import ImageFile
from wagtail.images import get_image_model
from wagtail.models import Locale, Page, Site
from wagtail.rich_text import RichText

from .translation import translate

# Text the skeleton puts where a city must fill in its own details, e.g.
# "[Platzhalter: Name der Behörde]". The dashboard lists pages that still contain one, and
# public pages show them highlighted.
LOGO_FONT = (
    Path(__file__).resolve().parent
    / "static"
    / "vendor"
    / "kern"
    / "fonts"
    / "fira-sans"
    / "FiraSans-SemiBold.woff2"
)
PLACEHOLDER = re.compile(r"\[(?:Platzhalter|Placeholder):[^\]]*\]")


@dataclasses.dataclass(frozen=True)
class Rich:
    """Rich text in content data: paragraphs and an optional bullet list, each a (de, en) pair."""

    paragraphs: tuple[tuple[str, str], ...] = ()
    bullets: tuple[tuple[str, str], ...] = ()


def rich(*paragraphs: tuple[str, str], bullets: tuple = ()) -> Rich:
    """Rich text of (de, en) paragraph pairs and, optionally, a bullet list after them."""
    return Rich(paragraphs, bullets)


class Texts:
    """German → English pairs for every text segment the builder writes."""

    def __init__(self):
        self.english = {}

    def pair(self, german: str, english: str) -> str:
        self.english[german] = english
        return german

    __call__ = pair

    def paragraphs(self, *pairs: tuple[str, str]) -> str:
        return "".join(f"<p>{self.pair(de, en)}</p>" for de, en in pairs)

    def paragraph(self, german: str, english: str) -> tuple[str, RichText]:
        """A StreamField paragraph block of one paragraph."""
        return ("paragraph", RichText(self.paragraphs((german, english))))

    def bullets(self, *pairs: tuple[str, str]) -> str:
        return "<ul>" + "".join(f"<li>{self.pair(de, en)}</li>" for de, en in pairs) + "</ul>"

    def german(self, data):
        """Content data in German, every (de, en) pair registered: a tuple of two strings is
        such a pair and becomes its German text, Rich values become HTML; lists, dicts and
        other tuples, like StreamField blocks ("heading", {…}), are walked; anything else
        is kept."""
        if isinstance(data, Rich):
            bullets = self.bullets(*data.bullets) if data.bullets else ""
            return self.paragraphs(*data.paragraphs) + bullets
        if isinstance(data, tuple) and len(data) == 2 and all(isinstance(x, str) for x in data):
            return self.pair(*data)
        if isinstance(data, tuple | list):
            return type(data)(self.german(item) for item in data)
        if isinstance(data, dict):
            return {key: self.german(value) for key, value in data.items()}
        return data


class ContentBuilder:
    """Creates German pages and snippets once and translates them (see the module's
    docstring). `created` lists the pages this run created or filled."""

    def __init__(self, site: Site | None = None, stdout=None):
        self.texts = Texts()
        self.german = Locale.get_default()
        self.other_locales = list(Locale.objects.exclude(pk=self.german.pk))
        self.site = site or Site.objects.get(is_default_site=True)
        self.home = self.site.root_page.specific
        self.created = []
        self.kept = []
        self.stdout = stdout

    def log(self, message):
        if self.stdout is not None:
            self.stdout.write(message)

    def page(self, parent: Page, page: Page, *, unique: bool = False) -> Page:
        """`page` under `parent`, created and published unless a page with its slug (with
        `unique`: of its type) is there already."""
        children = parent.get_children()
        existing = (
            children.type(type(page)) if unique else children.filter(slug=page.slug)
        ).first()
        if existing is not None:
            existing = existing.specific
            self.kept.append(existing)
            return existing
        parent.add_child(instance=page)
        page.save_revision().publish()
        self.created.append(page)
        self.log(f"Created page {page.url_path}")
        return page

    def publish(self, page: Page, message: str) -> None:
        """An existing page the builder has filled in: published, then translated anew."""
        page.save_revision().publish()
        self.created.append(page)
        self.log(message)

    def keep_translated(self, page: Page) -> None:
        """A page the builder did not create that must exist in every language."""
        self.kept.append(page)

    def snippet(self, model, lookup: dict, **fields):
        """A translatable snippet in German, translated at once (snippets have no parents)."""
        existing = model.objects.filter(locale=self.german, **lookup).first()
        if existing is not None:
            return existing
        instance = model.objects.create(locale=self.german, **lookup, **fields)
        for locale in self.other_locales:
            translate(instance, locale, self.texts.english)
        return instance

    def translate(self) -> None:
        """Translate what this run created or filled, and give the pages it kept the
        languages they lack; parents first."""
        pages = [(page, True) for page in self.created] + [(page, False) for page in self.kept]
        for page, changed in sorted(pages, key=lambda entry: entry[0].depth):
            for locale in self.other_locales:
                if changed or not page.has_translation(locale):
                    translate(page, locale, self.texts.english)
                    if not changed:
                        self.log(f"Created the {locale.language_code} version of {page.title}.")

    @functools.cached_property
    def collection(self):
        """Where the site's images go (its own collection once there are several sites)."""
        from .editorial.roles import collection_for

        return collection_for(self.site)

    def image(self, title: str, palette: list[str], seed: int):
        """A generated abstract picture, so the demo needs no downloaded or licensed photos."""
        image_model = get_image_model()
        existing = image_model.objects.filter(title=title).first()
        if existing is not None:
            return existing
        from PIL import Image, ImageDraw

        rng = random.Random(seed)  # noqa: S311 - decoration, not security
        canvas = Image.new("RGB", (1600, 900), palette[0])
        draw = ImageDraw.Draw(canvas)
        for _ in range(28):
            x, y = rng.randrange(-200, 1600), rng.randrange(-200, 900)
            size = rng.randrange(120, 520)
            colour = rng.choice(palette[1:])
            if rng.random() < 0.5:
                draw.ellipse((x, y, x + size, y + size), fill=colour)
            else:
                draw.rectangle((x, y, x + size, y + size * 0.6), fill=colour)
        buffer = io.BytesIO()
        canvas.save(buffer, format="PNG")
        slug = "".join(c if c.isalnum() else "-" for c in title.lower())
        return image_model.objects.create(
            title=title, file=ImageFile(buffer, name=f"demo-{slug}.png"), collection=self.collection
        )

    def logo(self, title: str, initials: str, colour: str):
        """A generated logo (initials on a coloured badge): demo organisations are fictional."""
        image_model = get_image_model()
        existing = image_model.objects.filter(title=title).first()
        if existing is not None:
            return existing
        from PIL import Image, ImageDraw, ImageFont

        canvas = Image.new("RGB", (400, 200), "#ffffff")
        draw = ImageDraw.Draw(canvas)
        draw.rounded_rectangle((10, 10, 390, 190), radius=28, fill=colour)
        # Fira Sans from the vendored KERN files: it has the German letters (Ä, Ö, Ü, ß) that
        # Pillow's built-in font draws as missing-glyph boxes.
        font = ImageFont.truetype(str(LOGO_FONT), size=96)
        draw.text((200, 100), initials, fill="#ffffff", font=font, anchor="mm")
        buffer = io.BytesIO()
        canvas.save(buffer, format="PNG")
        return image_model.objects.create(
            title=title,
            file=ImageFile(buffer, name=f"demo-logo-{initials.lower()}.png"),
            collection=self.collection,
        )

    def document(self, title: str, filename: str, content: bytes):
        """A document of the site's collection (demo downloads), created once by title."""
        from django.core.files.base import ContentFile
        from wagtail.documents import get_document_model

        document_model = get_document_model()
        existing = document_model.objects.filter(title=title).first()
        if existing is not None:
            return existing
        document = document_model(
            title=title, file=ContentFile(content, name=filename), collection=self.collection
        )
        document.file_size = len(content)
        document._set_document_file_metadata()
        document.save()
        return document


def pdf(title: str, lines: list[str]) -> bytes:
    """A small, valid one-page PDF of a title and text lines (Helvetica, Latin-1), written by
    hand: the demo's downloads are real files without a PDF library. Lines are not wrapped."""

    def text(value: str) -> str:
        for typographic, plain in (("„", '"'), ("“", '"'), ("”", '"'), ("–", "-"), ("’", "'")):
            value = value.replace(typographic, plain)
        value = value.encode("latin-1", "replace").decode("latin-1")
        return value.replace("\\", "\\\\").replace("(", "\\(").replace(")", "\\)")

    stream = ["BT", "/F1 18 Tf", "56 780 Td", f"({text(title)}) Tj", "/F1 11 Tf", "0 -30 Td"]
    for line in lines:
        for part in textwrap.wrap(line, 92) or [""]:
            stream += [f"({text(part)}) Tj", "0 -16 Td"]
    stream.append("ET")
    content = "\n".join(stream).encode("latin-1")
    objects = [
        b"<< /Type /Catalog /Pages 2 0 R >>",
        b"<< /Type /Pages /Kids [3 0 R] /Count 1 >>",
        b"<< /Type /Page /Parent 2 0 R /MediaBox [0 0 595 842] "
        b"/Resources << /Font << /F1 4 0 R >> >> /Contents 5 0 R >>",
        b"<< /Type /Font /Subtype /Type1 /BaseFont /Helvetica /Encoding /WinAnsiEncoding >>",
        b"<< /Length %d >>\nstream\n" % len(content) + content + b"\nendstream",
    ]
    output = bytearray(b"%PDF-1.4\n")
    offsets = []
    for number, body in enumerate(objects, start=1):
        offsets.append(len(output))
        output += b"%d 0 obj\n" % number + body + b"\nendobj\n"
    xref = len(output)
    output += b"xref\n0 %d\n0000000000 65535 f \n" % (len(objects) + 1)
    output += b"".join(b"%010d 00000 n \n" % offset for offset in offsets)
    output += b"trailer\n<< /Size %d /Root 1 0 R >>\nstartxref\n%d\n%%%%EOF\n" % (
        len(objects) + 1,
        xref,
    )
    return bytes(output)
