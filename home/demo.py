"""Demo content of the home app: the home page's hero and text, and a content page about
the project (see portal/content.py for how the builder works)."""

from .models import ContentPage

# Pages this module creates or fills, by their German URL path.
PAGE_PATHS = {"/home/", "/home/ueber-das-projekt/"}


def build(builder):
    t = builder.texts
    home = builder.home
    hero_image = builder.image(
        "Werkstatt im KoSI-Lab (Illustration)",
        ["#e8eef5", "#005a9c", "#7fb2d9", "#f2b134", "#2f7d5b"],
        seed=2,
    )

    about = builder.page(
        home,
        ContentPage(
            title=t.pair("Über das Projekt", "About the project"),
            slug=t.pair("ueber-das-projekt", "about-the-project"),
            show_in_menus=True,
            teaser=t.pair(
                "Was Kommunale Labore sozialer Innovation sind und was Dortmund und Wuppertal "
                "mit ihnen vorhaben.",
                "What municipal labs of social innovation are, and what Dortmund and Wuppertal "
                "plan to do with them.",
            ),
            body=[
                ("heading", {"text": t.pair("Was ist ein KoSI-Lab?", "What is a KoSI-Lab?")}),
                (
                    "paragraph",
                    t.paragraphs(
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
                    {"text": t.pair("Das Projekt KoSI-Lab", "The KoSI-Lab project")},
                ),
                (
                    "paragraph",
                    t.paragraphs(
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
                        "quote": t.pair(
                            "Im Labor zählt nicht, wer welches Amt hat, sondern wer welche Idee "
                            "einbringt.",
                            "In the lab, what counts is not who holds which office but who "
                            "brings which idea.",
                        ),
                        "attribution": t.pair(
                            "Teilnehmerin der Werkstattreihe", "Participant in the workshop series"
                        ),
                    },
                ),
                (
                    "heading",
                    {"text": t.pair("Die Werkstattreihe", "The workshop series")},
                ),
                (
                    "paragraph",
                    t.paragraphs(
                        (
                            "In vier Werkstätten zeigt das Projekt anderen Kommunen, wie sie ein "
                            "eigenes Labor gründen. Wer an allen vier teilnimmt, kann danach "
                            "selbst ein Labor sozialer Innovation aufbauen.",
                            "In four workshops the project shows other municipalities how to "
                            "found a lab of their own. Whoever takes part in all four can then "
                            "set up a lab of social innovation on their own.",
                        ),
                    )
                    + t.bullets(
                        ("Teil 1: Grundlagen", "Part 1: Foundations"),
                        ("Teil 2: Konzeptentwicklung", "Part 2: Concept development"),
                        ("Teil 3: Aufbau", "Part 3: Set-up"),
                        ("Teil 4: Verstetigung", "Part 4: Consolidation"),
                    ),
                ),
                (
                    "accordion",
                    {
                        "heading": t.pair("Häufige Fragen", "Frequently asked questions"),
                        "items": [
                            {
                                "question": t.pair(
                                    "Wer kann an den Werkstätten teilnehmen?",
                                    "Who can take part in the workshops?",
                                ),
                                "answer": t.paragraphs(
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
                                "question": t.pair(
                                    "Muss ich alle vier Werkstätten besuchen?",
                                    "Do I have to attend all four workshops?",
                                ),
                                "answer": t.paragraphs(
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
        ),
    )

    if not home.body and not home.hero_heading:
        t.pair(home.title, "Home")
        t.pair(home.slug, f"{home.slug}-en")
        home.hero_heading = t.pair(
            "Kommunale Labore sozialer Innovation",
            "Municipal labs of social innovation",
        )
        home.hero_text = t.pair(
            "Verwaltung, Politik, Wirtschaft, Zivilgesellschaft und Forschung entwickeln "
            "gemeinsam Lösungen für ihre Stadt.",
            "Administration, politics, business, civil society and research develop solutions "
            "for their city together.",
        )
        home.teaser = t.pair(
            "Das Portal der KoSI-Labs in Dortmund und Wuppertal.",
            "The portal of the KoSI-Labs in Dortmund and Wuppertal.",
        )
        home.hero_image = hero_image
        home.hero_image_decorative = True  # an abstract illustration
        home.body = [
            (
                "paragraph",
                t.paragraphs(
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
                    "title": t.pair("Ein Labor für Ihre Kommune?", "A lab for your municipality?"),
                    "text": t.pair(
                        "Erfahren Sie, wie ein KoSI-Lab entsteht und wie unsere Werkstattreihe "
                        "Sie dabei begleitet.",
                        "Find out how a KoSI-Lab comes about and how our workshop series "
                        "supports you.",
                    ),
                    "link": {"page": about, "url": ""},
                    "button_label": t.pair("Mehr über das Projekt", "More about the project"),
                },
            ),
        ]
        builder.publish(home, "Filled the home page")
