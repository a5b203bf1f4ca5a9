"""The demo knowledge library: the way through the four phases and materials for each of
them, with small generated files (PDF and CSV) in German and English."""

import csv
import io

from events.models import EventPage
from labs.models import LabPage, Phase, Topic
from portal.content import pdf

from .models import LibraryPage, MaterialPage, MaterialType, PhaseStep

ATTRIBUTION = "KoSI-Lab, Städte Dortmund und Wuppertal"

LIBRARY = {
    "intro": (
        "Leitfäden, Vorlagen, Checklisten, Methodenkarten und Fallbeispiele aus der "
        "Werkstattreihe und den Laboren – zum Nachnutzen und Anpassen in Ihrer Kommune.",
        "Guides, templates, checklists, method cards and case studies from the workshop series "
        "and the labs – to reuse and adapt in your municipality.",
    ),
    "guide_intro": (
        "Ein Labor sozialer Innovation entsteht in vier Phasen. Zu jeder Phase finden Sie, "
        "was sie verlangt, welche Aufgaben und Strukturen anstehen, wen Sie einbinden, die "
        "passende Werkstatt der Reihe und die Materialien dazu.",
        "A lab of social innovation comes about in four phases. For each phase you find what "
        "it requires, which tasks and structures lie ahead, whom to involve, the workshop of "
        "the series that covers it, and its materials.",
    ),
}

# phase: requirements, tasks, structures, actors (each a (de, en) pair); the series' part
STEPS = {
    Phase.IDEA: {
        "requirements": (
            "Ein Schlüsselproblem, das die Kommune allein nicht lösen kann, und Menschen in "
            "Verwaltung und Stadtgesellschaft, die es gemeinsam angehen wollen.",
            "A key problem the municipality cannot solve alone, and people in the "
            "administration and local society who want to tackle it together.",
        ),
        "tasks": (
            "Die Herausforderung beschreiben, Beispiele anderer Labore kennenlernen, einen "
            "ersten Kreis von Unterstützerinnen und Unterstützern finden.",
            "Describe the challenge, get to know other labs' examples, find a first circle of "
            "supporters.",
        ),
        "structures": (
            "Noch keine festen: eine kleine Kerngruppe und ein Auftrag aus der Verwaltungsspitze.",
            "None fixed yet: a small core group and a mandate from the head of administration.",
        ),
        "actors": (
            "Verwaltung und Politik für den Auftrag, Zivilgesellschaft für die Sicht der "
            "Betroffenen; Wirtschaft und Forschung früh ansprechen.",
            "Administration and politics for the mandate, civil society for the view of those "
            "affected; approach business and research early.",
        ),
        "part": "grundlagen",
    },
    Phase.CONCEPT: {
        "requirements": (
            "Eine geteilte Vorstellung, was das Labor leisten soll, und Zeit der Beteiligten "
            "für die Konzeptarbeit.",
            "A shared idea of what the lab is to achieve, and the participants' time for "
            "working on the concept.",
        ),
        "tasks": (
            "Ziele, Aufgaben und Arbeitsweise festlegen; klären, wie die fünf Bereiche auf "
            "Augenhöhe zusammenarbeiten.",
            "Set goals, tasks and ways of working; agree how the five sectors work together as "
            "equals.",
        ),
        "structures": (
            "Eine Steuerungsgruppe aus allen Bereichen und eine Koordination in der Verwaltung.",
            "A steering group from all sectors and a coordinator in the administration.",
        ),
        "actors": (
            "Zivilgesellschaft, Verwaltung, Politik, Wirtschaft und Forschung gemeinsam am "
            "Tisch; jede Gruppe benennt feste Ansprechpersonen.",
            "Civil society, administration, politics, business and research at one table; "
            "each group names fixed contacts.",
        ),
        "part": "konzeptentwicklung",
    },
    Phase.SETUP: {
        "requirements": (
            "Ein beschlossenes Konzept, ein Raum und ein Budget für die ersten Vorhaben.",
            "An adopted concept, a room and a budget for the first projects.",
        ),
        "tasks": (
            "Den Laborraum öffnen, Rollen besetzen, erste Vorhaben als Prototypen erproben.",
            "Open the lab's room, fill the roles, try out first projects as prototypes.",
        ),
        "structures": (
            "Ein offener Ort mit festen Zeiten, eine Laborleitung, Arbeitsgruppen je Vorhaben.",
            "An open place with fixed hours, a lab management, working groups per project.",
        ),
        "actors": (
            "Die Stadtgesellschaft als Mitgestaltende, die Fachverwaltung für die Umsetzung, "
            "die Forschung für die Begleitung.",
            "Local society as co-creators, the specialist departments for implementation, "
            "research for evaluation.",
        ),
        "part": "aufbau",
    },
    Phase.CONSOLIDATION: {
        "requirements": (
            "Erste Ergebnisse, die zeigen, was das Labor bewirkt, und der Wille, es dauerhaft "
            "zu tragen.",
            "First results that show what the lab achieves, and the will to sustain it.",
        ),
        "tasks": (
            "Wirkungen festhalten, die Finanzierung über die Förderung hinaus sichern, das "
            "Labor in der Verwaltung verankern.",
            "Record the impact, secure funding beyond the grant, anchor the lab in the "
            "administration.",
        ),
        "structures": (
            "Ein Ratsbeschluss, eine Stelle im Haushalt, Kooperationsvereinbarungen mit den "
            "Partnern.",
            "A council decision, a post in the budget, cooperation agreements with the partners.",
        ),
        "actors": (
            "Politik für den Beschluss, Verwaltung für die Verankerung, Wirtschaft und "
            "Stiftungen als Mitfinanzierende.",
            "Politics for the decision, the administration for anchoring it, business and "
            "foundations as co-funders.",
        ),
        "part": "verstetigung",
    },
}

