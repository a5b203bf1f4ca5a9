"""Queries behind the lab and actor pages, the directories and the home page sections.

Every function issues a fixed number of queries however many labs, actors or partners
there are (tests pin the counts): relations are fetched for a whole list at once and pages
are resolved to the visitor's language with `portal.translation.localize`.
"""

from collections import defaultdict

from django.db.models import Count
from django.utils.translation import gettext_lazy as _

from portal.delivery.dependencies import model_tag, record
from portal.delivery.http import absolute_url
from portal.filters import DirectoryFilter, Facet, Option, paginate
from portal.images import CARD_IMAGE, LOGO, with_renditions
from portal.models import sort_key
from portal.sites import language_home_path
from portal.translation import localize

from .models import ActorPage, LabPage, LabPartner, PartnerRole, Phase, Sector, Topic


def journey(phase: int | None) -> list[dict]:
    """The phases in order, each marked done, current or upcoming."""
    steps = []
    for step in Phase:
        if phase is None or step.value > phase:
            state = "upcoming"
        elif step.value == phase:
            state = "current"
        else:
            state = "done"
        steps.append({"number": step.value, "label": step.label, "state": state})
    return steps


def sector_mix(labs) -> dict[int, list[dict]]:
    """Partners per sector for each lab, all five sectors, zeros included (one query)."""
    counts = defaultdict(dict)
    rows = (
        LabPartner.objects.filter(lab__in=labs, actor__live=True)
        .values("lab_id", "actor__sector")
        .annotate(partners=Count("actor__translation_key", distinct=True))
    )
    for row in rows:
        counts[row["lab_id"]][row["actor__sector"]] = row["partners"]
    mixes = {}
    for lab in labs:
        per_sector = counts.get(lab.pk, {})
        largest = max(per_sector.values(), default=0)
        total = sum(per_sector.values())
        offset = 0.0
        entries = []
        for sector in Sector:
            count = per_sector.get(sector.value, 0)
            share = 100 * count / total if total else 0
            entries.append(
                {
                    "sector": sector.value,
                    "label": sector.label,
                    "count": count,
                    # SVG attributes, not inline styles: bar length relative to the largest
                    # sector, and the segment of a stacked bar (share and start, in percent)
                    "percent": round(100 * count / largest, 1) if largest else 0,
                    "share": round(share, 1),
                    "offset": round(offset, 1),
                }
            )
            offset += share
        mixes[lab.pk] = entries
    return mixes


def localized_topics(topics) -> list[Topic]:
    record(model_tag(Topic))  # topic names shown: a renamed topic refreshes the response
    return localize(topics, queryset=Topic.objects.all())


def annotate_lab_cards(labs):
    """Attach what a lab card shows: journey and sector mix, without a query per lab."""
    labs = list(labs)
    mixes = sector_mix(labs)
    for lab in labs:
        lab.journey = journey(lab.phase)
        lab.sector_counts = mixes[lab.pk]
        lab.partner_total = sum(entry["count"] for entry in lab.sector_counts)
    return labs


def phase_facet() -> Facet:
    """The lab phases as a directory filter (labs; the library's materials by phase)."""
    return Facet(
        name="phase",
        label=_("Phase"),
        options=[Option(str(phase.value), phase.label) for phase in Phase],
        apply=lambda queryset, value: queryset.in_phase(int(value)),
        count_by="phase",
    )


def topic_facet(topics) -> Facet:
    """The topics (a queryset: those the listed pages link) as a directory filter. Pages
    link the German topics, whose slugs are the filter values; the names are shown in the
    visitor's language."""
    topics = list(topics.distinct().order_by("pk"))
    names = [topic.name for topic in localized_topics(topics)]
    return Facet(
        name="topic",
        label=_("Topic"),
        options=sorted(
            (Option(topic.slug, name) for topic, name in zip(topics, names, strict=True)),
            key=lambda option: sort_key(option.label),
        ),
        apply=lambda queryset, value: queryset.with_topic(value),
        count_by="topics__slug",
    )


def lab_directory(index, request) -> dict:
    labs = LabPage.objects.live().public().child_of(index)
    cities = labs.order_by("city").values_list("city", flat=True).distinct()
    facets = [
        phase_facet(),
        Facet(
            name="city",
            label=_("City"),
            options=[Option(city, city) for city in cities],
            apply=lambda queryset, value: queryset.in_city(value),
            count_by="city",
        ),
        topic_facet(Topic.objects.filter(labs__in=labs)),
    ]
    directory = DirectoryFilter(facets, request.GET)
    directory.count_options(labs)
    results = with_renditions(directory.apply(labs), "hero_image", CARD_IMAGE)
    page = paginate(request, results.order_by("sort_title"))
    page.object_list = annotate_lab_cards(page.object_list)
    return {"directory": directory, "labs": page}


def lab_details(lab, request) -> dict:
    partner_rows = list(lab.partners.all().select_related("actor").order_by("sort_order", "pk"))
    actors = localize(
        [row.actor for row in partner_rows],
        queryset=with_renditions(ActorPage.objects.live().public(), "logo", LOGO),
    )
    partners = [
        {"actor": actor, "role": PartnerRole(row.role).label}
        for row, actor in zip(partner_rows, actors, strict=True)
        if actor
    ]
    return {
        "journey": journey(lab.phase),
        "sector_counts": sector_mix([lab])[lab.pk] if lab.pk else [],
        "partners": partners,
        "topics": localized_topics(lab.topics.all()),
        "contacts": list(lab.contacts.all()),
        "structured_data": lab_structured_data(lab, partners, request),
    }


