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

# Each lab: German and English text as (de, en) pairs; partners as (actor slug, role).
LABS = [
    {
        "title": ("Älter werden in der Nordstadt", "Growing older in the Nordstadt"),
        "slug": ("aelter-werden-in-der-nordstadt", "growing-older-in-the-nordstadt"),
        "teaser": (
            "Wie können ältere Menschen in der Dortmunder Nordstadt gut und nicht allein leben?",
            "How can older people in Dortmund's Nordstadt live well and not alone?",
        ),
        "city": ("Dortmund", "Dortmund"),
        "challenge": (
            "Demografischer Wandel: Immer mehr ältere Menschen leben allein und verlieren den "
            "Kontakt zur Nachbarschaft.",
            "Demographic change: more and more older people live alone and lose touch with "
            "their neighbourhood.",
        ),
        "goals": [
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
        ],
        "approach": [
            (
                "Im Labor planen Verwaltung, Bezirkspolitik, Vereine, eine Wohnungsgenossenschaft "
                "und Forschende gemeinsam mit Bewohnerinnen und Bewohnern.",
                "In the lab, the administration, district politicians, associations, a housing "
                "cooperative and researchers plan together with residents.",
            ),
            (
                "Neue Ideen werden im Kleinen erprobt, etwa ein offener Mittagstisch oder ein "
                "Besuchsdienst, und erst dann verstetigt.",
                "New ideas are tried out on a small scale, such as an open lunch table or a "
                "visiting service, and only then made permanent.",
            ),
        ],
        "phase": Phase.SETUP,
        "start_date": datetime.date(2023, 3, 1),
        "place_name": ("Quartierswerkstatt Nordstadt", "Nordstadt neighbourhood workshop"),
        "address": ("Musterstraße 12\n44147 Dortmund", "Musterstraße 12\n44147 Dortmund"),
        "contacts": [
            {
                "name": ("Aylin Demir", "Aylin Demir"),
                "role": ("Koordination des Labors", "Lab coordination"),
                "email": "nordstadt-lab@example.org",
                "phone": "+49 231 000001",
            }
        ],
        "partners": [
            ("stadt-dortmund-soziales", PartnerRole.LEAD),
            ("nachbarschaftsverein-nordstadt", PartnerRole.PARTNER),
            ("seniorenbuero-innenstadt-nord", PartnerRole.PARTNER),
            ("bezirksvertretung-innenstadt-nord", PartnerRole.CONTRIBUTOR),
            ("wohnungsgenossenschaft-nordstadt", PartnerRole.PARTNER),
            ("quartiersladen", PartnerRole.CONTRIBUTOR),
            ("institut-stadt-und-alter", PartnerRole.PARTNER),
        ],
        "topics": ["demografie", "nachbarschaft", "beteiligung"],
        "illustration": ["#f4efe6", "#005a9c", "#f2b134", "#2f6b3a"],
        "seed": 11,
    },
    {
        "title": ("Gemeinsam im Quartier", "Together in the neighbourhood"),
        "slug": ("gemeinsam-im-quartier", "together-in-the-neighbourhood"),
        "teaser": (
            "Alt und Jung in Wuppertal entwickeln Nachbarschaftshilfe, die bleibt.",
            "Old and young people in Wuppertal develop neighbourly help that lasts.",
        ),
        "city": ("Wuppertal", "Wuppertal"),
        "challenge": (
            "Nachbarschaftliche Unterstützung bricht weg, weil Familien wegziehen und "
            "Ehrenamtliche älter werden.",
            "Neighbourly support is disappearing because families move away and volunteers "
            "are getting older.",
        ),
        "goals": [
            (
                "Jüngere und ältere Menschen im Quartier zusammenbringen",
                "Bring younger and older people in the neighbourhood together",
            ),
            (
                "Ein Konzept für eine dauerhafte Nachbarschaftsbörse entwickeln",
                "Develop a concept for a lasting neighbourhood exchange",
            ),
        ],
        "approach": [
            (
                "Das Wuppertaler Labor steht am Anfang: In Werkstätten sammeln die Beteiligten "
                "Bedarfe und entwerfen gemeinsam ein Konzept.",
                "The Wuppertal lab is at the beginning: in workshops, the participants gather "
                "needs and draft a concept together.",
            ),
        ],
        "phase": Phase.CONCEPT,
        "start_date": datetime.date(2023, 9, 1),
        "place_name": ("Stadtteiltreff Ölberg", "Ölberg community centre"),
        "address": ("Beispielweg 3\n42105 Wuppertal", "Beispielweg 3\n42105 Wuppertal"),
        "contacts": [
            {
                "name": ("Jonas Krüger", "Jonas Krüger"),
                "role": ("Quartiersmanagement", "Neighbourhood management"),
                "email": "oelberg-lab@example.org",
            }
        ],
        "partners": [
            ("stadt-wuppertal-quartiersentwicklung", PartnerRole.LEAD),
            ("seniorenforum-wuppertal", PartnerRole.PARTNER),
            ("jugendforum-oelberg", PartnerRole.PARTNER),
            ("sozialausschuss-wuppertal", PartnerRole.CONTRIBUTOR),
            ("jugendrat-wuppertal", PartnerRole.CONTRIBUTOR),
            ("handwerk-im-tal", PartnerRole.PARTNER),
            ("zentrum-beteiligungsforschung", PartnerRole.PARTNER),
            ("miriam-sommer", PartnerRole.CONTRIBUTOR),
        ],
        "topics": ["nachbarschaft", "beteiligung", "digitalisierung"],
        "illustration": ["#eef3f8", "#1d4f91", "#8a1f4b", "#f2b134"],
        "seed": 23,
    },
    {
        "title": ("Lernorte im Quartier", "Places of learning in the neighbourhood"),
        "slug": ("lernorte-im-quartier", "places-of-learning-in-the-neighbourhood"),
        "teaser": (
            "Eine erste Idee aus Dortmund: Schulen, Bibliothek und Vereine öffnen ihre Räume.",
            "A first idea from Dortmund: schools, the library and associations open their rooms.",
        ),
        "city": ("Dortmund", "Dortmund"),
        "challenge": (
            "Es fehlen offene Orte, an denen Menschen jeden Alters voneinander lernen.",
            "There are too few open places where people of all ages learn from each other.",
        ),
        "goals": [
            (
                "Klären, welche Räume abends und am Wochenende frei sind",
                "Find out which rooms are free in the evenings and at weekends",
            ),
        ],
        "phase": Phase.IDEA,
        "partners": [
            ("stadt-dortmund-soziales", PartnerRole.LEAD),
            ("nachbarschaftsverein-nordstadt", PartnerRole.CONTRIBUTOR),
        ],
        "topics": ["bildung"],
    },
]

