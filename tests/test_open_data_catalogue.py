"""The DCAT-AP.de catalogue as a harvester (a state's open-data portal, GovData) reads it:
both serialisations parse to the same graph, and it passes SHACL shapes of DCAT-AP.de's
mandatory and recommended properties (written from the specification, version 2.0)."""

import pytest
from django.core.management import call_command
from pyshacl import validate
from rdflib import Graph, Namespace, URIRef
from rdflib.compare import isomorphic
from rdflib.namespace import DCAT, DCTERMS, FOAF, RDF
from wagtail.models import Site

pytestmark = pytest.mark.django_db

DCATDE = Namespace("http://dcat-ap.de/def/dcatde/")

SHAPES = """
@prefix rdf: <http://www.w3.org/1999/02/22-rdf-syntax-ns#> .
@prefix sh: <http://www.w3.org/ns/shacl#> .
@prefix dcat: <http://www.w3.org/ns/dcat#> .
@prefix dct: <http://purl.org/dc/terms/> .
@prefix foaf: <http://xmlns.com/foaf/0.1/> .
@prefix vcard: <http://www.w3.org/2006/vcard/ns#> .
@prefix dcatde: <http://dcat-ap.de/def/dcatde/> .
@prefix xsd: <http://www.w3.org/2001/XMLSchema#> .
@prefix : <urn:shapes:> .

:Catalog a sh:NodeShape ; sh:targetClass dcat:Catalog ;
    sh:property [ sh:path dct:title ; sh:minCount 1 ; sh:datatype rdf:langString ] ;
    sh:property [ sh:path dct:description ; sh:minCount 1 ] ;
    sh:property [ sh:path dct:publisher ; sh:minCount 1 ; sh:maxCount 1 ;
                  sh:class foaf:Organization ] ;
    sh:property [ sh:path dcat:dataset ; sh:minCount 1 ; sh:class dcat:Dataset ] ;
    sh:property [ sh:path foaf:homepage ; sh:minCount 1 ; sh:nodeKind sh:IRI ] ;
    sh:property [ sh:path dct:language ; sh:minCount 1 ;
                  sh:pattern "^http://publications.europa.eu/resource/authority/language/" ] ;
    sh:property [ sh:path dct:license ; sh:minCount 1 ;
                  sh:pattern "^http://dcat-ap.de/def/licenses/" ] .

:Dataset a sh:NodeShape ; sh:targetClass dcat:Dataset ;
    sh:property [ sh:path dct:title ; sh:minCount 1 ] ;
    sh:property [ sh:path dct:description ; sh:minCount 1 ] ;
    sh:property [ sh:path dct:publisher ; sh:minCount 1 ; sh:class foaf:Organization ] ;
    sh:property [ sh:path dcat:contactPoint ; sh:minCount 1 ; sh:class vcard:Organization ] ;
    sh:property [ sh:path dcat:distribution ; sh:minCount 1 ; sh:class dcat:Distribution ] ;
    sh:property [ sh:path dcat:keyword ; sh:minCount 1 ] ;
    sh:property [ sh:path dcat:theme ; sh:minCount 1 ;
                  sh:pattern "^http://publications.europa.eu/resource/authority/data-theme/" ] ;
    sh:property [ sh:path dct:modified ; sh:maxCount 1 ; sh:datatype xsd:dateTime ] ;
    sh:property [ sh:path dcatde:politicalGeocodingURI ; sh:minCount 1 ;
                  sh:pattern "^http://dcat-ap.de/def/politicalGeocoding/regionalKey/[0-9]{12}$" ] ;
    sh:property [ sh:path dcatde:politicalGeocodingLevelURI ; sh:maxCount 1 ;
                  sh:pattern "^http://dcat-ap.de/def/politicalGeocoding/Level/" ] .

:Distribution a sh:NodeShape ; sh:targetClass dcat:Distribution ;
    sh:property [ sh:path dcat:accessURL ; sh:minCount 1 ; sh:nodeKind sh:IRI ] ;
    sh:property [ sh:path dct:license ; sh:minCount 1 ; sh:maxCount 1 ;
                  sh:pattern "^http://dcat-ap.de/def/licenses/" ] ;
    sh:property [ sh:path dcatde:licenseAttributionByText ; sh:minCount 1 ] ;
    sh:property [ sh:path dct:format ; sh:minCount 1 ;
                  sh:pattern "^http://publications.europa.eu/resource/authority/file-type/" ] ;
    sh:property [ sh:path dcat:mediaType ; sh:minCount 1 ;
                  sh:pattern "^https://www.iana.org/assignments/media-types/" ] ;
    sh:property [ sh:path dct:title ; sh:minCount 1 ] .

:DataService a sh:NodeShape ; sh:targetClass dcat:DataService ;
    sh:property [ sh:path dct:title ; sh:minCount 1 ] ;
    sh:property [ sh:path dcat:endpointURL ; sh:minCount 1 ; sh:nodeKind sh:IRI ] ;
    sh:property [ sh:path dcat:endpointDescription ; sh:minCount 1 ] ;
    sh:property [ sh:path dcat:servesDataset ; sh:minCount 1 ; sh:class dcat:Dataset ] ;
    sh:property [ sh:path dct:license ; sh:minCount 1 ] .

:Contact a sh:NodeShape ; sh:targetClass vcard:Organization ;
    sh:property [ sh:path vcard:fn ; sh:minCount 1 ] ;
    sh:property [ sh:path vcard:hasEmail ; sh:minCount 1 ; sh:pattern "^mailto:" ] .

:Publisher a sh:NodeShape ; sh:targetClass foaf:Organization ;
    sh:property [ sh:path foaf:name ; sh:minCount 1 ] .
"""


