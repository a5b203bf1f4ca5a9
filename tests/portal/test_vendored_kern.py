"""The vendored KERN UX files are the pinned release's, unchanged, with their licences."""

import hashlib
import re
from pathlib import Path

VENDOR = Path(__file__).resolve().parents[2] / "portal" / "static" / "vendor" / "kern"
CHECKSUM_LINE = re.compile(r"^([0-9a-f]{64})  \./(\S+)$", re.MULTILINE)


def listed_checksums() -> dict[str, str]:
    text = (VENDOR / "VENDORED.md").read_text(encoding="utf-8")
    return {path: digest for digest, path in CHECKSUM_LINE.findall(text)}


def test_every_vendored_file_matches_its_checksum_in_vendored_md():
    listed = listed_checksums()
    on_disk = {
        path.relative_to(VENDOR).as_posix()
        for path in VENDOR.rglob("*")
        if path.is_file() and path.name != "VENDORED.md"
    }
    assert on_disk == set(listed), "a file is missing from VENDORED.md, or listed but absent"
    for path, digest in listed.items():
        assert hashlib.sha256((VENDOR / path).read_bytes()).hexdigest() == digest, path


def test_the_pinned_version_and_both_licences_are_there():
    text = (VENDOR / "VENDORED.md").read_text(encoding="utf-8")
    assert re.search(r"\| version \| \*\*2\.\d+\.\d+\*\*", text), "one exact 2.x version"
    assert "EUROPÄISCHE UNION PUBLIC LICENCE v. 1.2" in (VENDOR / "LICENSE.md").read_text()
    assert "SIL OPEN FONT LICENSE" in (VENDOR / "fonts" / "OFL.txt").read_text()


def test_every_font_the_portal_declares_is_vendored():
    css = (VENDOR.parents[1] / "css" / "portal.css").read_text(encoding="utf-8")
    fonts = re.findall(r'url\("\.\./vendor/kern/([^"]+\.woff2)"\)', css)
    assert len(fonts) >= 4
    for font in fonts:
        assert (VENDOR / font).is_file(), font