ALL = ["civil_society", "administration", "politics", "business", "research"]

# Materials: texts as (de, en) pairs; files as (kind of file, file name without suffix,
# (de, en) title, the lines in both languages); relations by German slug.
MATERIALS = [
    {
        "title": ("Leitfaden: Was ist ein KoSI-Lab?", "Guide: What is a KoSI-Lab?"),
        "slug": ("leitfaden-was-ist-ein-kosi-lab", "guide-what-is-a-kosi-lab"),
        "teaser": (
            "Was Kommunale Labore sozialer Innovation sind und was sie Kommunen bringen.",
            "What municipal labs of social innovation are and what they offer municipalities.",
        ),
        "type": MaterialType.GUIDE,
        "phase": Phase.IDEA,
        "audience": ALL,
        "topics": ["beteiligung"],
        "workshops": ["grundlagen"],
        "files": [("pdf", "leitfaden-kosi-lab")],
    },
    {
        "title": (
            "Checkliste: Ist unsere Kommune bereit für ein Labor?",
            "Checklist: Is our municipality ready for a lab?",
        ),
        "slug": ("checkliste-bereitschaft", "checklist-readiness"),
        "teaser": (
            "Zehn Fragen, bevor es losgeht: Auftrag, Menschen, Raum und Zeit.",
            "Ten questions before you start: mandate, people, space and time.",
        ),
        "type": MaterialType.CHECKLIST,
        "phase": Phase.IDEA,
        "audience": ["administration", "politics"],
        "topics": [],
        "workshops": ["grundlagen"],
        "files": [("csv", "checkliste-bereitschaft")],
    },
    {
        "title": (
            "Methodenkarte: Herausforderungen sammeln",
            "Method card: Collecting challenges",
        ),
        "slug": ("methodenkarte-herausforderungen", "method-card-challenges"),
        "teaser": (
            "In 90 Minuten von vielen Problemen zu einem gemeinsamen Schlüsselproblem.",
            "From many problems to one shared key problem in 90 minutes.",
        ),
        "type": MaterialType.METHOD_CARD,
        "phase": Phase.IDEA,
        "audience": ["civil_society", "administration"],
        "topics": ["demografie", "beteiligung"],
        "workshops": ["grundlagen"],
        "files": [("pdf", "methodenkarte-herausforderungen")],
    },
    {
        "title": ("Vorlage: Laborkonzept auf einer Seite", "Template: A lab concept on one page"),
        "slug": ("vorlage-laborkonzept", "template-lab-concept"),
        "teaser": (
            "Ziele, Aufgaben, Strukturen und Beteiligte eines Labors auf einen Blick.",
            "A lab's goals, tasks, structures and participants at a glance.",
        ),
        "type": MaterialType.TEMPLATE,
        "phase": Phase.CONCEPT,
        "audience": ["administration", "civil_society"],
        "topics": [],
        "workshops": ["konzeptentwicklung"],
        "files": [("pdf", "vorlage-laborkonzept"), ("csv", "vorlage-laborkonzept-tabelle")],
    },
    {
        "title": (
            "Checkliste: Akteure aus fünf Bereichen einbinden",
            "Checklist: Involving actors from five sectors",
        ),
        "slug": ("checkliste-akteure", "checklist-actors"),
        "teaser": (
            "Wer aus Zivilgesellschaft, Verwaltung, Politik, Wirtschaft und Forschung mitwirkt.",
            "Who from civil society, administration, politics, business and research takes part.",
        ),
        "type": MaterialType.CHECKLIST,
        "phase": Phase.CONCEPT,
        "audience": ALL,
        "topics": ["beteiligung"],
        "workshops": ["konzeptentwicklung"],
        "files": [("csv", "checkliste-akteure")],
    },
    {
        "title": ("Leitfaden: Räume und Rollen im Labor", "Guide: Rooms and roles in the lab"),
        "slug": ("leitfaden-raeume-und-rollen", "guide-rooms-and-roles"),
        "teaser": (
            "Was ein Laborraum braucht und wer im Labor welche Aufgabe übernimmt.",
            "What a lab's room needs and who takes on which task in the lab.",
        ),
        "type": MaterialType.GUIDE,
        "phase": Phase.SETUP,
        "audience": ["administration", "civil_society"],
        "topics": ["nachbarschaft"],
        "workshops": ["aufbau"],
        "labs": ["gemeinsam-im-quartier"],
        "files": [("pdf", "leitfaden-raeume-und-rollen")],
    },
    {
        "title": (
            "Fallbeispiel: Älter werden in der Nordstadt",
            "Case study: Growing older in the Nordstadt",
        ),
        "slug": ("fallbeispiel-nordstadt", "case-study-nordstadt"),
        "teaser": (
            "Wie das Dortmunder Labor mit Älteren, Quartier und Verwaltung Angebote entwickelt.",
            "How the Dortmund lab develops services with older people, the neighbourhood and "
            "the administration.",
        ),
        "type": MaterialType.CASE_STUDY,
        "phase": Phase.SETUP,
        "audience": ["administration", "civil_society", "research"],
        "topics": ["demografie", "nachbarschaft"],
        "workshops": [],
        "labs": ["aelter-werden-in-der-nordstadt"],
        "files": [("pdf", "fallbeispiel-nordstadt")],
    },
    {
        "title": ("Leitfaden: Das Labor verstetigen", "Guide: Making the lab last"),
        "slug": ("leitfaden-verstetigung", "guide-consolidation"),
        "teaser": (
            "Vom Förderprojekt zur festen Einrichtung: Beschluss, Haushalt, Partnerschaften.",
            "From funded project to permanent institution: decision, budget, partnerships.",
        ),
        "type": MaterialType.GUIDE,
        "phase": Phase.CONSOLIDATION,
        "audience": ["politics", "administration"],
        "topics": [],
        "workshops": ["verstetigung"],
        "files": [("pdf", "leitfaden-verstetigung")],
    },
    {
        "title": ("Vorlage: Wirkungen festhalten", "Template: Recording the impact"),
        "slug": ("vorlage-wirkungen", "template-impact"),
        "teaser": (
            "Eine Tabelle, um Vorhaben, Beteiligte und Wirkungen über die Jahre zu erfassen.",
            "A table to record projects, participants and impact over the years.",
        ),
        "type": MaterialType.TEMPLATE,
        "phase": Phase.CONSOLIDATION,
        "audience": ["research", "administration"],
        "topics": [],
        "workshops": ["verstetigung"],
        "files": [("csv", "vorlage-wirkungen")],
    },
]

