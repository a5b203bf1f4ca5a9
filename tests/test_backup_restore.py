"""Backup and restore on PostgreSQL: bin/backup dumps the demo portal, bin/restore brings it
back into an empty database, and everything a municipality would miss after a disaster is
still there — pages in both languages, revisions, running workflows, site settings,
registrations, uploads — and the site renders the same.

pg_dump and pg_restore are other processes and see only committed rows, so this test commits
(no test transaction, as in tests/events/test_registration_postgres.py) and removes what it
added in a finally block.
"""

import json
import os
import re
import shutil
import subprocess
import sys
import uuid
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path
from urllib.parse import quote

import psycopg
import pytest
from django.apps import apps
from django.conf import settings
from django.contrib.auth import get_user_model
from django.core.files.base import ContentFile
from django.db import connection
from psycopg import sql
from wagtail.contrib.settings.models import BaseGenericSetting, BaseSiteSetting
from wagtail.documents import get_document_model
from wagtail.images import get_image_model
from wagtail.models import Locale, Page, PageLogEntry, Revision, TaskState, WorkflowState
from wagtail.users.models import UserProfile

from events.models import EventPage, Registration
from labs.models import LabPage

REPO = Path(__file__).resolve().parent.parent
SCRIPT_TIMEOUT = 120

# Runs in `manage.py shell` against one database. Renditions and anything else a request
# writes are rolled back, so rendering leaves the source database as it was.
RENDER = """
import json, os
from django.db import transaction
from django.test import Client, override_settings
from wagtail.models import Site

site = Site.objects.get(is_default_site=True)
host = site.hostname if site.port in (80, 443) else f"{site.hostname}:{site.port}"
rendered = {}
with override_settings(MEDIA_ROOT=os.environ["RENDER_MEDIA_ROOT"]), transaction.atomic():
    client = Client(HTTP_HOST=host)
    for path in json.loads(os.environ["RENDER_PATHS"]):
        response = client.get(path)
        rendered[path] = [response.status_code, response.content.decode()]
    transaction.set_rollback(True)
print("RENDERED " + json.dumps(rendered))
"""

# Per request: CSP nonces and CSRF tokens.
VOLATILE = [
    (re.compile(r'nonce="[^"]*"'), 'nonce=""'),
    (re.compile(r'(name="csrfmiddlewaretoken"\s+value=)"[^"]*"'), r'\1""'),
    (re.compile(r'(value=)"[^"]*"(\s+name="csrfmiddlewaretoken")'), r'\1""\2'),
]


def database_url(name: str) -> str:
    conf = connection.settings_dict
    credentials = quote(conf["USER"] or "", safe="")
    if conf["PASSWORD"]:
        credentials += ":" + quote(conf["PASSWORD"], safe="")
    host = conf["HOST"] or ""
    if conf["PORT"]:
        host += f":{conf['PORT']}"
    return f"postgres://{credentials}@{host}/{quote(name, safe='')}"


def run(command: list, env: dict) -> subprocess.CompletedProcess:
    return subprocess.run(
        [str(part) for part in command],
        env={**os.environ, **env},
        cwd=REPO,
        capture_output=True,
        text=True,
        timeout=SCRIPT_TIMEOUT,
        check=False,
    )


def table(model) -> str:
    return model._meta.db_table


def census(url: str) -> dict:
    """What must survive, counted (and for the small tables fingerprinted) with SQL, so the
    source and the restored database are read the same way."""
    settings_models = [
        model
        for model in apps.get_models()
        if issubclass(model, BaseSiteSetting | BaseGenericSetting)
    ]
    page, locale = table(Page), table(Locale)
    with psycopg.connect(url, autocommit=True) as db:

        def rows(query, *identifiers):
            query = sql.SQL(query).format(*map(sql.Identifier, identifiers))
            return db.execute(query).fetchall()

        def count(name):
            return rows("SELECT count(*) FROM {}", name)[0][0]

        def fingerprint(name):
            # md5 of every row as text: equal only if the rows are equal, ids included
            return rows(
                "SELECT count(*), md5(string_agg(t::text, '|' ORDER BY t::text)) FROM {} t", name
            )[0]

        def grouped(query, *identifiers):
            return dict(rows(query, *identifiers))

        tables = [
            name
            for (name,) in rows(
                "SELECT tablename FROM pg_tables WHERE schemaname = current_schema() ORDER BY 1"
            )
        ]
        return {
            "pages per locale": grouped(
                "SELECT l.language_code, count(*) FROM {} p JOIN {} l ON l.id = p.locale_id "
                "GROUP BY 1",
                page,
                locale,
            ),
            "live pages per locale": grouped(
                "SELECT l.language_code, count(*) FROM {} p JOIN {} l ON l.id = p.locale_id "
                "WHERE p.live GROUP BY 1",
                page,
                locale,
            ),
            "revisions": count(table(Revision)),
            "workflow states by status": grouped(
                "SELECT status, count(*) FROM {} GROUP BY 1", table(WorkflowState)
            ),
            "task states by status": grouped(
                "SELECT status, count(*) FROM {} GROUP BY 1", table(TaskState)
            ),
            "registrations by status": grouped(
                "SELECT status, count(*) FROM {} GROUP BY 1", table(Registration)
            ),
            "images": count(table(get_image_model())),
            "documents": count(table(get_document_model())),
            "users": count(table(get_user_model())),
            "site settings": {table(model): fingerprint(table(model)) for model in settings_models},
            "content": {
                name: fingerprint(name)
                for name in [
                    table(WorkflowState),
                    table(TaskState),
                    table(Registration),
                    table(get_document_model()),
                ]
            },
            "rows per table": {name: count(name) for name in tables},
        }


