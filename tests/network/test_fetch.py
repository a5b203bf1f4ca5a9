"""The SSRF guard every outgoing request goes through."""

import time

import pytest
from wagtail.models import Site

from network.fetch import FetchError, Refused, TooLarge, is_allowed_address, request
from network.models import BlockedDomain


@pytest.mark.parametrize(
    ("address", "allowed"),
    [
        ("127.0.0.1", True),  # the tests' allow-list
        ("127.0.0.2", False),
        ("10.1.2.3", False),
        ("172.16.0.1", False),
        ("192.168.178.1", False),
        ("169.254.169.254", False),  # cloud metadata
        ("100.64.0.1", False),  # carrier-grade NAT
        ("224.0.0.251", False),
        ("0.0.0.0", False),  # noqa: S104 (an address refused, not bound)
        ("::1", False),
        ("fe80::1", False),
        ("fc00::1", False),
        ("ff02::1", False),
        ("::ffff:10.0.0.1", False),
        ("8.8.8.8", True),
        ("2a00:1450:4001::1", True),
    ],
)
def test_only_public_addresses_and_the_allow_list_pass(address, allowed):
    assert is_allowed_address(address) is allowed


def test_loopback_is_refused_without_the_allow_list(remote_server, settings, db):
    remote_server.documents["/x"] = {"ok": True}
    settings.PORTAL_NETWORK_ALLOWED_ADDRESSES = []
    with pytest.raises(Refused):
        request("GET", f"{remote_server.base}/x")
    assert remote_server.fetched == []


@pytest.mark.parametrize("answers", [["10.0.0.5"], ["93.184.215.14", "192.168.0.1"]])
def test_a_name_resolving_to_a_private_address_is_refused(db, monkeypatch, answers):
    """Also when only one of its addresses is private (the connection could go there)."""
    import socket

    def resolver(host, port, *args, **kwargs):
        return [(socket.AF_INET, socket.SOCK_STREAM, 6, "", (ip, port)) for ip in answers]

    monkeypatch.setattr(socket, "getaddrinfo", resolver)
    with pytest.raises(Refused):
        request("GET", "https://intranet.example/")


@pytest.mark.parametrize("url", ["file:///etc/passwd", "gopher://x/", "ftp://x/", "http://u:p@x/"])
def test_other_schemes_and_credentials_are_refused(url, db):
    with pytest.raises(Refused):
        request("GET", url)


def test_a_redirect_to_a_private_address_is_refused(remote_server, db):
    remote_server.documents["/go"] = (302, {"Location": "http://127.0.0.2:1/secret"}, b"")
    with pytest.raises(Refused):
        request("GET", f"{remote_server.base}/go")


def test_redirects_are_followed_by_hand(remote_server, db):
    remote_server.documents["/go"] = (301, {"Location": "/there"}, b"")
    remote_server.documents["/there"] = (200, {}, b"here")
    response = request("GET", f"{remote_server.base}/go")
    assert response.body == b"here"
    assert response.url.endswith("/there")


def test_endless_redirects_stop(remote_server, db):
    remote_server.documents["/loop"] = (302, {"Location": "/loop"}, b"")
    with pytest.raises(FetchError, match="too many redirects"):
        request("GET", f"{remote_server.base}/loop")


def test_a_body_that_never_ends_is_cut_off(remote_server, db, settings):
    settings.PORTAL_NETWORK_MAX_BYTES = 100_000

    def endless(handler):
        handler.send_response(200)
        handler.send_header("Content-Type", "text/calendar")
        handler.end_headers()
        try:
            while True:
                handler.wfile.write(b"BEGIN:VEVENT\r\n" * 1000)
        except (BrokenPipeError, ConnectionResetError):
            pass

    remote_server.documents["/endless"] = endless
    with pytest.raises(TooLarge):
        request("GET", f"{remote_server.base}/endless")


def test_a_declared_oversized_body_is_not_read(remote_server, db, settings):
    settings.PORTAL_NETWORK_MAX_BYTES = 10
    remote_server.documents["/big"] = (200, {}, b"x" * 100)
    with pytest.raises(TooLarge):
        request("GET", f"{remote_server.base}/big")


def test_a_slow_server_times_out(remote_server, db, settings):
    settings.PORTAL_NETWORK_TIMEOUT = 1

    def slow(handler):
        time.sleep(3)

    remote_server.documents["/slow"] = slow
    started = time.monotonic()
    with pytest.raises(FetchError):
        request("GET", f"{remote_server.base}/slow")
    assert time.monotonic() - started < 2.5


def test_blocked_domains_are_never_contacted(remote_server, demo):
    site = Site.objects.get(is_default_site=True)
    remote_server.documents["/x"] = {"ok": True}
    BlockedDomain.objects.create(site=None, domain="127.0.0.1")
    with pytest.raises(Refused, match="blocked"):
        request("GET", f"{remote_server.base}/x", site=site)
    assert remote_server.fetched == []


def test_a_domain_blocks_its_subdomains(demo):
    site = Site.objects.get(is_default_site=True)
    BlockedDomain.objects.create(site=site, domain="spam.example")
    assert BlockedDomain.blocks("spam.example", site)
    assert BlockedDomain.blocks("a.b.spam.example", site)
    assert not BlockedDomain.blocks("notspam.example", site)
    assert not BlockedDomain.blocks("spam.example", None)  # another site's block
