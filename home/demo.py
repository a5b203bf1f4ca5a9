"""Demo content of the home app: the home page's hero and text, and a content page about
the project. Texts are (de, en) pairs, rich text `rich(...)`; the builder registers every
pair for the English translation (portal/content.py)."""

from portal.content import rich

from .models import ContentPage

# Pages this module creates or fills, by their German URL path.
PAGE_PATHS = {"/home/", "/home/ueber-das-projekt/"}

ABOUT = {
    "title": ("Über das Projekt", "About the project"),
    "slug": ("ueber-das-projekt", "about-the-project"),
    "teaser": (
        "Was Kommunale Labore sozialer Innovation sind und was Dortmund und Wuppertal mit "
        "ihnen vorhaben.",
        "What municipal labs of social innovation are, and what Dortmund and Wuppertal plan to "
        "do with them.",
    ),
    "body": [
        ("heading", {"text": ("Was ist ein KoSI-Lab?", "What is a KoSI-Lab?")}),
        (
            "paragraph",
            rich(
                (
                    "Ein Kommunales Labor sozialer Innovation ist eine offene Einrichtung "
                    "der Kommune. Dort arbeiten Menschen aus Verwaltung, Politik, "
                    "Wirtschaft, Zivilgesellschaft und Forschung gemeinsam an einem "
                    "zentralen Problem ihrer Stadt.",
                    "A municipal lab of social innovation is an open institution run by "
                    "the municipality. People from administration, politics, business, "
                    "civil society and research work there together on a key problem "
                    "of their city.",
                ),
                (
                    "Alle bringen ihr Wissen gleichberechtigt ein. So entstehen praxisnahe "
                    "soziale Lösungen, etwa für den Umgang mit dem demografischen Wandel.",
                    "Everyone contributes their knowledge as an equal. This produces "
                    "practical social solutions, for example for dealing with "
                    "demographic change.",
                ),
            ),
        ),
        (
            "heading",
            {"text": ("Das Projekt KoSI-Lab", "The KoSI-Lab project")},
        ),
        (
            "paragraph",
            rich(
                (
                    "Die Städte Dortmund und Wuppertal erproben im Projekt KoSI-Lab, wie "
                    "Kommunen und engagierte Menschen aus der Stadtgesellschaft "
                    "gemeinsam Innovationen für kommunale Aufgaben nutzen können.",
                    "In the KoSI-Lab project, the cities of Dortmund and Wuppertal are "
                    "testing how municipalities and committed people from local society "
                    "can use innovation together for municipal tasks.",
                ),
                (
                    "In den Laboren entstehen Strategien und konkrete Vorhaben. Daraus "
                    "werden Vorbilder für dauerhafte Zusammenarbeit zwischen Verwaltung "
                    "und Zivilgesellschaft.",
                    "The labs develop strategies and concrete projects. They become "
                    "models for lasting cooperation between administration and civil "
                    "society.",
                ),
            ),
        ),
        (
            "quote",
            {
                "quote": (
                    "Im Labor zählt nicht, wer welches Amt hat, sondern wer welche Idee einbringt.",
                    "In the lab, what counts is not who holds which office but who "
                    "brings which idea.",
                ),
                "attribution": (
                    "Teilnehmerin der Werkstattreihe",
                    "Participant in the workshop series",
                ),
            },
        ),
        (
            "heading",
            {"text": ("Die Werkstattreihe", "The workshop series")},
        ),
        (
            "paragraph",
            rich(
                (
                    "In vier Werkstätten zeigt das Projekt anderen Kommunen, wie sie ein "
                    "eigenes Labor gründen. Wer an allen vier teilnimmt, kann danach "
                    "selbst ein Labor sozialer Innovation aufbauen.",
                    "In four workshops the project shows other municipalities how to "
                    "found a lab of their own. Whoever takes part in all four can then "
                    "set up a lab of social innovation on their own.",
                ),
                bullets=(
                    ("Teil 1: Grundlagen", "Part 1: Foundations"),
                    ("Teil 2: Konzeptentwicklung", "Part 2: Concept development"),
                    ("Teil 3: Aufbau", "Part 3: Set-up"),
                    ("Teil 4: Verstetigung", "Part 4: Consolidation"),
                ),
            ),
        ),
        (
            "accordion",
            {
                "heading": ("Häufige Fragen", "Frequently asked questions"),
                "items": [
                    {
                        "question": (
                            "Wer kann an den Werkstätten teilnehmen?",
                            "Who can take part in the workshops?",
                        ),
                        "answer": rich(
                            (
                                "Alle, die in ihrer Kommune ein Labor anstoßen möchten: "
                                "aus Verwaltung, Politik, Wirtschaft, Zivilgesellschaft "
                                "und Forschung.",
                                "Anyone who wants to start a lab in their municipality: "
                                "from administration, politics, business, civil society "
                                "and research.",
                            )
                        ),
                    },
                    {
                        "question": (
                            "Muss ich alle vier Werkstätten besuchen?",
                            "Do I have to attend all four workshops?",
                        ),
                        "answer": rich(
                            (
                                "Nein. Jede Werkstatt steht für sich, baut aber auf der "
                                "vorherigen auf.",
                                "No. Each workshop stands on its own but builds on the "
                                "previous one.",
                            )
                        ),
                    },
                ],
            },
        ),
    ],
}

