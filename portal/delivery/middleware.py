"""Security headers that Django itself does not send."""

from functools import cached_property

from csp.constants import SELF
from csp.middleware import CSPMiddleware
from django.conf import settings
from django.middleware import locale
from django.urls import reverse


class ContentSecurityPolicyMiddleware(CSPMiddleware):
    """django-csp's middleware with a second, looser policy for Wagtail's admin.

    The admin gets its own policy instead of none (django-csp warns against excluding URL
    prefixes): it still loads nothing from other hosts and cannot be framed by them.
    A view's own policy (a django-csp decorator) wins over both.

    Previews (Wagtail's preview panel, the review link) render a page through the whole
    middleware stack for a dummy request; their policy is the public one, but they may be
    framed by this site.
    """

    @cached_property
    def admin_prefix(self) -> str:
        return reverse("wagtailadmin_home")

    def get_policy_parts(self, request, response, report_only=False):
        parts = super().get_policy_parts(request, response, report_only)
        if report_only or parts.config is not None:
            return parts
        if getattr(request, "is_preview", False):
            parts.replace = {**(parts.replace or {}), "frame-ancestors": [SELF]}
        elif request.path_info.startswith(self.admin_prefix):
            parts.config = settings.PORTAL_ADMIN_CONTENT_SECURITY_POLICY["DIRECTIVES"]
        return parts


def without_stray_content_encoding(get_response):
    """Drops `Content-Encoding: None`, the literal string Wagtail 8.0's sendfile helper sends
    with every document download whose file name implies no encoding; some clients and
    proxies reject it. tests/portal/test_uploads.py fails once Wagtail no longer does it,
    so this can go then."""

    def middleware(request):
        response = get_response(request)
        if response.get("Content-Encoding") == "None":
            del response["Content-Encoding"]
        return response

    return middleware


class PermissionsPolicyMiddleware:
    """Switches off browser features (camera, location, …) that no page uses, so neither
    a compromised page nor an embedded frame can ask visitors for them."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        response = self.get_response(request)
        response.headers.setdefault("Permissions-Policy", settings.PORTAL_PERMISSIONS_POLICY)
        return response


class LocaleMiddleware(locale.LocaleMiddleware):
    """Django's, except for the open data API (portal/api.py): its addresses have no
    language prefix on purpose (the language is a parameter), so a 404 for an unknown id
    stays the API's JSON 404 instead of a redirect to /de/api/…, and no Content-Language
    names the visitor's browser language. The same for the network's ActivityPub and
    WebFinger addresses (network/urls.py)."""

    UNPREFIXED = ("/api/", "/ap/", "/.well-known/")

    def process_response(self, request, response):
        if request.path_info.startswith(self.UNPREFIXED):
            return response
        return super().process_response(request, response)
