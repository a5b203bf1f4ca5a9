"""Helpers around wagtail-localize and the visitor's language."""

from django.utils import translation
from wagtail.models import Locale, Page
from wagtail_localize.models import Translation, TranslationSource


class IncompleteTranslation(Exception):
    pass


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


def localize_pages(pages, locale: Locale | None = None) -> list:
    """Each page in the visitor's language where a live translation exists, else as given.

    Foreign keys to pages (site settings, links) point at the German page; this resolves a
    batch of them with one query instead of one `.localized` call per page.
    """
    pages = [page for page in pages if page is not None]
    language_code = locale.language_code if locale else translation.get_language()
    keys = {page.translation_key for page in pages}
    if not keys:
        return pages
    translated = {
        page.translation_key: page
        for page in Page.objects.live().filter(
            translation_key__in=keys, locale__language_code=language_code
        )
    }
    return [translated.get(page.translation_key, page) for page in pages]


def language_name(language_code: str) -> str:
    """A language's name in that language ("Deutsch", "English"), for the switcher."""
    return translation.get_language_info(language_code)["name_local"]
