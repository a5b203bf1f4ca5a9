"""Demo labs in Dortmund and Wuppertal (the two cities of the KoSI-Lab project) and fifteen
fictional partner actors from all five sectors."""

import datetime

from .models import (
    ActorIndexPage,
    ActorKind,
    ActorPage,
    LabContact,
    LabIndexPage,
    LabPage,
    LabPartner,
    PartnerRole,
    Phase,
    Sector,
    Topic,
)

# (slug, name, English name)
TOPICS = [
    ("demografie", "Demografischer Wandel", "Demographic change"),
    ("nachbarschaft", "Nachbarschaft", "Neighbourhood"),
    ("beteiligung", "Bürgerbeteiligung", "Civic participation"),
    ("bildung", "Bildung", "Education"),
    ("digitalisierung", "Digitalisierung", "Digitalisation"),
]

# slug, name, sector, kind, city, German description, English description, logo colour
ACTORS = [
    (
        "nachbarschaftsverein-nordstadt",
        "Nachbarschaftsverein Nordstadt e. V.",
        Sector.CIVIL_SOCIETY,
        ActorKind.ORGANISATION,
        "Dortmund",
        "Ehrenamtliche organisieren Besuchsdienste, Mittagstische und Hilfe im Alltag.",
        "Volunteers organise visiting services, shared lunches and everyday help.",
        "#2f6b3a",
    ),
    (
        "seniorenforum-wuppertal",
        "Seniorenforum Wuppertal",
        Sector.CIVIL_SOCIETY,
        ActorKind.ORGANISATION,
        "Wuppertal",
        "Ältere Menschen vertreten ihre Anliegen gegenüber Stadt und Politik.",
        "Older people speak up for their concerns towards the city and its politicians.",
        "#7a4b12",
    ),
    (
        "jugendforum-oelberg",
        "Jugendforum Ölberg",
        Sector.CIVIL_SOCIETY,
        ActorKind.ORGANISATION,
        "Wuppertal",
        "Jugendliche bringen eigene Ideen für ihr Viertel ein.",
        "Young people contribute their own ideas for their neighbourhood.",
        "#8a1f4b",
    ),
    (
        "stadt-dortmund-soziales",
        "Stadt Dortmund – Fachbereich Soziales",
        Sector.ADMINISTRATION,
        ActorKind.ORGANISATION,
        "Dortmund",
        "Koordiniert das Dortmunder Labor und öffnet Verwaltungswissen für alle Beteiligten.",
        "Coordinates the Dortmund lab and opens up administrative knowledge to everyone involved.",
        "#005a9c",
    ),
    (
        "stadt-wuppertal-quartiersentwicklung",
        "Stadt Wuppertal – Quartiersentwicklung",
        Sector.ADMINISTRATION,
        ActorKind.ORGANISATION,
        "Wuppertal",
        "Bringt Planung, Soziales und Bürgerdienste im Wuppertaler Labor zusammen.",
        "Brings planning, social services and citizen services together in the Wuppertal lab.",
        "#1d4f91",
    ),
    (
        "seniorenbuero-innenstadt-nord",
        "Seniorenbüro Innenstadt-Nord",
        Sector.ADMINISTRATION,
        ActorKind.ORGANISATION,
        "Dortmund",
        "Berät ältere Menschen und ihre Angehörigen im Stadtbezirk.",
        "Advises older people and their families in the district.",
        "#3b5f7a",
    ),
    (
        "bezirksvertretung-innenstadt-nord",
        "Bezirksvertretung Innenstadt-Nord",
        Sector.POLITICS,
        ActorKind.ORGANISATION,
        "Dortmund",
        "Die gewählte Vertretung des Stadtbezirks begleitet das Labor politisch.",
        "The district's elected council supports the lab politically.",
        "#6b2d8a",
    ),
    (
        "sozialausschuss-wuppertal",
        "Ausschuss für Soziales, Familie und Gesundheit",
        Sector.POLITICS,
        ActorKind.ORGANISATION,
        "Wuppertal",
        "Der Ratsausschuss lässt sich regelmäßig über Ergebnisse des Labors berichten.",
        "The council committee receives regular reports on the lab's results.",
        "#5a2a6e",
    ),
    (
        "jugendrat-wuppertal",
        "Jugendrat Wuppertal",
        Sector.POLITICS,
        ActorKind.ORGANISATION,
        "Wuppertal",
        "Gewählte junge Menschen, die in der Stadtpolitik mitreden.",
        "Elected young people who have a say in city politics.",
        "#7d3c98",
    ),
    (
        "wohnungsgenossenschaft-nordstadt",
        "Wohnungsgenossenschaft Nordstadt eG",
        Sector.BUSINESS,
        ActorKind.ORGANISATION,
        "Dortmund",
        "Stellt Räume für Treffpunkte bereit und erprobt Wohnformen für das Alter.",
        "Provides rooms for meeting places and tests forms of housing for later life.",
        "#b03a2e",
    ),
    (
        "handwerk-im-tal",
        "Handwerksinitiative im Tal",
        Sector.BUSINESS,
        ActorKind.ORGANISATION,
        "Wuppertal",
        "Betriebe aus dem Quartier bieten Praktika und Reparatur-Treffs an.",
        "Local businesses offer internships and repair meet-ups.",
        "#a04000",
    ),
    (
        "quartiersladen",
        "Quartiersladen gGmbH",
        Sector.BUSINESS,
        ActorKind.ORGANISATION,
        "Dortmund",
        "Ein Sozialunternehmen mit Laden, Café und Lieferdienst für Nachbarinnen und Nachbarn.",
        "A social enterprise with a shop, café and delivery service for neighbours.",
        "#935116",
    ),
    (
        "institut-stadt-und-alter",
        "Forschungsinstitut Stadt & Alter",
        Sector.RESEARCH,
        ActorKind.ORGANISATION,
        "Dortmund",
        "Begleitet das Labor wissenschaftlich und wertet die Erfahrungen aus.",
        "Provides scientific support for the lab and evaluates its experience.",
        "#0e6655",
    ),
    (
        "zentrum-beteiligungsforschung",
        "Zentrum für Beteiligungsforschung",
        Sector.RESEARCH,
        ActorKind.ORGANISATION,
        "Wuppertal",
        "Erforscht, wie Beteiligung auf Augenhöhe in Kommunen gelingt.",
        "Studies how participation among equals succeeds in municipalities.",
        "#117864",
    ),
    (
        "miriam-sommer",
        "Dr. Miriam Sommer",
        Sector.RESEARCH,
        ActorKind.PERSON,
        "Wuppertal",
        "Sozialwissenschaftlerin, moderiert die Werkstätten der Labore.",
        "Social scientist who facilitates the labs' workshops.",
        "#1a5276",
    ),
]