# The demo's second municipality, Lindental (fictional): one lab, two partners.
LINDENTAL_ACTORS = [
    (
        "dorfverein-lindental",
        "Dorfverein Lindental e. V.",
        Sector.CIVIL_SOCIETY,
        ActorKind.ORGANISATION,
        "Lindental",
        "Hält das Dorfleben zusammen: Feste, Nachbarschaftshilfe und der Bürgerbus.",
        "Keeps village life together: festivals, neighbourly help and the community bus.",
        "#6b4e16",
    ),
    (
        "gemeinde-lindental",
        "Gemeinde Lindental, Bürgermeisteramt",
        Sector.ADMINISTRATION,
        ActorKind.ORGANISATION,
        "Lindental",
        "Die Gemeindeverwaltung koordiniert das Labor und stellt Räume im Rathaus.",
        "The municipal administration coordinates the lab and provides rooms in the town hall.",
        "#1f6b3a",
    ),
]
LINDENTAL_LAB = {
    "title": ("Dorfladen der Zukunft", "The village shop of the future"),
    "slug": ("dorfladen-der-zukunft", "village-shop-of-the-future"),
    "teaser": (
        "Wie bekommt Lindental wieder einen Ort zum Einkaufen und Treffen?",
        "How can Lindental get a place to shop and meet again?",
    ),
    "city": ("Lindental", "Lindental"),
    "challenge": (
        "Der letzte Laden hat geschlossen; ältere Menschen ohne Auto versorgen sich schwer.",
        "The last shop has closed; older people without a car find it hard to get supplies.",
    ),
    "goals": [
        (
            "Ein Konzept für einen gemeinschaftlich betriebenen Dorfladen",
            "A concept for a community-run village shop",
        ),
    ],
    "phase": Phase.CONCEPT,
    "partners": [
        ("gemeinde-lindental", PartnerRole.LEAD),
        ("dorfverein-lindental", PartnerRole.PARTNER),
    ],
    "topics": ["nachbarschaft"],
}

