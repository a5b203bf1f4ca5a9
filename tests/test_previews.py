"""Editors preview lab, actor and workshop pages before publishing (unsaved inline rows
and relations must render too)."""

import io

from django.core.management import call_command
from wagtail.test.utils import WagtailPageTestCase
from wagtail.test.utils.form_data import inline_formset, nested_form_data, rich_text, streamfield

from events.models import EventPage
from labs.models import ActorPage, LabPage


class PreviewTests(WagtailPageTestCase):
    @classmethod
    def setUpTestData(cls):
        call_command("load_demo_content", "--single-site", stdout=io.StringIO())

    def test_lab_page_preview_with_a_new_partner(self):
        lab = LabPage.objects.get(slug="gemeinsam-im-quartier")
        actor = ActorPage.objects.get(slug="quartiersladen", locale=lab.locale)
        data = nested_form_data(
            {
                "title": lab.title,
                "slug": lab.slug,
                "teaser": lab.teaser,
                "city": lab.city,
                "challenge": lab.challenge,
                "phase": "3",
                "goals": streamfield([("goal", "Neues Ziel")]),
                "body": streamfield([]),
                "contacts": inline_formset([]),
                "partners": inline_formset([{"actor": actor.pk, "role": "partner"}]),
            }
        )
        self.assertPageIsPreviewable(lab, post_data=data)

    def test_actor_page_preview(self):
        actor = ActorPage.objects.get(slug="miriam-sommer", locale__language_code="de")
        data = nested_form_data(
            {"title": actor.title, "slug": actor.slug, "sector": "research", "kind": "person"}
        )
        self.assertPageIsPreviewable(actor, post_data=data)

    def test_event_page_preview_with_speakers_and_agenda(self):
        event = EventPage.objects.get(slug="konzeptentwicklung")
        data = nested_form_data(
            {
                "title": event.title,
                "slug": event.slug,
                "start": "2030-02-22 10:00",
                "end": "2030-02-22 16:00",
                "event_format": "hybrid",
                "status": "postponed",
                "part_number": "2",
                "registration_mode": "none",
                "goals": streamfield([]),
                "body": streamfield([]),
                "documentation_files": streamfield([]),
                "documentation_photos": streamfield([]),
                "speakers": inline_formset([{"name": "Neue Referentin", "role": "Vortrag"}]),
                "agenda_items": inline_formset([{"time": "09:30", "item": "Kaffee"}]),
            }
        )
        self.assertPageIsPreviewable(event, post_data=data)

    def test_material_page_preview_with_its_files_and_audience(self):
        from library.models import MaterialPage

        material = MaterialPage.objects.get(slug="vorlage-laborkonzept")
        document = material.files[0].value["document"]
        data = nested_form_data(
            {
                "title": material.title,
                "slug": material.slug,
                "material_type": "template",
                "phase": "3",
                "body": streamfield([]),
                "files": streamfield([("file", {"document": document.pk, "title": "Neu"})]),
                "licence": "CC-BY-SA-4.0",
                "attribution": "Stadt Teststadt",
            }
        )
        data["audience"] = ["research"]
        self.assertPageIsPreviewable(material, post_data=data)

    def test_ended_workshop_preview_with_its_documentation(self):
        event = EventPage.objects.get(slug="grundlagen")
        data = nested_form_data(
            {
                "title": event.title,
                "slug": event.slug,
                "start": "2020-02-22 10:00",
                "end": "2020-02-22 16:00",
                "event_format": "in_person",
                "status": "scheduled",
                "registration_mode": "none",
                "goals": streamfield([]),
                "body": streamfield([]),
                "speakers": inline_formset([]),
                "agenda_items": inline_formset([]),
                "documentation_summary": rich_text("<p>Neue Ergebnisse</p>"),
                "documentation_files": streamfield([]),
                "documentation_photos": streamfield([]),
            }
        )
        self.assertPageIsPreviewable(event, post_data=data)
