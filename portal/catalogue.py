"""The site's open data as a DCAT-AP.de catalogue, for its state's open-data portal and
GovData to harvest: /api/catalog.jsonld (JSON-LD) and /api/catalog.ttl (Turtle), one RDF
graph written both ways.

The site is a dcat:Catalog; each collection of the open data API (portal/api.py) a
dcat:Dataset with a distribution per format — the JSON API, served by the API as a
dcat:DataService whose endpointDescription is the OpenAPI document, and whatever the
collection adds (the workshops' calendar). Titles and descriptions in every language; the
municipality (site texts) as publisher; the site's contact address as contact point; the
data licence (portal settings) with its attribution text on every distribution; the
municipality's official regional key as political geocoding.
"""

from django.conf import settings
from django.http import HttpResponse
from django.utils import translation
from django.views.decorators.http import require_GET
from rdflib import BNode, Graph, Literal, Namespace, URIRef
from rdflib.namespace import DCAT, DCTERMS, FOAF, RDF, XSD
from wagtail.models import Site

from .api import endpoints, licence_of
from .delivery.http import absolute_url
from .models import PortalSettings, SiteTexts

DCATDE = Namespace("http://dcat-ap.de/def/dcatde/")
VCARD = Namespace("http://www.w3.org/2006/vcard/ns#")
LANGUAGES = "http://publications.europa.eu/resource/authority/language/"
FILE_TYPES = "http://publications.europa.eu/resource/authority/file-type/"
THEMES = "http://publications.europa.eu/resource/authority/data-theme/"
MEDIA_TYPES = "https://www.iana.org/assignments/media-types/"
REGIONAL_KEY = "http://dcat-ap.de/def/politicalGeocoding/regionalKey/"
MUNICIPALITY_LEVEL = "http://dcat-ap.de/def/politicalGeocoding/Level/municipality"
EU_LANGUAGE = {"de": "DEU", "en": "ENG"}
FORMATS = {"application/json": "JSON", "text/calendar": "ICAL"}


def in_every_language(graph, subject, predicate, text):
    """`text` (a lazy translatable string) as one literal per language."""
    for code, _name in settings.LANGUAGES:
        with translation.override(code):
            graph.add((subject, predicate, Literal(str(text), lang=code)))


