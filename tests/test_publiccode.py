"""publiccode.yml and the licence: what catalogues of public-sector software read.

Catalogues skip a publiccode.yml that lacks a key the standard (version 0.4) makes
mandatory, so a fork that edits the file learns here, not from a catalogue that quietly
drops it. The licence is stated three times (LICENSE, pyproject.toml, publiccode.yml); this
keeps them in step. Reads files only: no database.
"""

import datetime
import re
import tomllib
from pathlib import Path

import pytest
import yaml

ROOT = Path(__file__).resolve().parents[1]
LANGUAGES = ("de", "en")

# Mandatory in publiccode.yml 0.4 (releaseDate has been optional since 0.4; this project
# keeps it and checks it below).
TOP_LEVEL_KEYS = {
    "publiccodeYmlVersion",
    "name",
    "url",
    "platforms",
    "categories",
    "developmentStatus",
    "softwareType",
    "description",
    "legal",
    "maintenance",
    "localisation",
}
DESCRIPTION_KEYS = {"shortDescription", "longDescription", "features"}
LEGAL_KEYS = {"license"}
MAINTENANCE_KEYS = {"type"}
LOCALISATION_KEYS = {"localisationReady", "availableLanguages"}

DEVELOPMENT_STATUSES = {"concept", "development", "beta", "stable", "obsolete"}
SOFTWARE_TYPES = {
    "standalone/mobile",
    "standalone/iot",
    "standalone/desktop",
    "standalone/web",
    "standalone/backend",
    "standalone/other",
    "addon",
    "library",
    "configurationFiles",
}


@pytest.fixture(scope="module")
def publiccode():
    return yaml.safe_load((ROOT / "publiccode.yml").read_text(encoding="utf-8"))


def missing(section, keys):
    return sorted(key for key in keys if section.get(key) in (None, "", [], {}))


def test_every_mandatory_key_is_there(publiccode):
    assert missing(publiccode, TOP_LEVEL_KEYS) == []
    for language in LANGUAGES:
        assert missing(publiccode["description"][language], DESCRIPTION_KEYS) == [], language
    assert missing(publiccode["legal"], LEGAL_KEYS) == []
    assert missing(publiccode["maintenance"], MAINTENANCE_KEYS) == []
    assert missing(publiccode["localisation"], LOCALISATION_KEYS) == []


def test_the_values_are_of_the_standard(publiccode):
    assert publiccode["publiccodeYmlVersion"] == "0.4"
    assert publiccode["url"].startswith("https://")
    assert publiccode["developmentStatus"] in DEVELOPMENT_STATUSES
    assert publiccode["softwareType"] in SOFTWARE_TYPES
    assert isinstance(publiccode["localisation"]["localisationReady"], bool)


def test_maintenance_names_whom_its_type_needs(publiccode):
    maintenance = publiccode["maintenance"]
    kind = maintenance["type"]
    assert kind in {"internal", "contract", "community", "none"}
    if kind in {"internal", "community"}:
        assert maintenance.get("contacts")
        assert all(contact.get("name") for contact in maintenance["contacts"])
    if kind == "contract":
        assert maintenance.get("contractors")
        for contractor in maintenance["contractors"]:
            assert contractor.get("name")
            datetime.date.fromisoformat(contractor["until"])


@pytest.mark.parametrize("language", LANGUAGES)
def test_descriptions_keep_to_their_lengths(publiccode, language):
    description = publiccode["description"][language]
    assert len(description["shortDescription"]) <= 150
    assert 150 <= len(description["longDescription"]) <= 10000
    assert all(isinstance(feature, str) and feature for feature in description["features"])
    for screenshot in description.get("screenshots", []):
        assert (ROOT / screenshot).is_file(), screenshot


def test_both_languages_are_available(publiccode):
    assert {"de", "en"} <= set(publiccode["localisation"]["availableLanguages"])


def test_the_release_date_is_an_iso_date(publiccode):
    release_date = publiccode["releaseDate"]
    assert isinstance(release_date, str), "quote it: the standard wants a string"
    assert re.fullmatch(r"\d{4}-\d{2}-\d{2}", release_date)
    datetime.date.fromisoformat(release_date)


def test_the_licence_is_the_eupl_everywhere(publiccode):
    pyproject = tomllib.loads((ROOT / "pyproject.toml").read_text(encoding="utf-8"))
    assert publiccode["legal"]["license"] == "EUPL-1.2"
    assert pyproject["project"]["license"] == publiccode["legal"]["license"]
    assert pyproject["project"]["license-files"] == ["LICENSE"]
    licence = (ROOT / "LICENSE").read_text(encoding="utf-8")
    assert licence.startswith(
        "EUROPEAN UNION PUBLIC LICENCE v. 1.2\nEUPL © the European Union 2007, 2016\n"
    )
    assert "15.Applicable Law" in licence
    assert "‘Compatible Licences’ according to Article 5 EUPL are:" in licence