PAGE_PATHS = {f"/home/wissen/{material['slug'][0]}/" for material in MATERIALS}

CSV_ROWS = {
    "checkliste-bereitschaft": [
        ("Frage / Question", "Ja / Yes", "Nein / No"),
        ("Gibt es einen Auftrag der Verwaltungsspitze? / Is there a mandate?", "", ""),
        ("Ist das Schlüsselproblem benannt? / Is the key problem named?", "", ""),
        ("Gibt es eine Kerngruppe? / Is there a core group?", "", ""),
        ("Steht ein Raum in Aussicht? / Is a room in sight?", "", ""),
    ],
    "vorlage-laborkonzept-tabelle": [
        ("Baustein / Element", "Unser Labor / Our lab"),
        ("Ziele / Goals", ""),
        ("Aufgaben / Tasks", ""),
        ("Strukturen / Structures", ""),
        ("Beteiligte / Participants", ""),
    ],
    "checkliste-akteure": [
        ("Bereich / Sector", "Wer? / Who?", "Angesprochen / Approached"),
        ("Zivilgesellschaft / Civil society", "", ""),
        ("Verwaltung / Administration", "", ""),
        ("Politik / Politics", "", ""),
        ("Wirtschaft / Business", "", ""),
        ("Forschung / Research", "", ""),
    ],
    "vorlage-wirkungen": [
        ("Jahr / Year", "Vorhaben / Project", "Beteiligte / Participants", "Wirkung / Impact"),
        ("", "", "", ""),
    ],
}


