"""The Network page's listing: upcoming workshops of the site's sources, filterable by
source and month (fixed query count whatever the number of items)."""

import datetime
import re
from urllib.parse import urlencode

from django.utils import timezone
from django.utils.formats import date_format

from portal.delivery.dependencies import model_tag, record
from portal.filters import paginate
from portal.sites import site_id_of_page

from .models import NetworkItem, Source

MONTH = re.compile(r"^(\d{4})-(\d{2})$")


def network_listing(page, request) -> dict:
    record(model_tag(NetworkItem))  # a fetch refreshes the page (portal.delivery.cache)
    site_id = site_id_of_page(page)
    sources = list(Source.objects.filter(site_id=site_id, enabled=True).order_by("name"))
    items = NetworkItem.objects.listed().filter(source__site_id=site_id).upcoming()
    chosen_source = request.GET.get("source", "")
    if chosen_source.isdigit() and any(source.pk == int(chosen_source) for source in sources):
        items = items.filter(source_id=int(chosen_source))
    else:
        chosen_source = ""
    chosen_month = request.GET.get("month", "")
    found = MONTH.match(chosen_month)
    tz = timezone.get_current_timezone()
    if found and 1 <= int(found.group(2)) <= 12 and 1 <= int(found.group(1)) <= 9998:
        year, month = int(found.group(1)), int(found.group(2))
        first = datetime.datetime(year, month, 1, tzinfo=tz)
        following = datetime.datetime(year + month // 12, month % 12 + 1, 1, tzinfo=tz)
        items = items.filter(start__gte=first, start__lt=following)
    else:
        chosen_month = ""
    months = month_options()
    results = paginate(request, items.select_related("source"))
    chosen = {"source": chosen_source, "month": chosen_month}
    return {
        "directory": {"query_string": urlencode({k: v for k, v in chosen.items() if v})},
        "sources": sources,
        "chosen_source": chosen_source,
        "months": months,
        "chosen_month": chosen_month,
        "items": results,
    }


def month_options(count: int = 12) -> list[tuple[str, str]]:
    """The next months, as value and label."""
    today = timezone.localdate()
    options = []
    year, month = today.year, today.month
    for _ in range(count):
        first = datetime.date(year, month, 1)
        options.append((f"{year:04d}-{month:02d}", date_format(first, "YEAR_MONTH_FORMAT")))
        year, month = (year + 1, 1) if month == 12 else (year, month + 1)
    return options
