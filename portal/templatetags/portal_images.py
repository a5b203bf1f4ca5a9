"""`{% responsive_image image "card" class="card__image" alt="" %}`: an image as a
`<picture>` with the renditions, `sizes` and loading attributes of a `portal.images` use.

Wagtail's `{% picture %}` with the use's specs written out would render the same markup;
naming the use instead keeps templates and the selectors' prefetches on the same list.
"""

import threading
import time
from collections import OrderedDict

from django import template
from wagtail.images.models import Picture
from wagtail.images.shortcuts import get_renditions_or_not_found

from portal.images import USES

register = template.Library()

# Finding a picture's renditions among the prefetched ones and writing its srcsets costs
# more than the rest of a card (about a fifth of an uncached directory page). The markup
# depends only on the image's file and focal point, the use and the attributes, so each
# process keeps it for a few minutes: a replaced file or a moved focal point is another key
# at once, and renditions deleted by hand (wagtail_update_image_renditions) show again
# within PICTURE_SECONDS.
PICTURE_SECONDS = 300
PICTURES_KEPT = 4096
_pictures: OrderedDict = OrderedDict()
_pictures_lock = threading.Lock()


@register.simple_tag
def responsive_image(image, use_name, **attrs):
    """Attributes given here (class, alt, loading, …) win over the use's."""
    if not image:
        return ""
    key = (
        image.pk,
        image.file.name,
        image.focal_point_x,
        image.focal_point_y,
        image.focal_point_width,
        image.focal_point_height,
        use_name,
        tuple(sorted(attrs.items())),
    )
    now = time.monotonic()
    with _pictures_lock:  # threaded servers (runserver, gthread) share the dictionary
        kept = _pictures.get(key)
        if kept is not None and kept[1] > now:
            _pictures.move_to_end(key)
            return kept[0]
    html = picture_html(image, USES[use_name], attrs)  # safe: Wagtail escapes attributes
    with _pictures_lock:
        _pictures[key] = (html, now + PICTURE_SECONDS)
        if len(_pictures) > PICTURES_KEPT:
            _pictures.popitem(last=False)
    return html


def forget_pictures() -> None:
    with _pictures_lock:
        _pictures.clear()


def picture_html(image, use, attrs) -> str:
    renditions = get_renditions_or_not_found(image, use.filter_specs)
    layout = next(iter(renditions.values()))
    sizes = use.sizes or (f"{layout.width}px" if layout.width else None)
    attributes = {**use.attrs, **({"sizes": sizes} if sizes else {}), **attrs}
    return Picture(renditions, attributes).__html__()