def render(url: str, media_root: Path, paths: list[str]) -> dict:
    result = run(
        [sys.executable, "manage.py", "shell", "-c", RENDER],
        {
            "DJANGO_SETTINGS_MODULE": "portal.settings.test",
            "DATABASE_URL": url,
            "RENDER_MEDIA_ROOT": str(media_root),
            "RENDER_PATHS": json.dumps(paths),
        },
    )
    assert result.returncode == 0, result.stderr
    line = next(line for line in result.stdout.splitlines() if line.startswith("RENDERED "))
    rendered = json.loads(line.removeprefix("RENDERED "))
    for path, (status, html) in rendered.items():
        for pattern, replacement in VOLATILE:
            html = pattern.sub(replacement, html)
        rendered[path] = (status, html)
    return rendered


def files_in(folder: Path) -> dict:
    return {
        str(path.relative_to(folder)): path.read_bytes()
        for path in sorted(folder.rglob("*"))
        if path.is_file()
    }


def add_what_the_demo_lacks(undo: list):
    """A page in a running workflow and a document: the demo has neither. Appends the undo
    steps to `undo` as it goes, so a failure half-way is cleaned up too. Registrations and
    site settings come with the demo; if it ever stops providing them, this test must fail
    rather than compare zeros."""
    german = Locale.objects.get(language_code=settings.LANGUAGE_CODE)
    assert Registration.objects.exists(), "the demo should contain registrations"
    assert apps.get_model("portal", "PortalSettings").objects.exists(), "no demo site settings"
    page = Page.objects.get(url_path="/home/ueber-das-projekt/", locale=german).specific
    author = get_user_model().objects.get(username="redaktion")
    last_log_entry = PageLogEntry.objects.order_by("-pk").values_list("pk", flat=True).first()
    before = set(WorkflowState.objects.values_list("pk", flat=True))
    profiles = set(UserProfile.objects.values_list("pk", flat=True))
    undo.append(lambda: PageLogEntry.objects.filter(pk__gt=last_log_entry or 0).delete())
    # Wagtail creates profiles for the recipients of its notification mails
    undo.append(lambda: UserProfile.objects.exclude(pk__in=profiles).delete())
    # its task states go with it
    undo.append(lambda: WorkflowState.objects.exclude(pk__in=before).delete())
    page.get_workflow().start(page, author)
    assert page.workflow_in_progress

    document = get_document_model().objects.create(
        title="Backup check", file=ContentFile(b"Protokoll der Laborsitzung", name="protokoll.txt")
    )
    undo.append(document.delete)  # Wagtail deletes the file too


def pages_to_render() -> list[str]:
    german = Locale.objects.get(language_code=settings.LANGUAGE_CODE)
    english = Locale.objects.get(language_code="en")
    home = Page.objects.get(depth=2, locale=german)
    lab = LabPage.objects.live().filter(locale=german).order_by("path").first()
    # The workshop with registrations: its seat counter reads them
    event = EventPage.objects.get(pk=Registration.objects.values("event_id").first()["event_id"])
    paths = [
        home.get_url(),
        home.get_translation(english).get_url(),
        lab.get_url(),
        lab.get_translation(english).get_url(),
        event.get_url(),
        "/sitemap.xml",
    ]
    assert all(paths), paths
    return paths


