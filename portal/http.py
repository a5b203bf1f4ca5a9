"""Request helpers shared by rate limits, login lockout and logs."""

import ipaddress

from django.conf import settings


def client_ip(request) -> str:
    """The visitor's IP address, honouring PORTAL_TRUSTED_PROXY_COUNT reverse proxies.

    Each trusted proxy appends the address it received the request from to
    X-Forwarded-For, so with N proxies the client is the N-th entry from the right;
    anything left of it could have been sent by the client itself and is ignored.
    """
    remote_addr = request.META.get("REMOTE_ADDR", "")
    proxy_count = settings.PORTAL_TRUSTED_PROXY_COUNT
    if proxy_count <= 0:
        return remote_addr
    forwarded = [
        entry.strip()
        for entry in request.META.get("HTTP_X_FORWARDED_FOR", "").split(",")
        if entry.strip()
    ]
    if not forwarded:
        return remote_addr
    candidate = forwarded[-proxy_count] if len(forwarded) >= proxy_count else forwarded[0]
    try:
        return str(ipaddress.ip_address(candidate))
    except ValueError:
        return remote_addr
