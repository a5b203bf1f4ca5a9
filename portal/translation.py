"""Helpers around wagtail-localize and the visitor's language."""

from django.utils import translation
from wagtail.models import Locale, Page
from wagtail_localize.models import Translation, TranslationSource


class IncompleteTranslation(Exception):
    pass


def translate_page(page: Page, locale: Locale, strings: dict[str, str], *, user=None) -> Page:
    """Create or update the translation of `page` into `locale` through wagtail-localize.

    `strings` maps each source text segment to its translation, so the result is a real
    wagtail-localize translation that editors keep working on in the translation editor.
    The page's parent must already exist in `locale`. Raises IncompleteTranslation naming the
    segments that `strings` does not cover.
    """
    source, _ = TranslationSource.update_or_create_from_instance(page.specific)
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
            f"{page.title!r}: " + "; ".join(repr(text[:60]) for text in missing)
        )
    target.import_po(po, user=user)
    target.save_target(user=user, publish=page.live)
    return page.get_translation(locale)


def localize_pages(pages, locale: Locale | None = None) -> list:
    """Each page in the visitor's language where a live translation exists, else as given.

    Foreign keys to pages (site settings, links) point at the German page; this resolves a
    batch of them with one query instead of one `.localized` call per page.
    """
    pages = [page for page in pages if page is not None]
    locale = locale or Locale.get_active()
    keys = {page.translation_key for page in pages if page.locale_id != locale.pk}
    if not keys:
        return pages
    translated = {
        page.translation_key: page
        for page in Page.objects.live().filter(translation_key__in=keys, locale=locale)
    }
    return [translated.get(page.translation_key, page) for page in pages]


def language_name(language_code: str) -> str:
    """A language's name in that language ("Deutsch", "English"), for the switcher."""
    return translation.get_language_info(language_code)["name_local"]