def copy_media(source: Path, target: Path):
    """The uploads without their renditions: rendering then writes renditions under the same
    names into both media folders (leftovers from other tests would get random suffixes)."""

    def skip_renditions(folder, names):
        return {"images"} if Path(folder) == source else set()

    shutil.copytree(source, target, ignore=skip_renditions)


@pytest.mark.postgres
def test_backup_restores_the_whole_portal_into_an_empty_database(
    django_db_setup, django_db_blocker, tmp_path
):
    assert connection.vendor == "postgresql"
    source_url = database_url(connection.settings_dict["NAME"])
    # PostgreSQL cuts names at 63 bytes; a cut name would not be found by the scripts
    restored_name = f"{connection.settings_dict['NAME'][:40]}_restored_{uuid.uuid4().hex[:8]}"
    restored_url = database_url(restored_name)
    untouched = census(source_url)["rows per table"]
    undo = []
    try:
        with django_db_blocker.unblock():
            add_what_the_demo_lacks(undo)
            paths = pages_to_render()
        source_media, restored_media = tmp_path / "media", tmp_path / "media-restored"
        copy_media(Path(settings.MEDIA_ROOT), source_media)
        (source_media / "backup-check").mkdir()
        (source_media / "backup-check" / "marker.txt").write_text(uuid.uuid4().hex)

        backup = run(
            [REPO / "bin" / "backup", tmp_path / "backups"],
            {"DATABASE_URL": source_url, "DJANGO_MEDIA_ROOT": str(source_media)},
        )
        assert backup.returncode == 0, backup.stderr
        [backup_dir] = (tmp_path / "backups").iterdir()  # no leftover work folder either
        assert {path.name for path in backup_dir.iterdir()} == {
            "database.dump",
            "media.tar.gz",
            "manifest.txt",
        }
        manifest = (backup_dir / "manifest.txt").read_text()
        assert "git_revision: " in manifest and "  database.dump" in manifest
        assert "://" not in manifest  # host and name only, never DATABASE_URL's credentials
        source = census(source_url)

        with psycopg.connect(source_url, autocommit=True) as db:
            db.execute(sql.SQL("CREATE DATABASE {}").format(sql.Identifier(restored_name)))
        try:
            restore_env = {"DATABASE_URL": restored_url, "DJANGO_MEDIA_ROOT": str(restored_media)}
            restore = run([REPO / "bin" / "restore", backup_dir], restore_env)
            assert restore.returncode == 0, restore.stderr
            assert "Restored the database" in restore.stdout

            restored = census(restored_url)
            assert source["pages per locale"].keys() == {"de", "en"}
            assert source["workflow states by status"].get("in_progress", 0) >= 1
            assert source["task states by status"].get("in_progress", 0) >= 1
            assert source["registrations by status"]
            assert source["documents"] >= 1 and source["images"] >= 1
            for item, value in source.items():
                assert restored[item] == value, item
            assert files_in(restored_media) == files_in(source_media)

            # In parallel: each is a Django start-up plus renditions, several seconds
            with ThreadPoolExecutor(max_workers=2) as pool:
                sources, copies = pool.map(
                    render,
                    [source_url, restored_url],
                    [source_media, restored_media],
                    [paths, paths],
                )
            for path in paths:
                assert sources[path][0] == 200, path
                assert copies[path] == sources[path], path

            # A second restore must not mix two portals, unless asked to replace the first.
            again = run([REPO / "bin" / "restore", backup_dir], restore_env)
            assert again.returncode != 0
            assert "already holds" in again.stderr
            forced = run([REPO / "bin" / "restore", "--force", backup_dir], restore_env)
            assert forced.returncode == 0, forced.stderr
            assert census(restored_url) == restored
        finally:
            with psycopg.connect(source_url, autocommit=True) as db:
                db.execute(
                    sql.SQL("DROP DATABASE IF EXISTS {} WITH (FORCE)").format(
                        sql.Identifier(restored_name)
                    )
                )
    finally:
        with django_db_blocker.unblock():
            for step in reversed(undo):
                step()
    assert census(source_url)["rows per table"] == untouched, "the test left rows behind"


def test_scripts_explain_themselves_and_refuse_other_databases(tmp_path):
    for script in ["backup", "restore"]:
        help_text = run([REPO / "bin" / script, "--help"], {})
        assert help_text.returncode == 0
        assert help_text.stdout.startswith(f"Usage: bin/{script}")
        assert "DATABASE_URL" in help_text.stdout
        sqlite = run([REPO / "bin" / script, tmp_path], {"DATABASE_URL": "sqlite:///db.sqlite3"})
        assert sqlite.returncode != 0
        assert "postgres://" in sqlite.stderr
    assert not any(tmp_path.iterdir())