def catalogue_graphs(client, **headers):
    as_jsonld = client.get("/api/catalog.jsonld", **headers)
    as_turtle = client.get("/api/catalog.ttl", **headers)
    assert as_jsonld.status_code == as_turtle.status_code == 200
    assert as_jsonld["Content-Type"].startswith("application/ld+json")
    assert as_turtle["Content-Type"].startswith("text/turtle")
    return (
        Graph().parse(data=as_jsonld.content, format="json-ld"),
        Graph().parse(data=as_turtle.content, format="turtle"),
    )


def test_both_serialisations_say_the_same_and_pass_the_dcat_ap_de_shapes(client, demo):
    jsonld, turtle = catalogue_graphs(client)
    assert isomorphic(jsonld, turtle)
    shapes = Graph().parse(data=SHAPES, format="turtle")
    conforms, _graph, report = validate(turtle, shacl_graph=shapes, inference="none")
    assert conforms, report


def test_the_catalogue_names_every_collection_with_its_formats(client, demo):
    _jsonld, graph = catalogue_graphs(client)
    datasets = set(graph.subjects(RDF.type, DCAT.Dataset))
    assert {str(dataset).rsplit("/api/v1/", 1)[1] for dataset in datasets} == {
        "workshops/",
        "series/",
        "labs/",
        "partners/",
        "materials/",
    }
    (workshops,) = [dataset for dataset in datasets if str(dataset).endswith("/workshops/")]
    media = {
        str(graph.value(distribution, DCAT.mediaType)).rsplit("/", 2)[-2:][1]
        for distribution in graph.objects(workshops, DCAT.distribution)
    }
    assert media == {"json", "calendar"}
    titles = {(title.language, str(title)) for title in graph.objects(workshops, DCTERMS.title)}
    assert ("de", "Werkstätten") in titles and ("en", "Workshops") in titles
    (service,) = graph.subjects(RDF.type, DCAT.DataService)
    assert str(graph.value(service, DCAT.endpointDescription)).endswith("/api/openapi.json")
    assert graph.value(workshops, DCATDE.politicalGeocodingURI) == URIRef(
        "http://dcat-ap.de/def/politicalGeocoding/regionalKey/059130000000"
    )
    licences = set(graph.objects(None, DCTERMS.license))
    assert licences == {URIRef("http://dcat-ap.de/def/licenses/dl-by-de/2.0")}


def test_each_municipality_has_its_own_catalogue(client, demo):
    call_command("load_demo_content", stdout=None)
    lindental = Site.objects.get(hostname="lindental.localhost")
    _jsonld, graph = catalogue_graphs(client, HTTP_HOST=f"{lindental.hostname}:{lindental.port}")
    datasets = list(graph.subjects(RDF.type, DCAT.Dataset))
    assert datasets and all("lindental.localhost" in str(dataset) for dataset in datasets)
    assert {str(name) for name in graph.objects(None, FOAF.name)} == {"Gemeinde Lindental"}
