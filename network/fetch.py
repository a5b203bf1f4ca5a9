"""Every request the network sends (fetching an actor, a key, a feed; delivering an
activity) goes through `request`, the SSRF guard:

- the host must not be blocked (BlockedDomain) and its name is resolved first: every
  address must be public (no loopback, private, link-local, multicast, reserved ranges)
  unless it is in PORTAL_NETWORK_ALLOWED_ADDRESSES (tests allow 127.0.0.1);
- the connection goes to the address that was checked (no second lookup an attacker's DNS
  could answer differently), with the host name for TLS and the Host header;
- redirects are followed by hand, each hop checked the same way;
- PORTAL_NETWORK_TIMEOUT seconds for the whole exchange, and at most `max_bytes` read.
"""

import dataclasses
import ipaddress
import socket
import time
from collections.abc import Callable
from urllib.parse import urljoin, urlsplit

import certifi
import urllib3
from django.conf import settings

from .models import BlockedDomain

REDIRECTS = {301, 302, 303, 307, 308}
MAX_REDIRECTS = 5
USER_AGENT = "KoSI-Lab-Portal/0.1 (network of labs)"


class FetchError(Exception):
    """The request could not be made or answered (the message says why)."""


class Refused(FetchError):
    """The guard refused the address: private, blocked, or not http(s)."""


class TooLarge(FetchError):
    pass


@dataclasses.dataclass
class Response:
    status: int
    headers: dict  # lower-case names
    body: bytes
    url: str  # after redirects

    def json(self):
        import json

        return json.loads(self.body)


def allowed_networks() -> list:
    return [
        ipaddress.ip_network(entry, strict=False)
        for entry in settings.PORTAL_NETWORK_ALLOWED_ADDRESSES
    ]


def is_allowed_address(address: str) -> bool:
    ip = ipaddress.ip_address(address)
    if ip.version == 6 and ip.ipv4_mapped:
        ip = ip.ipv4_mapped
    if any(ip in network for network in allowed_networks()):
        return True
    return ip.is_global and not ip.is_multicast


def resolve(host: str, port: int) -> str:
    """The address to connect to; refuses when any address of the name is not public (a
    name with one public and one private address could be steered to the private one)."""
    try:
        infos = socket.getaddrinfo(host, port, type=socket.SOCK_STREAM)
    except (socket.gaierror, UnicodeError) as error:
        raise FetchError(f"{host}: cannot resolve ({error})") from None
    addresses = [info[4][0] for info in infos]
    if not addresses:
        raise FetchError(f"{host}: no address")
    refused = [address for address in addresses if not is_allowed_address(address)]
    if refused:
        raise Refused(f"{host}: refused address {refused[0]}")
    return addresses[0]


def check_url(url: str, site=None) -> tuple:
    parts = urlsplit(url)
    if parts.scheme not in ("http", "https") or not parts.hostname:
        raise Refused(f"not an http(s) address: {url[:200]}")
    if parts.username or parts.password:
        raise Refused("addresses with credentials are refused")
    if BlockedDomain.blocks(parts.hostname, site):
        raise Refused(f"{parts.hostname}: blocked")
    port = parts.port or (443 if parts.scheme == "https" else 80)
    return parts, port


def request(
    method: str,
    url: str,
    *,
    headers: dict | None = None,
    body: bytes | None = None,
    site=None,
    max_bytes: int | None = None,
    sign: Callable[[str, str, dict, bytes | None], dict] | None = None,
) -> Response:
    """Send one request through the guard (see the module's docstring). `sign(method, url,
    headers, body)` returns the headers signed for each hop."""
    max_bytes = max_bytes or settings.PORTAL_NETWORK_MAX_BYTES
    deadline = time.monotonic() + settings.PORTAL_NETWORK_TIMEOUT
    headers = {"User-Agent": USER_AGENT, **(headers or {})}
    for _hop in range(MAX_REDIRECTS + 1):
        response = _one_hop(method, url, headers, body, site, max_bytes, deadline, sign)
        if response.status not in REDIRECTS:
            return response
        location = response.headers.get("location")
        if not location:
            return response
        url = urljoin(url, location)
        if response.status == 303 or (response.status in (301, 302) and method == "POST"):
            method, body = "GET", None
    raise FetchError("too many redirects")


def _one_hop(method, url, headers, body, site, max_bytes, deadline, sign) -> Response:
    parts, port = check_url(url, site)
    address = resolve(parts.hostname, port)
    remaining = deadline - time.monotonic()
    if remaining <= 0:
        raise FetchError("timed out")
    timeout = urllib3.Timeout(connect=remaining, read=remaining)
    default_port = 443 if parts.scheme == "https" else 80
    host_header = parts.hostname if port == default_port else f"{parts.hostname}:{port}"
    hop_headers = {**headers, "Host": host_header}
    if sign is not None:
        hop_headers = sign(method, url, hop_headers, body)
    if parts.scheme == "https":
        pool = urllib3.HTTPSConnectionPool(
            address,
            port,
            timeout=timeout,
            retries=False,
            server_hostname=parts.hostname,
            assert_hostname=parts.hostname,
            cert_reqs="CERT_REQUIRED",
            ca_certs=certifi.where(),
        )
    else:
        pool = urllib3.HTTPConnectionPool(address, port, timeout=timeout, retries=False)
    target = parts.path or "/"
    if parts.query:
        target += "?" + parts.query
    try:
        raw = pool.urlopen(
            method,
            target,
            body=body,
            headers=hop_headers,
            redirect=False,
            retries=False,
            preload_content=False,
            decode_content=True,
        )
        try:
            data = _read_capped(raw, max_bytes, deadline)
        finally:
            raw.release_conn()
    except urllib3.exceptions.HTTPError as error:
        raise FetchError(f"{parts.hostname}: {error.__class__.__name__}") from None
    finally:
        pool.close()
    return Response(
        status=raw.status,
        headers={name.lower(): value for name, value in raw.headers.items()},
        body=data,
        url=url,
    )


def _read_capped(raw, max_bytes: int, deadline: float) -> bytes:
    """The body, up to `max_bytes` and until the deadline: a body that never ends, or one
    that trickles in, is cut off."""
    declared = raw.headers.get("content-length")
    if declared and declared.isdigit() and int(declared) > max_bytes:
        raise TooLarge(f"body of {declared} bytes is over the limit of {max_bytes}")
    chunks, size = [], 0
    while True:
        if time.monotonic() > deadline:
            raise FetchError("timed out while reading")
        chunk = raw.read(65536)
        if not chunk:
            break
        size += len(chunk)
        if size > max_bytes:
            raise TooLarge(f"body over the limit of {max_bytes} bytes")
        chunks.append(chunk)
    return b"".join(chunks)
