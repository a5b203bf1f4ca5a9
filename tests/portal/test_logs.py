"""Operations logs: JSON lines, and request lines without identifiable client addresses."""

import json
import logging

import pytest

from portal.delivery.logs import JsonFormatter, anonymise_ip


@pytest.mark.parametrize(
    ("address", "expected"),
    [
        ("203.0.113.77", "203.0.113.0"),
        ("10.1.2.3", "10.1.2.0"),
        ("2001:db8:abcd:12:1:2:3:4", "2001:db8:abcd::"),
        ("not an address", ""),
        ("", ""),
    ],
)
def test_client_addresses_are_shortened(address, expected):
    assert anonymise_ip(address) == expected


def test_each_request_is_logged_without_query_string_or_full_address(client, demo, caplog):
    with caplog.at_level(logging.INFO, logger="portal.requests"):
        client.get("/de/suche/?q=Frau+M%C3%BCller", REMOTE_ADDR="198.51.100.23")
    [record] = [r for r in caplog.records if r.name == "portal.requests"]
    assert (record.method, record.path, record.status) == ("GET", "/de/suche/", 200)
    assert record.client == "198.51.100.0"
    assert "Müller" not in record.getMessage() and "198.51.100.23" not in str(vars(record))
    line = json.loads(JsonFormatter().format(record))
    assert line["client"] == "198.51.100.0"
    assert line["level"] == "INFO" and line["logger"] == "portal.requests"
    assert isinstance(line["duration_ms"], float)


def test_exceptions_become_one_json_line():
    try:
        raise ValueError("kaputt")
    except ValueError:
        import sys

        record = logging.LogRecord("x", logging.ERROR, "", 0, "failed", None, sys.exc_info())
    output = JsonFormatter().format(record)
    assert "\n" not in output
    assert "ValueError: kaputt" in json.loads(output)["exception"]


def test_production_logs_json_and_reports_errors_only_when_configured():
    from tests.security.test_headers import production

    output = production(
        "import json; from django.conf import settings as s;"
        "print(json.dumps([s.LOGGING['handlers']['console']['formatter'],"
        " s.LOGGING['loggers']['portal.requests']['level'], s.SENTRY_DSN]))"
    )
    assert json.loads(output.strip().splitlines()[-1]) == ["json", "INFO", None]


def test_secret_links_from_e_mails_are_not_logged(client, demo, caplog):
    with caplog.at_level(logging.INFO, logger="portal.requests"):
        client.get("/review/abc123-secret-token/")
        client.get("/de/werkstaetten/x/register/cancel/deadbeef-123-signature/")
    paths = [r.path for r in caplog.records if r.name == "portal.requests"]
    assert paths == ["/review/…/", "/de/werkstaetten/x/register/cancel/…/"]
    assert not any("secret" in JsonFormatter().format(r) for r in caplog.records)
