"""How the portal shows images: one `ImageUse` per place an image appears.

A use names the renditions a template asks for (`{% responsive_image image USE %}` in
`portal_images`) and the selectors prefetch (`with_renditions(queryset, field, USE)`), so
the two cannot drift apart: a listing needs one rendition query however many images it
shows. A single image (a page's hero, a figure, the logos in header and footer) is looked
up in Wagtail's rendition cache first, so a warm request does not query for it either.

Every use renders a `<picture>`: photos as AVIF (where Pillow can write it and
`PORTAL_IMAGES_AVIF` is on), WebP and JPEG for the `<img>`; logos as WebP and PNG (keeps
transparency; AVIF saves them next to nothing: ~1.1 against 1.2 kB for a demo logo). Each
comes in the layout size and its double (2x screens), the large ones also in a smaller
size, with `sizes` from the CSS layout: at most three sizes times three formats per image,
generated once, on the first request that shows it.
"""

import dataclasses

from django.conf import settings
from django.db.models import Prefetch
from PIL import features
from wagtail.images import get_image_model

# Pillow built with libavif (its wheels since 11.2).
AVIF_SUPPORTED = bool(features.check("avif"))


def formats(kind: str) -> tuple[str, ...]:
    """Output formats, best first; the last one is the `<img>`'s."""
    if kind == "logo":
        return ("webp", "png")
    if AVIF_SUPPORTED and getattr(settings, "PORTAL_IMAGES_AVIF", True):
        return ("avif", "webp", "jpeg")
    return ("webp", "jpeg")


# Below the fold: fetched as the visitor scrolls, decoded off the main thread.
LAZY = {"loading": "lazy", "decoding": "async"}
# The largest image at the top of a page (the likely Largest Contentful Paint).
HERO = {"fetchpriority": "high"}
# The width the main column leaves: 72rem at most, less 1rem padding each side.
FULL_WIDTH = "(max-width: 72rem) calc(100vw - 2rem), 70rem"


@dataclasses.dataclass(frozen=True)
class ImageUse:
    """Resize rules, formats, `sizes` and attributes of one kind of image.

    `rules[0]` is the size the layout was designed for: Wagtail takes the first rendition
    for the `<img>`'s src, width and height, so the box keeps its place while loading. The
    other rules only add srcset candidates. `sizes=None` means a fixed-size image (logos):
    the layout width of each image is its first rendition's width.
    """

    rules: tuple[str, ...]
    kind: str = "photo"  # or "logo"
    sizes: str | None = None
    attrs: dict = dataclasses.field(default_factory=dict)

    @property
    def filter_specs(self) -> tuple[str, ...]:
        """As Wagtail expands `{% picture image rule-{a,b} format-{x,y} %}`."""
        return tuple(f"{rule}|format-{fmt}" for rule in self.rules for fmt in formats(self.kind))


# Lab and workshop cards: a 16:9 image over the card's full width; one column on phones,
# then two (below 56rem), then three of the 17rem-minimum grid.
CARD_IMAGE = ImageUse(
    rules=("fill-480x270", "fill-960x540"),
    sizes="(max-width: 37.5rem) calc(100vw - 2rem), (max-width: 56rem) calc(50vw - 1.75rem), "
    "(max-width: 72rem) calc(33.33vw - 1.67rem), 22.33rem",
    attrs=LAZY,
)
# Lab and workshop pages: the full main column, 2:1.
PAGE_HERO = ImageUse(
    rules=("fill-1200x600", "fill-600x300", "fill-1800x900"), sizes=FULL_WIDTH, attrs=HERO
)
# Home page: the right half of the hero from 48rem, the full width below.
HOME_HERO = ImageUse(
    rules=("fill-960x540", "fill-480x270", "fill-1440x810"),
    sizes="(max-width: 48rem) calc(100vw - 2rem), (max-width: 72rem) calc(50vw - 1.75rem), "
    "34.25rem",
    attrs=HERO,
)
# Figures in the body: never wider than the column, nor than their original.
FIGURE = ImageUse(rules=("width-1200", "width-600", "width-1800"), sizes=FULL_WIDTH, attrs=LAZY)
# Photo galleries (a workshop's documentation): 4:3 tiles, one column on phones, then up to
# three of the 14rem-minimum grid.
GALLERY = ImageUse(
    rules=("fill-480x360", "fill-960x720"),
    sizes="(max-width: 37.5rem) calc(100vw - 2rem), (max-width: 72rem) calc(33.33vw - 1.67rem), "
    "22.33rem",
    attrs=LAZY,
)
# Speaker photos: 5rem circles.
SPEAKER_PHOTO = ImageUse(rules=("fill-80x80", "fill-160x160"), sizes="5rem", attrs=LAZY)
# Logos on cards, partner lists and the home page's partner strip.
LOGO = ImageUse(rules=("max-200x100", "max-400x200"), kind="logo", attrs=LAZY)
# An actor's own page: at the top, loaded at once.
LOGO_LARGE = ImageUse(rules=("max-320x200", "max-640x400"), kind="logo")
# The portal's logo in the header (above the fold) and the funder's in the footer.
SITE_LOGO = ImageUse(rules=("height-64", "height-128"), kind="logo")
FUNDER_LOGO = ImageUse(rules=("height-80", "height-160"), kind="logo", attrs=LAZY)

# Open Graph and JSON-LD: one URL that every social network and search engine can read,
# whatever format was uploaded (base.html writes the same spec in its `{% image %}` tag).
SHARE_IMAGE = "fill-1200x630|format-jpeg"

USES = {
    "card": CARD_IMAGE,
    "page_hero": PAGE_HERO,
    "home_hero": HOME_HERO,
    "figure": FIGURE,
    "gallery": GALLERY,
    "speaker": SPEAKER_PHOTO,
    "logo": LOGO,
    "logo_large": LOGO_LARGE,
    "site_logo": SITE_LOGO,
    "funder_logo": FUNDER_LOGO,
}


def with_renditions(queryset, field: str, *uses: ImageUse | str):
    """select_related an image field and prefetch the renditions the templates ask for, so a
    listing needs one rendition query however many images it shows.

    `uses` are `ImageUse`s (all their renditions) or single filter specs."""
    filter_specs = []
    for use in uses:
        filter_specs.extend(use.filter_specs if isinstance(use, ImageUse) else [use])
    renditions = (
        get_image_model().get_rendition_model().objects.filter(filter_spec__in=filter_specs)
    )
    return queryset.select_related(field).prefetch_related(
        Prefetch(f"{field}__renditions", queryset=renditions, to_attr="prefetched_renditions")
    )
