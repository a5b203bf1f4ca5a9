"""Materials of the knowledge library in the open data API (portal/api.py): what the
material page shows, its files (public collections only) and licence."""

from django.utils.translation import gettext_lazy as _
from drf_spectacular.utils import extend_schema_field
from rest_framework import serializers

from events.models import EventPage
from labs.api import TopicItem
from labs.models import LabPage, Phase, Sector, Topic
from portal.api import (
    CommonParameters,
    FileItem,
    ItemBase,
    PageLink,
    PublicCollection,
    WithLicence,
    documented,
    file_item,
    page_link,
)
from portal.translation import localize

from .models import MaterialPage, MaterialType
from .selectors import attach_files


class MaterialParameters(CommonParameters):
    phase = serializers.ChoiceField(
        choices=Phase.values,
        required=False,
        help_text=_("1 idea, 2 concept development, 3 set-up, 4 consolidation."),
    )
    type = serializers.ChoiceField(
        choices=MaterialType.values,
        required=False,
        help_text=_("Guide, template, checklist, method card or case study."),
    )
    topic = serializers.SlugField(required=False, max_length=80, help_text=_("A topic's slug."))
    audience = serializers.ChoiceField(
        choices=Sector.values, required=False, help_text=_("One of the five sectors.")
    )


class MaterialLicence(serializers.Serializer):
    id = serializers.CharField(help_text="SPDX identifier, e.g. CC-BY-4.0.")
    name = serializers.CharField()
    url = serializers.URLField()
    attribution = serializers.CharField(help_text="How to name the source when reusing it.")


class Material(ItemBase):
    type = serializers.ChoiceField(choices=MaterialType.values, source="material_type")
    phase = serializers.ChoiceField(choices=Phase.values)
    audience = serializers.ListField(child=serializers.ChoiceField(choices=Sector.values))
    topics = serializers.SerializerMethodField()
    files = serializers.SerializerMethodField()
    material_licence = serializers.SerializerMethodField(
        help_text="The material's own licence (the list's licence is the data's)."
    )
    workshops = serializers.SerializerMethodField()
    labs = serializers.SerializerMethodField()

    @extend_schema_field(TopicItem(many=True))
    def get_topics(self, material):
        return [{"slug": topic.slug, "name": topic.name} for topic in material.topic_list]

    @extend_schema_field(FileItem(many=True))
    def get_files(self, material):
        request = self.context["request"]
        return [file_item(download, request) for download in material.downloads]

    @extend_schema_field(MaterialLicence)
    def get_material_licence(self, material):
        return {
            "id": material.licence,
            "name": material.get_licence_display(),
            "url": material.licence_url,
            "attribution": material.attribution,
        }

    @extend_schema_field(PageLink(many=True))
    def get_workshops(self, material):
        request = self.context["request"]
        return [page_link(event, request) for event in material.workshop_pages]

    @extend_schema_field(PageLink(many=True))
    def get_labs(self, material):
        request = self.context["request"]
        return [page_link(lab, request) for lab in material.lab_pages]


class MaterialDetails(WithLicence, Material):
    body = serializers.SerializerMethodField(help_text="The description as display HTML.")

    def get_body(self, material) -> str:
        return str(material.body)


@documented(MaterialParameters, Material(many=True), MaterialDetails, "materials")
class Materials(PublicCollection):
    """Published materials of the knowledge library, by phase and title."""

    page_model = MaterialPage
    serializer_class = Material
    detail_serializer_class = MaterialDetails
    parameters_class = MaterialParameters
    ordering = ("phase", "title", "pk")
    dataset_title = _("Knowledge library")
    dataset_description = _(
        "Guides, templates, checklists, method cards and case studies for setting up a "
        "municipal lab of social innovation, by lab phase, with their files and licences."
    )
    dataset_keywords = (_("social innovation"), _("guide"), _("open educational resources"))
    dataset_themes = ("SOCI", "EDUC", "GOVE")

    def filter_pages(self, materials, parameters):
        if "phase" in parameters:
            materials = materials.in_phase(parameters["phase"])
        if "type" in parameters:
            materials = materials.of_type(parameters["type"])
        if "topic" in parameters:
            materials = materials.with_topic(parameters["topic"])
        if "audience" in parameters:
            materials = materials.for_audience(parameters["audience"])
        return materials.prefetch_related("topics")

    def prepare(self, materials):
        materials = attach_files(super().prepare(materials))
        ids = [material.pk for material in materials]
        topics = localize(
            [topic for material in materials for topic in material.topics.all()],
            queryset=Topic.objects.all(),
            language_code=self.language,
        )
        topic_iter = iter(topics)
        for material in materials:
            material.topic_list = [next(topic_iter) for _topic in material.topics.all()]
        related = {}
        for field, model in (("workshops", EventPage), ("labs", LabPage)):
            through = getattr(MaterialPage, field).through
            column = f"{model._meta.model_name}"
            links = list(through.objects.filter(materialpage_id__in=ids).select_related(column))
            pages = localize(
                [getattr(link, column) for link in links],
                queryset=model.objects.live().public(),
                language_code=self.language,
            )
            related[field] = {}
            for link, page in zip(links, pages, strict=True):
                if page is not None:
                    related[field].setdefault(link.materialpage_id, []).append(page)
        for material in materials:
            material.workshop_pages = related["workshops"].get(material.pk, [])
            material.lab_pages = related["labs"].get(material.pk, [])
        return materials