PAGE_PATHS = {
    *(f"/home/labore/{lab['slug'][0]}/" for lab in LABS),
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

    actors = {actor[0]: builder.page(actor_index, actor_page(builder, actor)) for actor in ACTORS}
    for lab in LABS:
        builder.page(lab_index, lab_page(builder, lab, actors, topics))

    add_review_by_link_workflow()


def build_lindental(builder):
    """The second municipality's lab and its two partners (see portal/demo.py)."""
    lab_index = builder.home.get_children().type(LabIndexPage).first().specific
    actor_index = builder.home.get_children().type(ActorIndexPage).first().specific
    actors = {
        actor[0]: builder.page(actor_index, actor_page(builder, actor))
        for actor in LINDENTAL_ACTORS
    }
    topics = {topic.slug: topic for topic in Topic.objects.filter(locale=builder.german)}
    builder.page(lab_index, lab_page(builder, LINDENTAL_LAB, actors, topics))


def actor_page(builder, actor: tuple) -> ActorPage:
    """An ActorPage from one entry of ACTORS, its texts registered for the translation."""
    t = builder.texts
    slug, name, sector, kind, city, description, english, colour = actor
    t.pair(name, name)
    t.pair(slug, slug)
    t.pair(city, city)
    t.pair(description, english)
    initials = "".join(word[0] for word in name.split() if word[0].isupper())[:2]
    return ActorPage(
        title=name,
        slug=slug,
        sector=sector,
        kind=kind,
        city=city,
        description=description,
        logo=None if kind == ActorKind.PERSON else builder.logo(f"Logo {name}", initials, colour),
        website=f"https://{slug}.example.org/",
    )


def lab_page(builder, lab: dict, actors: dict, topics: dict) -> LabPage:
    """A LabPage from one entry of LABS, its texts registered for the translation."""
    t = builder.texts
    texts = {
        field: t.pair(*lab[field])
        for field in ("title", "slug", "teaser", "city", "challenge", "place_name", "address")
        if field in lab
    }
    page = LabPage(
        **texts,
        phase=lab["phase"],
        start_date=lab.get("start_date"),
        goals=[("goal", t.pair(*goal)) for goal in lab["goals"]],
        body=[("paragraph", t.paragraphs(*lab["approach"]))] if lab.get("approach") else [],
        contacts=[
            LabContact(
                name=t.pair(*contact["name"]),
                role=t.pair(*contact["role"]),
                email=contact["email"],
                phone=contact.get("phone", ""),
            )
            for contact in lab.get("contacts", [])
        ],
        # an explicit order: rows built in code have no sort_order otherwise
        partners=[
            LabPartner(actor=actors[slug], role=role, sort_order=position)
            for position, (slug, role) in enumerate(lab["partners"])
        ],
        topics=[topics[slug] for slug in lab["topics"]],
    )
    if "illustration" in lab:
        page.hero_image = builder.image(
            f"{texts['title']} (Illustration)", lab["illustration"], lab["seed"]
        )
        page.hero_image_decorative = True  # an abstract illustration
    return page


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
