"""The open data API's ground floor: read-only JSON under /api/v1/, per site (by host) and
language, described in OpenAPI 3 at /api/openapi.json (drf-spectacular).

Domain apps add their collections with the hook "portal_api_endpoints": a function returning
[(path prefix, viewset), …], each viewset a `PublicCollection`. What every collection shares
lives here:

- only what is public: no authentication and no cookies are read (so nothing depends on who
  asks), live and public pages of the requested site only;
- parameters checked before anything is queried: an unknown filter value, a malformed date,
  a `limit` above the maximum are a 400 with a JSON message, never a 500;
- `limit`/`offset` pagination with the total and a stable order;
- the site's data licence and attribution in every answer;
- `ETag` (and `Last-Modified` where the items say when they changed) with `304 Not
  Modified`; `Access-Control-Allow-Origin: *`; a per-client rate limit (429, Retry-After);
- the page cache keeps answers like pages, and a publish makes them stale like pages.
"""

import functools
import hashlib
import json
from urllib.parse import urlsplit, urlunsplit

from django.conf import settings
from django.core.serializers.json import DjangoJSONEncoder
from django.db.models import Max
from django.http import Http404, JsonResponse
from django.utils import translation
from django.utils.http import http_date, parse_http_date_safe, quote_etag
from django.utils.translation import gettext_lazy as _
from drf_spectacular.generators import SchemaGenerator
from drf_spectacular.utils import (
    OpenApiParameter,
    extend_schema,
    extend_schema_field,
    extend_schema_view,
)
from rest_framework import serializers, status, viewsets
from rest_framework.exceptions import NotFound, Throttled, ValidationError
from rest_framework.pagination import LimitOffsetPagination
from rest_framework.permissions import AllowAny
from rest_framework.renderers import JSONRenderer
from rest_framework.response import Response
from wagtail import hooks
from wagtail.models import Page, Site

from .delivery.dependencies import listing_tag, record
from .delivery.http import absolute_url, client_ip
from .delivery.limits import hit
from .models import PortalSettings
from .sites import in_site

MAX_LIMIT = 100
MAX_ID = 2**31 - 1
DEFAULT_LIMIT = 20
LANGUAGES = [code for code, _name in settings.LANGUAGES]


class Licence(serializers.Serializer):
    uri = serializers.URLField(help_text=_("The licence, from the DCAT-AP.de licence vocabulary."))
    name = serializers.CharField()
    attribution = serializers.CharField(help_text=_("How to name the source when reusing."))


LICENCE_SCHEMA = {
    "type": "object",
    "description": "The data licence and how to name the source.",
    "required": ["uri", "name", "attribution"],
    "properties": {
        "uri": {"type": "string", "format": "uri"},
        "name": {"type": "string"},
        "attribution": {"type": "string"},
    },
}


def licence_of(site) -> dict:
    portal_settings = PortalSettings.for_site(site) if site else None
    uri = portal_settings.data_licence if portal_settings else PortalSettings.DEFAULT_LICENCE
    return {
        "uri": uri,
        "name": str(dict(PortalSettings.LICENCES).get(uri, uri)),
        "attribution": portal_settings.data_attribution if portal_settings else "",
    }


class Pagination(LimitOffsetPagination):
    default_limit = DEFAULT_LIMIT
    max_limit = MAX_LIMIT

    def get_next_link(self):
        return self.on_site(super().get_next_link())

    def get_previous_link(self):
        return self.on_site(super().get_previous_link())

    def on_site(self, link):
        """On the site's configured address, as every other link (absolute_url)."""
        if link is None:
            return None
        parts = urlsplit(link)
        return absolute_url(self.request, urlunsplit(("", "", parts.path, parts.query, "")))

    def get_limit(self, request):
        return request.parameters["limit"]

    def get_offset(self, request):
        return request.parameters["offset"]

    def get_paginated_response(self, data):
        return Response(
            {
                "count": self.count,
                "next": self.get_next_link(),
                "previous": self.get_previous_link(),
                "licence": licence_of(Site.find_for_request(self.request)),
                "results": data,
            }
        )

    def get_paginated_response_schema(self, schema):
        return {
            "type": "object",
            "required": ["count", "next", "previous", "licence", "results"],
            "properties": {
                "count": {"type": "integer", "description": "All matching items."},
                "next": {"type": "string", "format": "uri", "nullable": True},
                "previous": {"type": "string", "format": "uri", "nullable": True},
                "licence": LICENCE_SCHEMA,
                "results": schema,
            },
        }


class CommonParameters(serializers.Serializer):
    """What every collection accepts; a collection's own filters extend it."""

    language = serializers.ChoiceField(
        choices=LANGUAGES,
        default=settings.LANGUAGE_CODE,
        help_text=_("The language of the items (each item names its other languages' URLs)."),
    )
    limit = serializers.IntegerField(
        min_value=1,
        max_value=MAX_LIMIT,
        default=DEFAULT_LIMIT,
        help_text=_("How many items (at most 100)."),
    )
    offset = serializers.IntegerField(
        min_value=0, max_value=10**6, default=0, help_text=_("How many items to skip.")
    )

    def to_internal_value(self, data):
        for name, value in data.items():
            if "\x00" in value or len(value) > 200:
                raise ValidationError({name: [_("This value is not allowed.")]})
        return super().to_internal_value(data)


