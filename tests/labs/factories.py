"""Factories for labs, topics and partner actors.

Pages go into the German directories of the site skeleton unless a `parent` is given; a
test that counts a whole directory builds its own with LabIndexPageFactory or
ActorIndexPageFactory, so the demo's labs and actors are not in it.
"""

import factory
import wagtail_factories
from django.utils.text import slugify
from wagtail.models import Locale, Site

from home.models import HomePage
from labs.models import (
    ActorIndexPage,
    ActorPage,
    LabIndexPage,
    LabPage,
    LabPartner,
    PartnerRole,
    Topic,
)


def home(language="de"):
    """The default site's home page in `language`."""
    root = Site.objects.get(is_default_site=True).root_page
    return HomePage.objects.get(
        translation_key=root.translation_key, locale__language_code=language
    )


def lab_index(language="de"):
    """The default site's lab directory in `language` (the skeleton's, the first one)."""
    return LabIndexPage.objects.child_of(home(language)).order_by("path").first()


def actor_index(language="de"):
    """The default site's actor directory in `language` (the skeleton's, the first one)."""
    return ActorIndexPage.objects.child_of(home(language)).order_by("path").first()


class LabIndexPageFactory(wagtail_factories.PageFactory):
    """A lab directory of its own, under the German home page."""

    title = factory.Sequence(lambda n: f"Labore {n}")
    parent = factory.LazyFunction(home)

    class Meta:
        model = LabIndexPage


class ActorIndexPageFactory(wagtail_factories.PageFactory):
    """An actor directory of its own, under the German home page."""

    title = factory.Sequence(lambda n: f"Akteure {n}")
    parent = factory.LazyFunction(home)

    class Meta:
        model = ActorIndexPage


class ActorPageFactory(wagtail_factories.PageFactory):
    title = factory.Sequence(lambda n: f"Akteur {n}")
    sector = "civil_society"
    kind = "organisation"
    city = "Dortmund"
    parent = factory.LazyFunction(actor_index)

    class Meta:
        model = ActorPage


class LabPageFactory(wagtail_factories.PageFactory):
    title = factory.Sequence(lambda n: f"Labor {n}")
    city = "Dortmund"
    challenge = "Demografischer Wandel"
    phase = 2
    parent = factory.LazyFunction(lab_index)

    class Meta:
        model = LabPage


class TopicFactory(factory.django.DjangoModelFactory):
    """A German topic; labs link the German topics in every language."""

    name = factory.Sequence(lambda n: f"Thema {n}")
    slug = factory.LazyAttribute(lambda topic: slugify(topic.name))
    locale = factory.LazyFunction(Locale.get_default)

    class Meta:
        model = Topic


class LabPartnerFactory(factory.django.DjangoModelFactory):
    """`actor` (a new one unless given) takes part in `lab` in `role`; rows keep the order
    they were created in."""

    lab = None
    actor = factory.SubFactory(ActorPageFactory)
    role = PartnerRole.PARTNER
    sort_order = factory.Sequence(lambda n: n)

    class Meta:
        model = LabPartner


def add_partners(lab, *actors, role=PartnerRole.PARTNER):
    """Each of `actors` (an ActorPage, or an (ActorPage, role) pair) as a partner of `lab`."""
    for entry in actors:
        actor, actor_role = entry if isinstance(entry, tuple) else (entry, role)
        LabPartnerFactory(lab=lab, actor=actor, role=actor_role)
    return lab