HOME = {
    "hero_heading": ("Kommunale Labore sozialer Innovation", "Municipal labs of social innovation"),
    "hero_text": (
        "Verwaltung, Politik, Wirtschaft, Zivilgesellschaft und Forschung entwickeln gemeinsam "
        "Lösungen für ihre Stadt.",
        "Administration, politics, business, civil society and research develop solutions for "
        "their city together.",
    ),
    "teaser": (
        "Das Portal der KoSI-Labs in Dortmund und Wuppertal.",
        "The portal of the KoSI-Labs in Dortmund and Wuppertal.",
    ),
    "body": [
        (
            "paragraph",
            rich(
                (
                    "In Kommunalen Laboren sozialer Innovation arbeiten Menschen aus allen "
                    "Bereichen der Stadtgesellschaft auf Augenhöhe zusammen. Sie suchen neue "
                    "Antworten auf Fragen, die keine Stelle allein lösen kann.",
                    "In municipal labs of social innovation, people from every part of local "
                    "society work together as equals. They look for new answers to questions "
                    "that no single office can solve alone.",
                ),
            ),
        ),
        (
            "call_to_action",
            {
                "title": ("Ein Labor für Ihre Kommune?", "A lab for your municipality?"),
                "text": (
                    "Erfahren Sie, wie ein KoSI-Lab entsteht und wie unsere Werkstattreihe "
                    "Sie dabei begleitet.",
                    "Find out how a KoSI-Lab comes about and how our workshop series supports you.",
                ),
                "link": {"page": None, "url": ""},  # the about page, set in build()
                "button_label": ("Mehr über das Projekt", "More about the project"),
            },
        ),
    ],
}


def build(builder):
    t = builder.texts
    home = builder.home
    about = builder.page(home, ContentPage(show_in_menus=True, **t.german(ABOUT)))
    if home.body or home.hero_heading:
        return  # filled before, maybe edited since
    t.pair(home.title, "Home")
    t.pair(home.slug, f"{home.slug}-en")
    fields = t.german(HOME)
    for block_type, value in fields["body"]:
        if block_type == "call_to_action":
            value["link"]["page"] = about
    for field, value in fields.items():
        setattr(home, field, value)
    home.hero_image = builder.image(
        "Werkstatt im KoSI-Lab (Illustration)",
        ["#e8eef5", "#005a9c", "#7fb2d9", "#f2b134", "#2f7d5b"],
        seed=2,
    )
    home.hero_image_decorative = True  # an abstract illustration
    builder.publish(home, "Filled the home page")


# The demo's second municipality, Lindental (fictional).
LINDENTAL_HOME = {
    "hero_heading": ("Labor Lindental", "Lindental lab"),
    "hero_text": (
        "Bürgerinnen, Vereine und Gemeinde entwickeln gemeinsam die Zukunft ihres Dorfes.",
        "Residents, associations and the municipality shape their village's future together.",
    ),
    "teaser": (
        "Das Labor sozialer Innovation der Gemeinde Lindental.",
        "The lab of social innovation of the municipality of Lindental.",
    ),
}


def build_lindental(builder):
    home = builder.home
    if home.hero_heading:
        return  # filled before, maybe edited since
    builder.texts.pair(home.title, "Home")
    builder.texts.pair(home.slug, f"{home.slug}-en")
    for field, value in builder.texts.german(LINDENTAL_HOME).items():
        setattr(home, field, value)
    builder.publish(home, "Filled the home page of Lindental")
