"""Visitors' search terms, kept for the editors' *Search terms* report with as little
personal data as possible.

Only the query text and a daily count are stored (Wagtail's Query and QueryDailyHits). A
term that looks like an e-mail address or a phone number is not stored at all: people type
their own or others' into search fields. The number of distinct terms is capped, so random
or hostile queries cannot fill the table, and the daily counts are deleted after
PORTAL_SEARCH_TERMS_RETENTION_DAYS by the scheduler's daily job `purge_search_terms`.
"""

import datetime
import re

from django.conf import settings
from django.utils import timezone
from wagtail.contrib.search_promotions.models import Query, QueryDailyHits
from wagtail.search.utils import normalise_query_string

EMAIL_ADDRESS = re.compile(r"[^\s@]+@[^\s@]+\.[^\s@]{2,}")
# A run of digits with the separators phone numbers are written with ("0231 50-12345",
# "+49 (231) 5012345"); seven digits and more, so postcodes and years stay searchable.
PHONE_LIKE_RUN = re.compile(r"\+?\d[\d\s()./-]*\d")
PHONE_MIN_DIGITS = 7


def looks_personal(query: str) -> bool:
    if EMAIL_ADDRESS.search(query):
        return True
    return any(
        sum(character.isdigit() for character in run) >= PHONE_MIN_DIGITS
        for run in PHONE_LIKE_RUN.findall(query)
    )


def count(query: str) -> bool:
    """Add one to today's count of `query`; returns whether it was counted. Not counted:
    empty terms, terms that look personal, and new terms once PORTAL_SEARCH_TERMS_MAX
    distinct terms are stored (terms already stored go on counting)."""
    normalised = normalise_query_string(query)
    if not normalised or looks_personal(normalised):
        return False
    term = Query.objects.filter(query_string=normalised).first()
    if term is None:
        if Query.objects.count() >= settings.PORTAL_SEARCH_TERMS_MAX:
            return False
        # get_or_create: a parallel search may have stored it a moment ago
        term, _created = Query.objects.get_or_create(query_string=normalised)
    term.add_hit()
    return True


def purge(retention_days: int) -> dict:
    """Delete daily counts older than `retention_days`, terms that look personal (stored
    before they were filtered), and terms left without counts."""
    oldest_kept = timezone.localdate() - datetime.timedelta(days=retention_days)
    _total, deleted = QueryDailyHits.objects.filter(date__lt=oldest_kept).delete()
    old_counts = deleted.get(QueryDailyHits._meta.label, 0)
    personal = [
        term.pk
        for term in Query.objects.only("query_string").iterator()
        if looks_personal(term.query_string)
    ]
    Query.objects.filter(pk__in=personal).delete()
    _total, deleted = Query.objects.filter(
        daily_hits__isnull=True, editors_picks__isnull=True
    ).delete()
    return {
        "counts": old_counts,
        "personal_terms": len(personal),
        "unused_terms": deleted.get(Query._meta.label, 0),
    }