PAGE_PATHS = {
    "/home/labore/aelter-werden-in-der-nordstadt/",
    "/home/labore/gemeinsam-im-quartier/",
    "/home/labore/lernorte-im-quartier/",
    *(f"/home/akteure/{actor[0]}/" for actor in ACTORS),
}


def build(builder):
    t = builder.texts
    home = builder.home
    lab_index = home.get_children().type(LabIndexPage).first().specific
    actor_index = home.get_children().type(ActorIndexPage).first().specific

    topics = {}
    for slug, name, english in TOPICS:
        t.pair(name, english)
        t.pair(slug, slug)
        topics[slug] = builder.snippet(Topic, {"slug": slug}, name=name)

    actors = {}
    for slug, name, sector, kind, city, description, english, colour in ACTORS:
        t.pair(name, name)
        t.pair(slug, slug)
        t.pair(city, city)
        t.pair(description, english)
        initials = "".join(word[0] for word in name.split() if word[0].isupper())[:2]
        actors[slug] = builder.page(
            actor_index,
            ActorPage(
                title=name,
                slug=slug,
                sector=sector,
                kind=kind,
                city=city,
                description=description,
                logo=None
                if kind == ActorKind.PERSON
                else builder.logo(f"Logo {name}", initials, colour),
                website=f"https://{slug}.example.org/",
            ),
        )

    def partners(*entries):
        # an explicit order: rows built in code have no sort_order otherwise
        return [
            LabPartner(actor=actors[slug], role=role, sort_order=position)
            for position, (slug, role) in enumerate(entries)
        ]

    def goals(*pairs):
        return [("goal", t.pair(de, en)) for de, en in pairs]

    builder.page(
        lab_index,
        LabPage(
            title=t.pair("Älter werden in der Nordstadt", "Growing older in the Nordstadt"),
            slug=t.pair("aelter-werden-in-der-nordstadt", "growing-older-in-the-nordstadt"),
            teaser=t.pair(
                "Wie können ältere Menschen in der Dortmunder Nordstadt gut und nicht allein "
                "leben?",
                "How can older people in Dortmund's Nordstadt live well and not alone?",
            ),
            city=t.pair("Dortmund", "Dortmund"),
            challenge=t.pair(
                "Demografischer Wandel: Immer mehr ältere Menschen leben allein und verlieren den "
                "Kontakt zur Nachbarschaft.",
                "Demographic change: more and more older people live alone and lose touch with "
                "their neighbourhood.",
            ),
            goals=goals(
                (
                    "Treffpunkte schaffen, die ältere Menschen zu Fuß erreichen",
                    "Create meeting places older people can reach on foot",
                ),
                (
                    "Hilfsangebote von Stadt, Vereinen und Nachbarschaft bündeln",
                    "Bring together help from the city, associations and neighbours",
                ),
                (
                    "Ältere Menschen selbst an allen Entscheidungen beteiligen",
                    "Involve older people themselves in every decision",
                ),
            ),
            body=[
                (
                    "paragraph",
                    t.paragraphs(
                        (
                            "Im Labor planen Verwaltung, Bezirkspolitik, Vereine, eine "
                            "Wohnungsgenossenschaft und Forschende gemeinsam mit Bewohnerinnen "
                            "und Bewohnern.",
                            "In the lab, the administration, district politicians, associations, "
                            "a housing cooperative and researchers plan together with residents.",
                        ),
                        (
                            "Neue Ideen werden im Kleinen erprobt, etwa ein offener Mittagstisch "
                            "oder ein Besuchsdienst, und erst dann verstetigt.",
                            "New ideas are tried out on a small scale, such as an open lunch "
                            "table or a visiting service, and only then made permanent.",
                        ),
                    ),
                )
            ],
            phase=Phase.SETUP,
            start_date=datetime.date(2023, 3, 1),
            place_name=t.pair("Quartierswerkstatt Nordstadt", "Nordstadt neighbourhood workshop"),
            address=t.pair("Musterstraße 12\n44147 Dortmund", "Musterstraße 12\n44147 Dortmund"),
            contacts=[
                LabContact(
                    name=t.pair("Aylin Demir", "Aylin Demir"),
                    role=t.pair("Koordination des Labors", "Lab coordination"),
                    email="nordstadt-lab@example.org",
                    phone="+49 231 000001",
                )
            ],
            partners=partners(
                ("stadt-dortmund-soziales", PartnerRole.LEAD),
                ("nachbarschaftsverein-nordstadt", PartnerRole.PARTNER),
                ("seniorenbuero-innenstadt-nord", PartnerRole.PARTNER),
                ("bezirksvertretung-innenstadt-nord", PartnerRole.CONTRIBUTOR),
                ("wohnungsgenossenschaft-nordstadt", PartnerRole.PARTNER),
                ("quartiersladen", PartnerRole.CONTRIBUTOR),
                ("institut-stadt-und-alter", PartnerRole.PARTNER),
            ),
            topics=[topics["demografie"], topics["nachbarschaft"], topics["beteiligung"]],
            hero_image_decorative=True,  # an abstract illustration
            hero_image=builder.image(
                "Älter werden in der Nordstadt (Illustration)",
                ["#f4efe6", "#005a9c", "#f2b134", "#2f6b3a"],
                seed=11,
            ),
        ),
    )

    builder.page(
        lab_index,
        LabPage(
            title=t.pair("Gemeinsam im Quartier", "Together in the neighbourhood"),
            slug=t.pair("gemeinsam-im-quartier", "together-in-the-neighbourhood"),
            teaser=t.pair(
                "Alt und Jung in Wuppertal entwickeln Nachbarschaftshilfe, die bleibt.",
                "Old and young people in Wuppertal develop neighbourly help that lasts.",
            ),
            city=t.pair("Wuppertal", "Wuppertal"),
            challenge=t.pair(
                "Nachbarschaftliche Unterstützung bricht weg, weil Familien wegziehen und "
                "Ehrenamtliche älter werden.",
                "Neighbourly support is disappearing because families move away and volunteers "
                "are getting older.",
            ),
            goals=goals(
                (
                    "Jüngere und ältere Menschen im Quartier zusammenbringen",
                    "Bring younger and older people in the neighbourhood together",
                ),
                (
                    "Ein Konzept für eine dauerhafte Nachbarschaftsbörse entwickeln",
                    "Develop a concept for a lasting neighbourhood exchange",
                ),
            ),
            body=[
                (
                    "paragraph",
                    t.paragraphs(
                        (
                            "Das Wuppertaler Labor steht am Anfang: In Werkstätten sammeln die "
                            "Beteiligten Bedarfe und entwerfen gemeinsam ein Konzept.",
                            "The Wuppertal lab is at the beginning: in workshops, the "
                            "participants gather needs and draft a concept together.",
                        ),
                    ),
                )
            ],
            phase=Phase.CONCEPT,
            start_date=datetime.date(2023, 9, 1),
            place_name=t.pair("Stadtteiltreff Ölberg", "Ölberg community centre"),
            address=t.pair("Beispielweg 3\n42105 Wuppertal", "Beispielweg 3\n42105 Wuppertal"),
            contacts=[
                LabContact(
                    name=t.pair("Jonas Krüger", "Jonas Krüger"),
                    role=t.pair("Quartiersmanagement", "Neighbourhood management"),
                    email="oelberg-lab@example.org",
                )
            ],
            partners=partners(
                ("stadt-wuppertal-quartiersentwicklung", PartnerRole.LEAD),
                ("seniorenforum-wuppertal", PartnerRole.PARTNER),
                ("jugendforum-oelberg", PartnerRole.PARTNER),
                ("sozialausschuss-wuppertal", PartnerRole.CONTRIBUTOR),
                ("jugendrat-wuppertal", PartnerRole.CONTRIBUTOR),
                ("handwerk-im-tal", PartnerRole.PARTNER),
                ("zentrum-beteiligungsforschung", PartnerRole.PARTNER),
                ("miriam-sommer", PartnerRole.CONTRIBUTOR),
            ),
            topics=[topics["nachbarschaft"], topics["beteiligung"], topics["digitalisierung"]],
            hero_image_decorative=True,  # an abstract illustration
            hero_image=builder.image(
                "Gemeinsam im Quartier (Illustration)",
                ["#eef3f8", "#1d4f91", "#8a1f4b", "#f2b134"],
                seed=23,
            ),
        ),
    )

    builder.page(
        lab_index,
        LabPage(
            title=t.pair("Lernorte im Quartier", "Places of learning in the neighbourhood"),
            slug=t.pair("lernorte-im-quartier", "places-of-learning-in-the-neighbourhood"),
            teaser=t.pair(
                "Eine erste Idee aus Dortmund: Schulen, Bibliothek und Vereine öffnen ihre Räume.",
                "A first idea from Dortmund: schools, the library and associations open their "
                "rooms.",
            ),
            city=t.pair("Dortmund", "Dortmund"),
            challenge=t.pair(
                "Es fehlen offene Orte, an denen Menschen jeden Alters voneinander lernen.",
                "There are too few open places where people of all ages learn from each other.",
            ),
            goals=goals(
                (
                    "Klären, welche Räume abends und am Wochenende frei sind",
                    "Find out which rooms are free in the evenings and at weekends",
                ),
            ),
            phase=Phase.IDEA,
            partners=partners(
                ("stadt-dortmund-soziales", PartnerRole.LEAD),
                ("nachbarschaftsverein-nordstadt", PartnerRole.CONTRIBUTOR),
            ),
            topics=[topics["bildung"]],
        ),
    )
    add_review_by_link_workflow()


