"""Editors preview lab, actor and workshop pages before publishing (unsaved inline rows
and relations must render too)."""

import io

from django.core.management import call_command
from wagtail.test.utils import WagtailPageTestCase
from wagtail.test.utils.form_data import inline_formset, nested_form_data, streamfield

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
