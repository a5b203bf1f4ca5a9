from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class EventsConfig(AppConfig):
    """Workshops, workshop series and the built-in workshop registration."""

    name = "events"
    verbose_name = _("Workshops")

    def ready(self):
        from django.db.models.signals import post_delete, post_save
        from wagtail.signals import page_published

        from portal.delivery.cache import invalidate_on_change

        from .models import EventPage, Registration, Venue

        page_published.connect(fill_seats_after_publish, sender=EventPage)
        page_published.connect(record_calendar_change, sender=EventPage)
        invalidate_on_change(Venue, by_reference=True)
        post_save.connect(venue_changed, sender=Venue, dispatch_uid="venue-changed")
        for signal in (post_save, post_delete):
            signal.connect(
                refresh_pages_when_seats_change,
                sender=Registration,
                dispatch_uid=f"registration-page-cache-{signal!r}",
            )


def refresh_pages_when_seats_change(sender, instance, **kwargs):
    """Workshop pages show confirmed and waiting people, not unconfirmed sign-ups: a new
    registration changes nothing visitors see until its address is confirmed, so it leaves
    the page cache alone (a busy registration form would otherwise empty it every second)."""
    from portal.delivery.cache import invalidate_seats

    from .models import RegistrationStatus

    if instance.status == RegistrationStatus.PENDING:
        return
    if kwargs.get("update_fields") and set(kwargs["update_fields"]) <= {"link_sent_at"}:
        return  # a confirmation link sent again
    invalidate_seats(instance, instance.event_key)


def record_calendar_change(sender, instance, **kwargs):
    from .feeds import record_calendar_change as record

    record(instance)


def venue_changed(sender, instance, **kwargs):
    """A venue is live as it is saved: the workshops there tell calendars of their new place
    (raised SEQUENCE) and are found by it in search."""
    from wagtail.search.index import insert_or_update_object

    from .feeds import record_calendar_change as record
    from .models import EventPage

    events = EventPage.objects.live().filter(venue__translation_key=instance.translation_key)
    for event in events.select_related("locale"):
        record(event)
        insert_or_update_object(event)


def fill_seats_after_publish(sender, instance, **kwargs):
    """A raised capacity gives waiting people their seats at once."""
    from .models import RegistrationMode
    from .registration import fill_free_seats

    if instance.registration_mode == RegistrationMode.BUILT_IN:
        fill_free_seats(instance)