def csv_file(rows) -> bytes:
    """UTF-8 with a byte order mark, so spreadsheet programs read the umlauts."""
    buffer = io.StringIO()
    csv.writer(buffer, delimiter=";").writerows(rows)
    return buffer.getvalue().encode("utf-8-sig")


def files(builder, material: dict) -> list[dict]:
    t = builder.texts
    blocks = []
    for kind, name in material["files"]:
        title_de, title_en = material["title"]
        if kind == "pdf":
            content = pdf(
                f"{title_de} / {title_en}",
                [
                    material["teaser"][0],
                    "",
                    material["teaser"][1],
                    "",
                    f"CC BY 4.0 - {ATTRIBUTION}",
                ],
            )
        else:
            content = csv_file(CSV_ROWS[name])
        document = builder.document(f"{title_de} ({kind.upper()})", f"{name}.{kind}", content)
        label = (title_de, title_en)
        if kind == "csv":
            label = (f"{title_de} – Tabelle", f"{title_en} – table")
        blocks.append({"type": "file", "value": {"document": document.pk, "title": t(*label)}})
    return blocks


def build(builder):
    t = builder.texts
    library = builder.home.get_children().type(LibraryPage).first().specific
    german = builder.german
    workshops = {
        event.slug: event
        for event in EventPage.objects.filter(locale=german).descendant_of(builder.home)
    }
    labs = {
        lab.slug: lab for lab in LabPage.objects.filter(locale=german).descendant_of(builder.home)
    }
    topics = {topic.slug: topic for topic in Topic.objects.filter(locale=german)}
    if not library.intro:
        t.pair(library.title, "Knowledge & tools")
        t.pair(library.slug, "knowledge")
        library.intro = t(*LIBRARY["intro"])
        library.guide_intro = t(*LIBRARY["guide_intro"])
        library.phase_steps = [
            PhaseStep(
                sort_order=position,
                phase=phase,
                workshop=workshops.get(step["part"]),
                **{
                    field: t(*step[field])
                    for field in ("requirements", "tasks", "structures", "actors")
                },
            )
            for position, (phase, step) in enumerate(STEPS.items())
        ]
        builder.publish(library, "Filled the knowledge library")
    for material in MATERIALS:
        builder.page(
            library,
            MaterialPage(
                title=t(*material["title"]),
                slug=t(*material["slug"]),
                teaser=t(*material["teaser"]),
                material_type=material["type"],
                phase=material["phase"],
                audience=material["audience"],
                attribution=t(ATTRIBUTION, "KoSI-Lab, cities of Dortmund and Wuppertal"),
                files=files(builder, material),
                topics=[topics[slug] for slug in material["topics"] if slug in topics],
                workshops=[workshops[slug] for slug in material["workshops"] if slug in workshops],
                labs=[labs[slug] for slug in material.get("labs", []) if slug in labs],
            ),
        )


# The demo's second municipality, Lindental (fictional): one material of its own.
LINDENTAL_MATERIAL = {
    "title": (
        "Checkliste: Ein Dorfladen in Bürgerhand",
        "Checklist: A village shop run by citizens",
    ),
    "slug": ("checkliste-dorfladen", "checklist-village-shop"),
    "teaser": (
        "Was ein Dorf klären sollte, bevor es seinen Laden selbst betreibt.",
        "What a village should settle before it runs its own shop.",
    ),
    "type": MaterialType.CHECKLIST,
    "phase": Phase.IDEA,
    "audience": ["civil_society", "politics"],
    "files": [("csv", "checkliste-dorfladen")],
}
CSV_ROWS["checkliste-dorfladen"] = [
    ("Frage / Question", "Geklärt / Settled"),
    ("Wer betreibt den Laden? / Who runs the shop?", ""),
    ("Welche Räume? / Which rooms?", ""),
    ("Welche Lieferanten? / Which suppliers?", ""),
]


def build_lindental(builder):
    t = builder.texts
    library = builder.home.get_children().type(LibraryPage).first().specific
    t.pair(library.title, "Knowledge & tools")
    t.pair(library.slug, "knowledge")
    material = LINDENTAL_MATERIAL
    builder.page(
        library,
        MaterialPage(
            title=t(*material["title"]),
            slug=t(*material["slug"]),
            teaser=t(*material["teaser"]),
            material_type=material["type"],
            phase=material["phase"],
            audience=material["audience"],
            attribution=t("Gemeinde Lindental", "Municipality of Lindental"),
            files=files(builder, material),
        ),
    )
