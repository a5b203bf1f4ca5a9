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


def absolute_url(request, url: str) -> str:
    """`url` (a path) on the site's configured address (`Site.root_url`), never on the
    scheme, host or port a request claims (X-Forwarded-Proto through a proxy that passes it
    on): a cached page shows every visitor the same canonical, hreflang and feed links."""
    if "://" in url:  # Wagtail gives a page of another site with its own root URL
        return url
    from wagtail.models import Site

    site = Site.find_for_request(request)
    base = site.root_url if site else settings.WAGTAILADMIN_BASE_URL
    return base.rstrip("/") + url


def rate_limited(scope: str, identifier: str, limit: int, window: int = 3600) -> bool:
    """Count one attempt for `identifier` and say whether it exceeds `limit` per `window`
    seconds, counted for all workers and instances alike (portal/delivery/limits.py: in
    Redis, or in the database without it and while it is down)."""
    from .limits import hit

    return hit(scope, identifier, window) > limit


def private(response):
    """A page with a personal link or form data: not cached, not indexed, and the link in
    its address is not sent on as Referer."""
    from django.utils.cache import add_never_cache_headers

    add_never_cache_headers(response)
    response["Referrer-Policy"] = "no-referrer"
    response["X-Robots-Tag"] = "noindex"
    return response