def add_review_by_link_workflow():
    """German lab pages go from the editorial check to a department head who approves by
    link (the link appears in the console's mail output), so the demo shows both kinds of
    step."""
    from wagtail.models import Workflow, WorkflowPage, WorkflowTask

    from portal.editorial.roles import STEPS
    from portal.editorial.tasks import FourEyesApprovalTask, LinkReviewTask

    workflow, _created = Workflow.objects.get_or_create(
        name="Redaktionelle Prüfung → Amtsleitung per Link"
    )
    editorial_check = FourEyesApprovalTask.objects.get(name=STEPS[0][0])
    link_task = LinkReviewTask.objects.filter(name="Amtsleitung per Link").first()
    if link_task is None:
        link_task = LinkReviewTask.objects.create(
            name="Amtsleitung per Link",
            reviewer_name="Amtsleitung Soziales (Demo)",
            reviewer_email="amtsleitung@example.org",
        )
    for order, task in enumerate([editorial_check, link_task]):
        WorkflowTask.objects.update_or_create(
            workflow=workflow, task=task, defaults={"sort_order": order}
        )
    lab_directory = LabIndexPage.objects.filter(locale__language_code="de").first()
    if lab_directory is not None:
        WorkflowPage.objects.update_or_create(page=lab_directory, defaults={"workflow": workflow})
