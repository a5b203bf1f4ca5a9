"""Labs and partner actors in the open data API (portal/api.py). No contact details: people
and organisations are reached through the pages, not harvested from the data."""

from django.db.models import Prefetch
from django.utils.translation import gettext_lazy as _
from drf_spectacular.utils import extend_schema_field
from rest_framework import serializers

from portal.api import (
    CommonParameters,
    ItemBase,
    PageLink,
    PublicCollection,
    WithLicence,
    documented,
    item_id,
    page_link,
)
from portal.delivery.http import absolute_url
from portal.images import CARD_IMAGE
from portal.translation import localize

from .models import ActorPage, LabPage, LabPartner, Phase, Sector, Topic


class LabParameters(CommonParameters):
    phase = serializers.ChoiceField(
        choices=Phase.values,
        required=False,
        help_text=_("1 idea, 2 concept development, 3 set-up, 4 consolidation."),
    )
    # no control characters (documented as a pattern, so the OpenAPI document says so)
    city = serializers.RegexField(
        r"^[^\x00-\x1f]+$",
        required=False,
        max_length=120,
        help_text=_("The lab's municipality or city."),
    )
    topic = serializers.SlugField(required=False, max_length=80, help_text=_("A topic's slug."))


class TopicItem(serializers.Serializer):
    slug = serializers.CharField()
    name = serializers.CharField()


class Partner(serializers.Serializer):
    actor = PageLink()
    sector = serializers.ChoiceField(choices=Sector.values)
    role = serializers.CharField()


class Lab(ItemBase):
    city = serializers.CharField()
    challenge = serializers.CharField()
    phase = serializers.ChoiceField(choices=Phase.values, allow_null=True)
    start_date = serializers.DateField(allow_null=True)
    topics = serializers.SerializerMethodField()
    partners = serializers.SerializerMethodField()
    image = serializers.SerializerMethodField()

    @extend_schema_field(TopicItem(many=True))
    def get_topics(self, lab):
        return [{"slug": topic.slug, "name": topic.name} for topic in lab.topic_list]

    @extend_schema_field(Partner(many=True))
    def get_partners(self, lab):
        request = self.context["request"]
        return [
            {"actor": page_link(actor, request), "sector": actor.sector, "role": role}
            for actor, role in lab.partner_list
        ]

    @extend_schema_field(serializers.URLField(allow_null=True))
    def get_image(self, lab):
        if not lab.hero_image:
            return None
        rendition = lab.hero_image.get_rendition(CARD_IMAGE.filter_specs[0])
        return absolute_url(self.context["request"], rendition.url)


class LabDetails(WithLicence, Lab):
    goals = serializers.SerializerMethodField()
    body = serializers.SerializerMethodField(help_text="The approach as display HTML.")

    @extend_schema_field(serializers.ListField(child=serializers.CharField()))
    def get_goals(self, lab):
        return [str(goal.value) for goal in lab.goals]

    def get_body(self, lab) -> str:
        return str(lab.body)


@documented(LabParameters, Lab(many=True), LabDetails, "labs")
class Labs(PublicCollection):
    """Published labs, by title."""

    page_model = LabPage
    serializer_class = Lab
    detail_serializer_class = LabDetails
    dataset_title = _("Labs of social innovation")
    dataset_description = _(
        "Municipal labs of social innovation: their challenge, phase, topics and partners."
    )
    dataset_keywords = (_("social innovation"), _("lab"), _("participation"))
    dataset_themes = ("SOCI", "GOVE")
    parameters_class = LabParameters
    ordering = ("title", "pk")

    def filter_pages(self, labs, parameters):
        if "phase" in parameters:
            labs = labs.in_phase(parameters["phase"])
        if "city" in parameters:
            labs = labs.filter(city=parameters["city"])
        if "topic" in parameters:
            labs = labs.filter(topics__slug=parameters["topic"])
        partners = LabPartner.objects.select_related("actor").order_by("sort_order", "pk")
        return labs.select_related("hero_image").prefetch_related(
            "topics", Prefetch("partners", queryset=partners)
        )

    def prepare(self, labs):
        labs = super().prepare(labs)
        topics = localize(
            [topic for lab in labs for topic in lab.topics.all()],
            queryset=Topic.objects.all(),
            language_code=self.language,
        )
        rows = [(lab, row) for lab in labs for row in lab.partners.all()]
        actors = localize(
            [row.actor for _lab, row in rows], queryset=ActorPage.objects.live().public()
        )
        topic_iter = iter(topics)
        for lab in labs:
            lab.topic_list = [next(topic_iter) for _topic in lab.topics.all()]
            lab.partner_list = []
        for (lab, row), actor in zip(rows, actors, strict=True):
            if actor is not None:
                lab.partner_list.append((actor, row.role))
        return labs


class ActorParameters(CommonParameters):
    sector = serializers.ChoiceField(
        choices=Sector.values, required=False, help_text=_("One of the five sectors.")
    )
    lab = item_id(_("A lab's id."))


class Actor(ItemBase):
    sector = serializers.ChoiceField(choices=Sector.values)
    kind = serializers.ChoiceField(choices=["organisation", "person"])
    city = serializers.CharField()
    website = serializers.SerializerMethodField()
    description = serializers.CharField()
    logo = serializers.SerializerMethodField()

    @extend_schema_field(serializers.URLField(allow_null=True))
    def get_website(self, actor):
        return actor.website or None

    @extend_schema_field(serializers.URLField(allow_null=True))
    def get_logo(self, actor):
        if not actor.logo:
            return None
        return absolute_url(self.context["request"], actor.logo.get_rendition("max-400x200").url)


class ActorDetails(WithLicence, Actor):
    pass


@documented(ActorParameters, Actor(many=True), ActorDetails, "partners")
class Actors(PublicCollection):
    """Published partner actors (organisations and people) of the five sectors, by title."""

    page_model = ActorPage
    serializer_class = Actor
    detail_serializer_class = ActorDetails
    dataset_title = _("Partner actors")
    dataset_description = _(
        "Organisations and people from civil society, administration, politics, business "
        "and research who take part in the labs."
    )
    dataset_keywords = (_("social innovation"), _("civil society"))
    dataset_themes = ("SOCI",)
    parameters_class = ActorParameters
    ordering = ("title", "pk")

    def filter_pages(self, actors, parameters):
        if "sector" in parameters:
            actors = actors.in_sector(parameters["sector"])
        if "lab" in parameters:
            lab = LabPage.objects.filter(pk=parameters["lab"]).first()
            actors = actors.in_lab(lab) if lab else actors.none()
        return actors.select_related("logo")