def lab_facet(index, apply, count_per_lab_key) -> Facet:
    """The "lab" filter of the directory `index`: the labs of its site and language as
    options (by page id).

    Relations to labs point at the German lab page in every language, so `apply(queryset,
    lab)` and `count_per_lab_key(queryset)` (returning {lab translation key: count}) match
    labs by translation key; this maps those keys to the options of the visitor's language.
    """
    # three columns as plain values: a directory of hundreds of labs builds no page objects
    rows = (
        LabPage.objects.live()
        .public()
        .filter(path__startswith=language_home_path(index))
        .order_by("sort_title")
        .values_list("pk", "title", "translation_key", named=True)
    )
    labs = list(rows)
    labs_by_pk = {str(lab.pk): lab for lab in labs}
    option_by_key = {lab.translation_key: str(lab.pk) for lab in labs}

    def counter(queryset):
        counts = count_per_lab_key(queryset)
        return {option_by_key[key]: count for key, count in counts.items() if key in option_by_key}

    return Facet(
        name="lab",
        label=_("Lab"),
        options=[Option(str(lab.pk), lab.title) for lab in labs],
        apply=lambda queryset, value: apply(queryset, labs_by_pk[value]),
        counter=counter,
    )


def actor_directory(index, request) -> dict:
    actors = ActorPage.objects.live().public().child_of(index)

    def count_actors_per_lab(queryset):
        rows = (
            LabPartner.objects.filter(actor__translation_key__in=queryset.values("translation_key"))
            .values("lab__translation_key")
            .annotate(actors=Count("actor__translation_key", distinct=True))
        )
        return {row["lab__translation_key"]: row["actors"] for row in rows}

    facets = [
        Facet(
            name="sector",
            label=_("Sector"),
            options=[Option(sector.value, sector.label) for sector in Sector],
            apply=lambda queryset, value: queryset.in_sector(value),
            count_by="sector",
        ),
        lab_facet(
            index,
            apply=lambda queryset, lab: queryset.in_lab(lab),
            count_per_lab_key=count_actors_per_lab,
        ),
    ]
    directory = DirectoryFilter(facets, request.GET)
    directory.count_options(actors)
    results = with_renditions(directory.apply(actors), "logo", LOGO)
    page = paginate(request, results.order_by("sort_title"))
    page.object_list = list(page.object_list)
    return {"directory": directory, "actors": page}


def actor_details(actor, request) -> dict:
    """The labs an actor takes part in, with its role, each in the visitor's language."""
    rows = LabPartner.objects.filter(
        actor__translation_key=actor.translation_key, lab__live=True
    ).select_related("lab", "lab__locale")
    by_lab = {}
    for row in rows:
        key = row.lab.translation_key
        in_language = row.lab.locale_id == actor.locale_id
        if key not in by_lab or in_language:
            by_lab[key] = {"lab": row.lab, "role": PartnerRole(row.role).label}
    labs = sorted(by_lab.values(), key=lambda entry: entry["lab"].sort_title)
    return {"labs": labs, "structured_data": actor_structured_data(actor, request)}


def featured_labs(home, request, limit: int = 3) -> list[LabPage]:
    """Editor-chosen labs of the home page, falling back to the newest ones."""
    chosen = [row.lab for row in home.featured_labs.all().select_related("lab")]
    queryset = with_renditions(LabPage.objects.live().public(), "hero_image", CARD_IMAGE)
    if chosen:
        labs = [lab for lab in localize(chosen, queryset=queryset) if lab][:limit]
    else:
        newest = queryset.descendant_of(home).order_by("-first_published_at")
        labs = list(newest[:limit])
    return annotate_lab_cards(labs)


def directories(home) -> dict:
    """The lab and actor directories in the home page's language (one query)."""
    from .models import ActorIndexPage, LabIndexPage

    pages = home.get_children().live().type(LabIndexPage, ActorIndexPage).specific()
    found = {type(page): page for page in pages}
    return {"labs": found.get(LabIndexPage), "actors": found.get(ActorIndexPage)}


def partner_strip(home, limit: int = 12) -> list[ActorPage]:
    """Actors that take part in a lab, for the home page: with their logo, or as a text card
    with their name when they have none."""
    actors = (
        ActorPage.objects.live().public().descendant_of(home).taking_part().order_by("sort_title")
    )
    return list(with_renditions(actors, "logo", LOGO)[:limit])


def lab_structured_data(lab, partners, request) -> dict:
    data = {
        "@context": "https://schema.org",
        "@type": "Project",
        "name": lab.title,
        "url": absolute_url(request, lab.get_url(request)),
        "description": lab.teaser or lab.challenge,
        "location": {
            "@type": "Place",
            "name": lab.place_name or lab.city,
            "address": {
                "@type": "PostalAddress",
                "streetAddress": lab.address.replace("\n", ", "),
                "addressLocality": lab.city,
            },
        },
        "member": [
            {
                "@type": "Person" if entry["actor"].kind == "person" else "Organization",
                "name": entry["actor"].title,
                "url": absolute_url(request, entry["actor"].get_url(request)),
                "roleName": str(entry["role"]),
            }
            for entry in partners
        ],
    }
    if lab.start_date:
        data["foundingDate"] = lab.start_date.isoformat()
    return data


def actor_structured_data(actor, request) -> dict:
    data = {
        "@context": "https://schema.org",
        "@type": "Person" if actor.kind == "person" else "Organization",
        "name": actor.title,
        "url": actor.website or absolute_url(request, actor.get_url(request)),
        "description": actor.description or actor.teaser,
    }
    if actor.city:
        data["address"] = {"@type": "PostalAddress", "addressLocality": actor.city}
    if actor.contact_email:
        data["email"] = actor.contact_email
    if actor.contact_phone:
        data["telephone"] = actor.contact_phone
    if actor.website:
        data["sameAs"] = [absolute_url(request, actor.get_url(request))]
    return data
