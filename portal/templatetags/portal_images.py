"""`{% responsive_image image "card" class="card__image" alt="" %}`: an image as a
`<picture>` with the renditions, `sizes` and loading attributes of a `portal.images` use.

Wagtail's `{% picture %}` with the use's specs written out would render the same markup;
naming the use instead keeps templates and the selectors' prefetches on the same list.
"""

from django import template
from wagtail.images.models import Picture
from wagtail.images.shortcuts import get_renditions_or_not_found

from portal.images import USES

register = template.Library()


@register.simple_tag
def responsive_image(image, use_name, **attrs):
    """Attributes given here (class, alt, loading, …) win over the use's."""
    if not image:
        return ""
    use = USES[use_name]
    renditions = get_renditions_or_not_found(image, use.filter_specs)
    layout = next(iter(renditions.values()))
    sizes = use.sizes or (f"{layout.width}px" if layout.width else None)
    attributes = {**use.attrs, **({"sizes": sizes} if sizes else {}), **attrs}
    return Picture(renditions, attributes).__html__()
