"""Queries behind the library directory, material pages, the way through the phases and
the materials a workshop page lists. A fixed number of queries however many materials,
files, topics or relations there are (tests pin the counts)."""

from collections import Counter

from django.utils import translation
from django.utils.translation import gettext_lazy as _

from events.models import EventPage
from labs.models import LabPage, Phase, Sector, Topic
from labs.selectors import localized_topics, phase_facet, topic_facet
from portal.delivery.http import absolute_url
from portal.documents import downloads
from portal.documents import structured_data as download_data
from portal.filters import DirectoryFilter, Facet, Option, paginate
from portal.translation import localize

from .models import MaterialPage, MaterialType

# schema.org's educationalLevel of each phase, as a municipality's stage
EDUCATIONAL_LEVELS = {
    Phase.IDEA: "beginner",
    Phase.CONCEPT: "intermediate",
    Phase.SETUP: "intermediate",
    Phase.CONSOLIDATION: "advanced",
}


def attach_files(materials):
    """Give each material its public `downloads` (two queries for any number)."""
    materials = list(materials)
    found = downloads({material.pk: material.files for material in materials})
    for material in materials:
        material.downloads = found.get(material.pk, [])
    return materials


def count_per_audience(queryset) -> dict:
    """{sector: materials} from the audience lists of the queryset (one query)."""
    counts = Counter()
    for audience in queryset.order_by().values_list("audience", flat=True):
        counts.update(set(audience or []))
    return dict(counts)


def library_directory(library, request) -> dict:
    materials = MaterialPage.objects.live().public().child_of(library)
    facets = [
        phase_facet(),
        Facet(
            name="type",
            label=_("Type"),
            options=[Option(kind.value, kind.label) for kind in MaterialType],
            apply=lambda queryset, value: queryset.of_type(value),
            count_by="material_type",
        ),
        topic_facet(Topic.objects.filter(materials__in=materials)),
        Facet(
            name="audience",
            label=_("Audience"),
            options=[Option(sector.value, sector.label) for sector in Sector],
            apply=lambda queryset, value: queryset.for_audience(value),
            counter=count_per_audience,
        ),
    ]
    directory = DirectoryFilter(facets, request.GET)
    directory.count_options(materials)
    results = directory.apply(materials).order_by("phase", "sort_title", "pk")
    page = paginate(request, results)
    page.object_list = attach_files(page.object_list)
    return {"directory": directory, "materials": page}


def material_details(material, request) -> dict:
    (material,) = attach_files([material])
    workshops = [
        event
        for event in localize(
            list(material.workshops.order_by("start")),
            queryset=EventPage.objects.live().public(),
        )
        if event
    ]
    labs = [
        lab
        for lab in localize(
            list(material.labs.order_by("sort_title")), queryset=LabPage.objects.live().public()
        )
        if lab
    ]
    topics = localized_topics(material.topics.all())
    audience = [sector.label for sector in Sector if sector.value in (material.audience or [])]
    return {
        "downloads": material.downloads,
        "workshops": workshops,
        "labs": labs,
        "topics": topics,
        "audience": audience,
        "structured_data": material_structured_data(material, request, topics),
    }


def material_structured_data(material, request, topics) -> dict:
    """schema.org LearningResource: what it is, for whom, in which language, its licence."""
    library = material.get_parent()
    data = {
        "@context": "https://schema.org",
        "@type": "LearningResource",
        "name": material.title,
        "url": absolute_url(request, material.get_url(request)),
        "description": material.teaser,
        "learningResourceType": str(MaterialType(material.material_type).label),
        "educationalLevel": EDUCATIONAL_LEVELS[Phase(material.phase)],
        "teaches": str(Phase(material.phase).label),
        "inLanguage": translation.get_language(),
        "license": material.licence_url,
        "creditText": material.attribution,
        "isPartOf": {
            "@type": "Collection",
            "name": library.title,
            "url": absolute_url(request, library.get_url(request)),
        },
        "audience": [
            {"@type": "Audience", "audienceType": str(sector.label)}
            for sector in Sector
            if sector.value in (material.audience or [])
        ],
        "keywords": [topic.name for topic in topics if topic],
        "hasPart": [
            download_data(download, lambda url: absolute_url(request, url))
            for download in material.downloads
        ],
    }
    if material.last_published_at:
        data["dateModified"] = material.last_published_at.isoformat()
    return data


def phase_guide(library, request) -> dict:
    """The phases in order: what each involves, its workshop, its materials."""
    rows = library.phase_steps.select_related("workshop").order_by("sort_order", "pk")
    steps = {step.phase: step for step in rows}
    workshops = localize(
        [step.workshop for step in steps.values() if step.workshop_id],
        queryset=EventPage.objects.live().public(),
    )
    workshop_by_key = {event.translation_key: event for event in workshops if event}
    materials = attach_files(
        MaterialPage.objects.live().public().child_of(library).order_by("sort_title", "pk")
    )
    by_phase = {}
    for material in materials:
        by_phase.setdefault(material.phase, []).append(material)
    phases = []
    for phase in Phase:
        step = steps.get(phase.value)
        workshop = None
        if step is not None and step.workshop_id:
            workshop = workshop_by_key.get(step.workshop.translation_key)
        phases.append(
            {
                "number": phase.value,
                "label": phase.label,
                "step": step,
                "workshop": workshop,
                "materials": by_phase.get(phase.value, []),
            }
        )
    return {"phases": phases}


def workshop_materials(event, request) -> list:
    """The materials used in a workshop, in its language (the workshop page's documentation)."""
    used = MaterialPage.objects.live().public().used_in(event)
    return list(used.filter(locale_id=event.locale_id).order_by("sort_title", "pk"))
