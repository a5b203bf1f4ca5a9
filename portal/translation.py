"""Helpers around wagtail-localize and the visitor's language."""

import html

from django.db.models import Q
from django.utils import translation
from wagtail.models import Locale, Page
from wagtail_localize.models import Translation, TranslationSource

from .delivery.dependencies import model_tag, record


class IncompleteTranslation(Exception):
    pass


def as_plain_text(segment: str) -> str:
    return html.unescape(segment.replace("<br/>", "\n"))


def translate(instance, locale: Locale, strings: dict[str, str], *, user=None):
    """Create or update the translation of a page or snippet into `locale` via wagtail-localize.

    `strings` maps each source text segment to its translation, so the result is a real
    wagtail-localize translation that editors keep working on in the translation editor.
    A page's parent must already exist in `locale`. Raises IncompleteTranslation naming the
    segments that `strings` does not cover.
    """
    if isinstance(instance, Page):
        instance = instance.specific
    source, _ = TranslationSource.update_or_create_from_instance(instance)
    target, _ = Translation.objects.get_or_create(
        source=source, target_locale=locale, defaults={"enabled": True}
    )
    po = target.export_po()
    missing = []
    for entry in po:
        if entry.obsolete:
            continue
        if entry.msgid in strings:
            entry.msgstr = strings[entry.msgid]
        elif as_plain_text(entry.msgid) in strings:
            # wagtail-localize stores text fields as HTML ("Stadt &amp; Alter", "<br/>")
            english = strings[as_plain_text(entry.msgid)]
            entry.msgstr = html.escape(english, quote=False).replace("\n", "<br/>")
        else:
            missing.append(entry.msgid)
    if missing:
        raise IncompleteTranslation(
            f"No {locale.language_code} text for {len(missing)} segment(s) of "
            f"{instance!s}: " + "; ".join(repr(text[:60]) for text in missing)
        )
    target.import_po(po, user=user)
    # wagtail-localize publishes in transaction.on_commit; inside a longer transaction that
    # publish would later overwrite the page with stale tree data, so publish right here.
    is_page = isinstance(instance, Page)
    target.save_target(user=user, publish=not is_page)
    translated = instance.get_translation(locale)
    if is_page and instance.live:
        translated.get_latest_revision().publish(user=user)
        translated.refresh_from_db()
    return translated


def localize(objects, *, queryset=None, language_code: str | None = None) -> list:
    """Each page or snippet in the visitor's language where a translation exists, else itself,
    or None where neither is in `queryset` (e.g. unpublished or private).

    wagtail-localize copies foreign keys to other pages unchanged (they keep pointing at the
    German page). This resolves a whole list in one query, by translation key, instead of one
    `.localized` call per row. Every returned object comes from `queryset` (default: live
    pages, or all rows of the model), so its select_related/prefetches apply to all of them
    and nothing outside it is ever shown.
    """
    objects = [obj for obj in objects if obj is not None]
    if not objects:
        return []
    language_code = language_code or translation.get_language()
    if queryset is None:
        model = type(objects[0])
        queryset = Page.objects.live() if isinstance(objects[0], Page) else model._default_manager
    shows_snippets(queryset.model)
    keys = {obj.translation_key for obj in objects}
    candidates = queryset.filter(
        Q(translation_key__in=keys, locale__language_code=language_code)
        | Q(pk__in=[obj.pk for obj in objects])
    ).select_related("locale")
    in_language, by_pk = {}, {}
    for candidate in candidates:
        by_pk[candidate.pk] = candidate
        if candidate.locale.language_code == language_code:
            in_language[candidate.translation_key] = candidate
    return [in_language.get(obj.translation_key) or by_pk.get(obj.pk) for obj in objects]


def localize_ids(queryset, ids, *, language_code: str | None = None) -> dict:
    """{id: the row in the language where a translation exists, else the row itself} for
    the rows of `queryset` with those ids, in one query (a subquery finds the translation
    keys): for foreign keys of which only the id is loaded."""
    ids = {pk for pk in ids if pk is not None}
    if not ids:
        return {}
    language_code = language_code or translation.get_language()
    shows_snippets(queryset.model)
    keys = queryset.model._default_manager.filter(pk__in=ids).values("translation_key")
    candidates = queryset.filter(
        Q(translation_key__in=keys, locale__language_code=language_code) | Q(pk__in=ids)
    ).select_related("locale")
    in_language, by_key = {}, {}
    for candidate in candidates:
        if candidate.locale.language_code == language_code:
            in_language[candidate.translation_key] = candidate
        if candidate.pk in ids:
            by_key[candidate.pk] = candidate
    return {pk: in_language.get(row.translation_key, row) for pk, row in by_key.items()}


def shows_snippets(model) -> None:
    """The response being rendered shows rows of `model` in the visitor's language: a
    change of any of them (a renamed topic or venue) refreshes it (pages record themselves
    when linked; portal.delivery.dependencies)."""
    if not issubclass(model, Page):
        record(model_tag(model))


def language_name(language_code: str) -> str:
    """A language's name in that language ("Deutsch", "English"), for the switcher."""
    return translation.get_language_info(language_code)["name_local"]


def save_translation_draft(translation, user=None):
    """A draft revision of a translated page from its current translations; the live page
    stays as it is until the workflow publishes the revision.

    wagtail-localize's `save_target(publish=False)` also writes the translated fields into
    the live page's row, which would put unapproved text online. This follows the same steps
    (synchronised fields, translated segments with the source as fallback) without that save.
    """
    from wagtail_localize.fields import copy_synchronised_fields
    from wagtail_localize.segments.ingest import ingest_segments

    source = translation.source
    original = source.as_instance()
    target = source.get_translated_instance(translation.target_locale)
    copy_synchronised_fields(original, target)
    segments = source._get_segments_for_translation(translation.target_locale, fallback=True)
    ingest_segments(original, target, source.locale, translation.target_locale, segments)
    return target.save_revision(user=user)


def live_in_language(model, ids, locale_id):
    """The live pages in the locale of the pages `ids` point at. Relations to other pages
    point at the German page in every language (wagtail-localize keeps foreign keys), so
    they are matched by translation key."""
    keys = model.objects.filter(pk__in=ids).values("translation_key")
    return model.objects.live().filter(translation_key__in=keys, locale_id=locale_id)


def in_language_or_oldest(pages, language_code: str):
    """Of the translations of one page (`pages`, a queryset): the one in `language_code`,
    or else the oldest; None if there is none."""
    return pages.filter(locale__language_code=language_code).first() or pages.order_by("pk").first()