def item_id(help_text):
    """A parameter naming an item by its id."""
    return serializers.IntegerField(
        required=False, min_value=1, max_value=MAX_ID, help_text=help_text
    )


class ErrorMessage(serializers.Serializer):
    detail = serializers.CharField(required=False)


class PublicCollection(viewsets.ReadOnlyModelViewSet):
    """A collection of published pages of one type, for the requested site and language.

    Subclasses set `page_model`, `serializer_class` (list) and `detail_serializer_class`,
    `parameters_class` (a CommonParameters subclass) and may filter in `filter_pages`."""

    page_model = None
    detail_serializer_class = None
    parameters_class = CommonParameters
    # the collection as a dataset of the DCAT-AP.de catalogue (portal/catalogue.py)
    dataset_title = ""
    dataset_description = ""
    dataset_keywords = ()
    dataset_themes = ()  # codes of the EU's data themes, e.g. "SOCI"
    ordering = ("pk",)
    authentication_classes = []
    permission_classes = [AllowAny]
    renderer_classes = [JSONRenderer]
    pagination_class = Pagination
    lookup_field = "pk"
    lookup_value_regex = r"\d{1,20}"

    @classmethod
    def other_formats(cls, request) -> list[tuple[str, str]]:
        """(URL, media type) of the collection in formats besides the API's JSON."""
        return []

    @classmethod
    def last_change(cls, site):
        pages = in_site(cls.page_model.objects.live().public(), site)
        return pages.aggregate(latest=Max("last_published_at"))["latest"]

    def initial(self, request, *args, **kwargs):
        super().initial(request, *args, **kwargs)
        self.check_rate_limit(request)
        query = {key: request.query_params.get(key) for key in request.query_params}
        known = set(self.parameters_class().fields)
        unknown = sorted(set(query) - known)
        if unknown:
            raise ValidationError({name: [_("Unknown parameter.")] for name in unknown})
        parameters = self.parameters_class(data=query)
        parameters.is_valid(raise_exception=True)
        request.parameters = parameters.validated_data
        request.site = Site.find_for_request(request)
        self.language = request.parameters["language"]

    def check_rate_limit(self, request):
        window = 60
        if hit("api", client_ip(request), window) > settings.PORTAL_API_REQUESTS_PER_MINUTE:
            raise Throttled(wait=window)

    def dispatch(self, request, *args, **kwargs):
        language = request.GET.get("language")
        with translation.override(language if language in LANGUAGES else None):
            return super().dispatch(request, *args, **kwargs)

    def finalize_response(self, request, response, *args, **kwargs):
        response = super().finalize_response(request, response, *args, **kwargs)
        response["Access-Control-Allow-Origin"] = "*"
        response["Vary"] = "Accept-Encoding"  # the same for everyone, whatever cookies say
        return response

    def get_queryset(self):
        site = self.request.site
        record(listing_tag(site.pk if site else None, self.page_model))  # a page cache tag
        pages = self.page_model.objects.live().public()
        pages = in_site(pages, self.request.site, self.language)
        return self.filter_pages(pages, self.request.parameters).order_by(*self.ordering)

    def filter_pages(self, pages, parameters):
        return pages

    def get_object(self):
        if int(self.kwargs[self.lookup_field]) > MAX_ID:  # beyond any database's integers
            raise NotFound(_("No such item on this site in this language."))
        try:
            return super().get_object()
        except Http404:
            raise NotFound(_("No such item on this site in this language.")) from None

    def get_serializer_class(self):
        if self.action == "retrieve" and self.detail_serializer_class:
            return self.detail_serializer_class
        return self.serializer_class

    def get_serializer_context(self):
        return {**super().get_serializer_context(), "language": self.language}

    def list(self, request, *args, **kwargs):
        queryset = self.get_queryset()
        page = self.paginate_queryset(queryset)
        items = self.prepare(list(page))
        data = self.get_serializer(items, many=True).data
        return self.conditional(request, self.get_paginated_response(data), items)

    def retrieve(self, request, *args, **kwargs):
        (item,) = self.prepare([self.get_object()])
        data = self.get_serializer(item).data
        return self.conditional(request, Response(data), [item])

    def prepare(self, pages) -> list:
        """Load what the serializer shows of `pages` in bulk (a constant number of queries);
        each page gets `languages` ({code: absolute URL}) here."""
        keys = {page.translation_key for page in pages}
        versions = (
            Page.objects.live()
            .public()
            .filter(translation_key__in=keys)
            .select_related("locale")
            .only("pk", "url_path", "translation_key", "locale__language_code")
        )
        urls = {}
        for version in versions:
            url = absolute_url(self.request, version.get_url(self.request) or "")
            urls.setdefault(version.translation_key, {})[version.locale.language_code] = url
        for page in pages:
            page.languages = urls.get(page.translation_key, {})
        return pages

    def conditional(self, request, response, items):
        """ETag from the content, Last-Modified from the newest item: 304 when unchanged."""
        response.accepted_renderer = JSONRenderer()
        response.accepted_media_type = "application/json"
        response.renderer_context = self.get_renderer_context()
        response.render()
        etag = quote_etag(hashlib.sha256(response.content).hexdigest()[:32])
        response["ETag"] = etag
        changed = [item.last_published_at for item in items if item.last_published_at]
        if changed:
            response["Last-Modified"] = http_date(max(changed).timestamp())
        if_none_match = request.headers.get("If-None-Match")
        if if_none_match is not None:
            unchanged = etag in [tag.strip() for tag in if_none_match.split(",")]
        else:
            since = parse_http_date_safe(request.headers.get("If-Modified-Since", ""))
            unchanged = bool(changed and since and since >= int(max(changed).timestamp()))
        if unchanged:
            not_modified = Response(status=status.HTTP_304_NOT_MODIFIED)
            not_modified["ETag"] = etag
            return not_modified
        return response


