from django.conf import settings
from django.http import HttpResponse
from django.shortcuts import render
from django.template.loader import render_to_string
from django.template.response import TemplateResponse
from django.urls import reverse
from django.utils import translation
from django.views.decorators.http import require_safe
from wagtail.models import Site

from .colours import dark_mode_variant
from .delivery.http import absolute_url, private
from .models import PortalSettings

ONE_YEAR = 365 * 24 * 60 * 60


@require_safe
def theme_stylesheet(request):
    """The brand colour from the site settings as a stylesheet on KERN's tokens, so no
    inline style is needed.

    Pages link it with ?v=<theme_version>; that URL changes with the colour, so it is cached
    for a year. Any other version gets a short cache lifetime.
    """
    portal_settings = PortalSettings.for_request(request)
    colour = portal_settings.primary_colour
    css = render_to_string(
        "portal/theme.css",
        {"primary_colour": colour, "primary_colour_dark": dark_mode_variant(colour)},
    )
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


@require_safe
def open_data(request):
    """The open data API's reference for people, in the visitor's language: what each
    collection holds, its filters and their values, and where the machine-readable
    descriptions are (the OpenAPI document, the DCAT-AP.de catalogue)."""
    from .api import licence_of

    return TemplateResponse(
        request,
        "portal/open_data.html",
        {
            "collections": api_reference(),
            "licence": licence_of(Site.find_for_request(request)),
        },
    )


def api_reference() -> list[dict]:
    """Each collection in the visitor's language: its title, description, address and
    query parameters (from the OpenAPI document, so the page says what the API does)."""
    from .api import endpoints, openapi_document

    paths = openapi_document(translation.get_language())["paths"]
    collections = []
    for prefix, collection in endpoints():
        path_name = f"/api/v1/{prefix}/"
        operation = paths[path_name]["get"]
        parameters = []
        for parameter in operation.get("parameters", []):
            schema = parameter.get("schema", {})
            parameters.append(
                {
                    "name": parameter["name"],
                    "type": schema.get("format") or schema.get("type", ""),
                    "values": schema.get("enum", []),
                    "description": parameter.get("description", "").split("\n\n*")[0],
                }
            )
        collections.append(
            {
                "title": collection.dataset_title,
                "description": collection.dataset_description,
                "path": path_name,
                "parameters": parameters,
            }
        )
    return collections
