"""12-factor settings: typed environment reading and production refusing to start."""

import os
import re
import subprocess
import sys
from pathlib import Path

import pytest

from portal.settings import env
from tests.helpers import PRODUCTION_ESSENTIALS

REPO = Path(__file__).resolve().parents[2]


@pytest.mark.parametrize(
    ("raw", "expected"),
    [("1", True), ("true", True), ("Yes", True), ("0", False), ("False", False), ("", False)],
)
def test_booleans_are_parsed_explicitly(monkeypatch, raw, expected):
    monkeypatch.setenv("PORTAL_FLAG", raw)
    assert env.get_bool("PORTAL_FLAG") is expected


def test_a_malformed_boolean_names_the_variable(monkeypatch):
    monkeypatch.setenv("PORTAL_FLAG", "maybe")
    with pytest.raises(env.ConfigurationError, match="PORTAL_FLAG"):
        env.get_bool("PORTAL_FLAG")


def test_lists_drop_blanks(monkeypatch):
    monkeypatch.setenv("DJANGO_ALLOWED_HOSTS", " portal.example.org, ,www.example.org ")
    assert env.get_list("DJANGO_ALLOWED_HOSTS") == ["portal.example.org", "www.example.org"]


@pytest.mark.parametrize("url", ["nonsense", "foo://host/db", "postgres://user@host:port/db"])
def test_malformed_database_urls_are_rejected_without_echoing_them(monkeypatch, url):
    monkeypatch.setenv("DATABASE_URL", url)
    with pytest.raises(env.ConfigurationError) as error:
        env.get_database("DATABASE_URL")
    assert "DATABASE_URL" in str(error.value)
    assert "user@host" not in str(error.value)


def run_production_check(**variables):
    clean = {
        k: v
        for k, v in os.environ.items()
        if not k.startswith(("DJANGO_", "DATABASE_", "WAGTAILADMIN_"))
    }
    clean.update(DJANGO_SETTINGS_MODULE="portal.settings.production", **variables)
    return subprocess.run(
        [sys.executable, "manage.py", "check", "--deploy"],
        cwd=REPO,
        env=clean,
        capture_output=True,
        text=True,
        timeout=120,
    )


def test_production_refuses_to_start_without_a_secret_key():
    result = run_production_check(
        DJANGO_ALLOWED_HOSTS="portal.example.org", DATABASE_URL="sqlite:///:memory:"
    )
    assert result.returncode == 1
    assert result.stderr.strip().splitlines() == [
        "Configuration error: DJANGO_SECRET_KEY must be set (see .env.example and the README)."
    ]


def test_production_refuses_a_malformed_database_url_in_one_line():
    result = run_production_check(
        DJANGO_SECRET_KEY="x" * 50,
        DJANGO_ALLOWED_HOSTS="portal.example.org",
        DATABASE_URL="mysql//broken",
    )
    assert result.returncode == 1
    lines = result.stderr.strip().splitlines()
    assert len(lines) == 1
    assert "DATABASE_URL" in lines[0]
    assert "Traceback" not in result.stderr


def test_production_starts_with_the_required_variables():
    result = run_production_check(
        **PRODUCTION_ESSENTIALS,
        DJANGO_EMAIL_HOST="smtp.example.org",
    )
    assert result.returncode == 0, result.stderr


def test_production_needs_the_public_address():
    result = run_production_check(
        DJANGO_SECRET_KEY="a-long-random-production-secret-" + "k" * 40,
        DJANGO_ALLOWED_HOSTS="portal.example.org",
        DATABASE_URL="sqlite:///:memory:",
    )
    assert result.returncode == 1
    assert "WAGTAILADMIN_BASE_URL must be set" in result.stderr


def test_email_settings_take_the_form_this_django_reads():
    import django

    from portal.settings.base import email_settings

    smtp = email_settings(
        "django.core.mail.backends.smtp.EmailBackend",
        {"host": "smtp.example.org", "port": 587, "username": "lab", "password": "pw"},
    )
    if django.VERSION >= (6, 1):
        assert smtp == {
            "MAILERS": {
                "default": {
                    "BACKEND": "django.core.mail.backends.smtp.EmailBackend",
                    "OPTIONS": {
                        "host": "smtp.example.org",
                        "port": 587,
                        "username": "lab",
                        "password": "pw",
                    },
                }
            }
        }
    else:
        assert smtp == {
            "EMAIL_BACKEND": "django.core.mail.backends.smtp.EmailBackend",
            "EMAIL_HOST": "smtp.example.org",
            "EMAIL_PORT": 587,
            "EMAIL_HOST_USER": "lab",
            "EMAIL_HOST_PASSWORD": "pw",
        }


def test_mail_sent_in_tests_is_captured(mailoutbox):
    from django.core.mail import send_mail

    send_mail("Anmeldung", "Danke", None, ["gast@example.org"])
    assert [message.subject for message in mailoutbox] == ["Anmeldung"]


def test_the_dev_console_prints_mails_readably():
    import io

    from django.core.mail import EmailMessage

    from portal.delivery.console_mail import ReadableConsoleBackend

    stream = io.StringIO()
    link = "https://portal.example.org/de/register/confirm/" + "a" * 120 + "/"
    message = EmailMessage(
        "Bitte bestätigen", f"Guten Tag,\n\n{link}\n", "p@example.org", ["x@example.org"]
    )
    ReadableConsoleBackend(stream=stream).send_messages([message])
    output = stream.getvalue()
    assert link in output and "Subject: Bitte bestätigen" in output


def test_gunicorn_trusts_exactly_the_configured_proxies():
    """gunicorn believes X-Forwarded-Proto only from these addresses; the README documents
    the variable beside PORTAL_TRUSTED_PROXY_COUNT."""
    from pathlib import Path

    processes = dict(
        line.split(": ", 1) for line in Path("Procfile").read_text().splitlines() if line
    )
    assert (
        '--forwarded-allow-ips "${PORTAL_FORWARDED_ALLOW_IPS:-127.0.0.1,::1}"' in (processes["web"])
    )
    assert "`PORTAL_FORWARDED_ALLOW_IPS`" in Path("README.md").read_text()


# env.get_str("NAME" …), env.get_int(…), get_database(…): every way the settings read a variable
ENV_READ = re.compile(r"\bget_(?:str|bool|int|list|database)\(\s*\"([A-Z][A-Z0-9_]*)\"")


def variables_the_settings_read() -> set[str]:
    names = set()
    for module in (REPO / "portal" / "settings").glob("*.py"):
        names |= set(ENV_READ.findall(module.read_text()))
    return names


def test_the_settings_reading_is_found():
    """The collector below must see the settings' variables, or it would check nothing."""
    found = variables_the_settings_read()
    assert {"DJANGO_SECRET_KEY", "DATABASE_URL", "DATABASE_CONN_MAX_AGE", "REDIS_URL"} <= found
    assert len(found) > 40


def test_every_variable_the_settings_read_is_in_the_readme_table_and_env_example():
    readme_rows = [
        line for line in (REPO / "README.md").read_text().splitlines() if line.startswith("| `")
    ]
    in_readme = {name for row in readme_rows for name in re.findall(r"`([A-Z][A-Z0-9_]+)`", row)}
    in_example = set(
        re.findall(r"^#?\s*([A-Z][A-Z0-9_]+)=", (REPO / ".env.example").read_text(), re.M)
    )
    read = variables_the_settings_read()
    assert sorted(read - in_readme) == [], "missing from the README's configuration table"
    assert sorted(read - in_example) == [], "missing from .env.example"