def catalogue(request) -> Graph:
    site = Site.find_for_request(request)
    portal_settings = PortalSettings.for_site(site)
    texts = SiteTexts.for_language(settings.LANGUAGE_CODE, site)
    licence = licence_of(site)
    home = absolute_url(request, "/")
    openapi = absolute_url(request, "/api/openapi.json")

    graph = Graph()
    graph.bind("dcat", DCAT)
    graph.bind("dct", DCTERMS)
    graph.bind("dcatde", DCATDE)
    graph.bind("foaf", FOAF)
    graph.bind("vcard", VCARD)

    publisher = URIRef(f"{home}#publisher")
    graph.add((publisher, RDF.type, FOAF.Organization))
    graph.add((publisher, FOAF.name, Literal(texts.municipality or texts.site_name)))
    graph.add((publisher, FOAF.homepage, URIRef(home)))
    contact = None
    if portal_settings.contact_email:
        contact = BNode()
        graph.add((contact, RDF.type, VCARD.Organization))
        graph.add((contact, VCARD.fn, Literal(texts.municipality or texts.site_name)))
        graph.add((contact, VCARD.hasEmail, URIRef(f"mailto:{portal_settings.contact_email}")))

    catalog = URIRef(absolute_url(request, "/api/catalog.jsonld"))
    graph.add((catalog, RDF.type, DCAT.Catalog))
    for code, _name in settings.LANGUAGES:
        title = SiteTexts.for_language(code, site).site_name
        graph.add((catalog, DCTERMS.title, Literal(title, lang=code)))
    in_every_language(graph, catalog, DCTERMS.description, CATALOG_DESCRIPTION)
    graph.add((catalog, DCTERMS.publisher, publisher))
    graph.add((catalog, FOAF.homepage, URIRef(home)))
    graph.add((catalog, DCTERMS.license, URIRef(licence["uri"])))
    for code, _name in settings.LANGUAGES:
        graph.add((catalog, DCTERMS.language, URIRef(LANGUAGES + EU_LANGUAGE[code])))

    service = URIRef(absolute_url(request, "/api/v1/"))
    graph.add((service, RDF.type, DCAT.DataService))
    in_every_language(graph, service, DCTERMS.title, SERVICE_TITLE)
    graph.add((service, DCAT.endpointURL, service))
    graph.add((service, DCAT.endpointDescription, URIRef(openapi)))
    graph.add((service, DCTERMS.license, URIRef(licence["uri"])))
    graph.add((service, DCTERMS.publisher, publisher))
    graph.add((catalog, DCAT.service, service))

    for prefix, collection in endpoints():
        dataset = URIRef(absolute_url(request, f"/api/v1/{prefix}/"))
        graph.add((catalog, DCAT.dataset, dataset))
        graph.add((service, DCAT.servesDataset, dataset))
        describe_dataset(graph, dataset, collection, request, site)
        graph.add((dataset, DCTERMS.publisher, publisher))
        if contact is not None:
            graph.add((dataset, DCAT.contactPoint, contact))
        if portal_settings.regional_key:
            key = URIRef(REGIONAL_KEY + portal_settings.regional_key)
            graph.add((dataset, DCATDE.politicalGeocodingURI, key))
            graph.add((dataset, DCATDE.politicalGeocodingLevelURI, URIRef(MUNICIPALITY_LEVEL)))
        distributions = [
            (str(dataset), "application/json", service),
            *[(url, media_type, None) for url, media_type in collection.other_formats(request)],
        ]
        for url, media_type, access_service in distributions:
            distribution = URIRef(f"{url}#distribution")
            graph.add((dataset, DCAT.distribution, distribution))
            graph.add((distribution, RDF.type, DCAT.Distribution))
            graph.add((distribution, DCAT.accessURL, URIRef(url)))
            graph.add((distribution, DCAT.mediaType, URIRef(MEDIA_TYPES + media_type)))
            graph.add((distribution, DCTERMS.format, URIRef(FILE_TYPES + FORMATS[media_type])))
            graph.add((distribution, DCTERMS.license, URIRef(licence["uri"])))
            if licence["attribution"]:
                attribution = Literal(licence["attribution"])
                graph.add((distribution, DCATDE.licenseAttributionByText, attribution))
            in_every_language(graph, distribution, DCTERMS.title, collection.dataset_title)
            if access_service is not None:
                graph.add((distribution, DCAT.accessService, access_service))
    return graph


def describe_dataset(graph, dataset, collection, request, site):
    graph.add((dataset, RDF.type, DCAT.Dataset))
    in_every_language(graph, dataset, DCTERMS.title, collection.dataset_title)
    in_every_language(graph, dataset, DCTERMS.description, collection.dataset_description)
    for keyword in collection.dataset_keywords:
        in_every_language(graph, dataset, DCAT.keyword, keyword)
    for theme in collection.dataset_themes:
        graph.add((dataset, DCAT.theme, URIRef(THEMES + theme)))
    graph.add((dataset, DCAT.landingPage, URIRef(absolute_url(request, "/"))))
    for code, _name in settings.LANGUAGES:
        graph.add((dataset, DCTERMS.language, URIRef(LANGUAGES + EU_LANGUAGE[code])))
    modified = collection.last_change(site)
    if modified is not None:
        graph.add((dataset, DCTERMS.modified, Literal(modified.isoformat(), datatype=XSD.dateTime)))


CATALOG_DESCRIPTION = translation.gettext_lazy(
    "Open data of the portal of a municipal lab of social innovation: its workshops, "
    "workshop series, labs and partner actors."
)
SERVICE_TITLE = translation.gettext_lazy("Open data API (JSON)")


@require_GET
def catalogue_jsonld(request):
    return rdf_response(request, "json-ld", "application/ld+json")


@require_GET
def catalogue_turtle(request):
    return rdf_response(request, "turtle", "text/turtle")


def rdf_response(request, serialisation, content_type):
    content = catalogue(request).serialize(format=serialisation)
    response = HttpResponse(content, content_type=f"{content_type}; charset=utf-8")
    response["Access-Control-Allow-Origin"] = "*"
    return response