def documented(parameters_class, item_serializer, detail_serializer, tag):
    """OpenAPI descriptions of a collection's two operations (list and one item)."""
    errors = {400: ErrorMessage, 404: ErrorMessage, 429: ErrorMessage}
    language = OpenApiParameter(
        "language",
        str,
        enum=LANGUAGES,
        default=settings.LANGUAGE_CODE,
        description=_("The language of the item."),
    )
    return extend_schema_view(
        list=extend_schema(
            tags=[tag], parameters=[parameters_class], responses={200: item_serializer, **errors}
        ),
        retrieve=extend_schema(
            tags=[tag], parameters=[language], responses={200: detail_serializer, **errors}
        ),
    )


@functools.cache
class OpenDataSchemaGenerator(SchemaGenerator):
    """Describes the open data API only, not every DRF view in the URLconf (Wagtail's admin
    API has some). The default generator in SPECTACULAR_SETTINGS, so drf-spectacular's own
    `check --deploy` checks exactly the document the portal publishes."""

    def __init__(self, *args, urlconf="portal.api_urls", **kwargs):
        super().__init__(*args, urlconf=urlconf, **kwargs)


def openapi_document(language: str = "en") -> dict:
    """The OpenAPI document in `language` (its descriptions are translatable), as drf-
    spectacular writes it from the code: once per process and language."""
    with translation.override(language):
        schema = OpenDataSchemaGenerator().get_schema(request=None, public=True)
        return json.loads(json.dumps(schema, cls=DjangoJSONEncoder))  # lazy texts translated


def openapi_json(request):
    """/api/openapi.json, in English (for developers everywhere)."""
    response = JsonResponse(
        openapi_document(),
        content_type="application/vnd.oai.openapi+json",
        json_dumps_params={"indent": 2, "ensure_ascii": False},
    )
    response["Access-Control-Allow-Origin"] = "*"
    return response


def endpoints() -> list[tuple[str, type]]:
    """The collections the domain apps publish (hook "portal_api_endpoints")."""
    found = []
    for contribute in hooks.get_hooks("portal_api_endpoints"):
        found += contribute()
    return found


# --- what items share --------------------------------------------------------------------


class PageLink(serializers.Serializer):
    """Another item this one names: its id and URL in the requested language."""

    id = serializers.IntegerField()
    title = serializers.CharField()
    url = serializers.URLField()


class ItemBase(serializers.Serializer):
    id = serializers.IntegerField(help_text="This language's page id; stable.")
    translation_key = serializers.UUIDField(
        help_text="The same in every language: links an item's language versions."
    )
    url = serializers.SerializerMethodField()
    languages = serializers.DictField(
        child=serializers.URLField(), help_text="{language code: URL} of every language version."
    )
    title = serializers.CharField()
    teaser = serializers.CharField()
    last_modified = serializers.DateTimeField(source="last_published_at")

    def get_url(self, page) -> str:
        return absolute_url(self.context["request"], page.get_url(self.context["request"]) or "")


class WithLicence(serializers.Serializer):
    """For one item's answer (a list names the licence once, beside its items)."""

    licence = serializers.SerializerMethodField()

    @extend_schema_field(Licence)
    def get_licence(self, item):
        return licence_of(self.context["request"].site)


def page_link(page, request) -> dict | None:
    if page is None:
        return None
    return {
        "id": page.pk,
        "title": page.title,
        "url": absolute_url(request, page.get_url(request) or ""),
    }


class FileItem(serializers.Serializer):
    """A download: only files anyone may download (none of a restricted collection)."""

    title = serializers.CharField()
    kind = serializers.CharField(help_text="What the file is, e.g. slides or minutes.")
    url = serializers.URLField()
    format = serializers.CharField(help_text="The file's format, e.g. PDF.")
    media_type = serializers.CharField()
    size = serializers.IntegerField(allow_null=True, help_text="In bytes.")


def file_item(download, request) -> dict:
    """A `portal.documents.Download` as a FileItem."""
    return {
        "title": download.title,
        "kind": download.kind,
        "url": absolute_url(request, download.url),
        "format": download.file_format,
        "media_type": download.media_type,
        "size": download.size,
    }
