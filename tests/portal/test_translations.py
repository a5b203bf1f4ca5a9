"""Interface translations: complete German catalogue, and the English one compiles."""

from pathlib import Path

import polib
import pytest
from django.utils import translation

LOCALE_DIR = Path(__file__).resolve().parents[2] / "portal" / "locale"


def test_german_catalogue_is_complete():
    catalogue = polib.pofile(str(LOCALE_DIR / "de" / "LC_MESSAGES" / "django.po"))
    untranslated = [entry.msgid for entry in catalogue.untranslated_entries()]
    fuzzy = [entry.msgid for entry in catalogue.fuzzy_entries()]
    assert untranslated == []
    assert fuzzy == []


@pytest.mark.parametrize("language", ["de", "en"])
def test_compiled_catalogues_match_their_sources(language):
    source = polib.pofile(str(LOCALE_DIR / language / "LC_MESSAGES" / "django.po"))
    compiled = polib.mofile(str(LOCALE_DIR / language / "LC_MESSAGES" / "django.mo"))
    translated_in_source = {e.msgid: e.msgstr for e in source.translated_entries()}
    compiled_entries = {e.msgid: e.msgstr for e in compiled if e.msgid}
    assert compiled_entries == translated_in_source, "run `make messages` to recompile"


def test_interface_strings_follow_the_active_language():
    with translation.override("de"):
        assert translation.gettext("Skip to main content") == "Zum Hauptinhalt springen"
    with translation.override("en"):
        assert translation.gettext("Skip to main content") == "Skip to main content"
