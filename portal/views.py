from django.conf import settings
from django.http import HttpResponse
from django.shortcuts import render
from django.template.loader import render_to_string
from django.urls import reverse
from django.views.decorators.http import require_safe
from wagtail.models import Site

from .delivery.http import absolute_url, private
from .models import PortalSettings

ONE_YEAR = 365 * 24 * 60 * 60


@require_safe
def theme_stylesheet(request):
    """The brand colour from the site settings as a stylesheet, so no inline style is needed.

    Pages link it with ?v=<theme_version>; that URL changes with the colour, so it is cached
    for a year. Any other version gets a short cache lifetime.
    """
    portal_settings = PortalSettings.for_request(request)
    css = render_to_string("portal/theme.css", {"portal_settings": portal_settings})
    response = HttpResponse(css, content_type="text/css; charset=utf-8")
    if request.GET.get("v") == portal_settings.theme_version:
        response["Cache-Control"] = f"public, max-age={ONE_YEAR}, immutable"
    else:
        response["Cache-Control"] = "public, max-age=300"
    return response


@require_safe
def robots_txt(request):
    site = Site.find_for_request(request)
    sitemap_url = absolute_url(request, reverse("sitemap"))
    lines = ["User-agent: *", "Disallow: /admin/"]
    if site is not None:
        lines.append(f"Sitemap: {sitemap_url}")
    return HttpResponse("\n".join(lines) + "\n", content_type="text/plain; charset=utf-8")


def login_locked(request, original_response=None, credentials=None):
    """What django-axes answers while a user name is locked out from this address."""
    minutes = int(settings.AXES_COOLOFF_TIME.total_seconds() // 60)
    response = render(request, "portal/login_locked.html", {"minutes": minutes}, status=429)
    response["Retry-After"] = str(minutes * 60)
    return private(response)
