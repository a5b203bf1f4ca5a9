from django.db.models import Prefetch
from wagtail.images import get_image_model


def with_renditions(queryset, field: str, *filter_specs: str):
    """select_related an image field and prefetch the renditions the templates ask for, so a
    listing needs one rendition query however many images it shows."""
    renditions = (
        get_image_model().get_rendition_model().objects.filter(filter_spec__in=filter_specs)
    )
    return queryset.select_related(field).prefetch_related(
        Prefetch(f"{field}__renditions", queryset=renditions, to_attr="prefetched_renditions")
    )
