"""The open data API's addresses (see portal/api.py); also the URL configuration the OpenAPI
document is generated from, so it describes these and nothing else."""

from django.http import JsonResponse
from django.urls import include, path, re_path
from django.utils.translation import gettext as _
from rest_framework.routers import SimpleRouter

from .api import endpoints, openapi_json
from .catalogue import catalogue_jsonld, catalogue_turtle

router = SimpleRouter(trailing_slash="/?")  # with or without the last slash
for prefix, viewset in endpoints():
    router.register(prefix, viewset, basename=prefix)

urlpatterns = [
    path("api/v1/", include(router.urls)),
    path("api/catalog.jsonld", catalogue_jsonld, name="api_catalogue_jsonld"),
    path("api/catalog.ttl", catalogue_turtle, name="api_catalogue_turtle"),
    path("api/openapi.json", openapi_json, name="api_openapi"),
    # anything else under /api/ is an API address too: its 404 is JSON, not a page
    re_path(r"^api/", lambda request: JsonResponse({"detail": _("Not found.")}, status=404)),
]
