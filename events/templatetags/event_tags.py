from django import template
from django.utils import timezone
from django.utils.formats import date_format
from django.utils.translation import gettext as _

from events import selectors
from portal.delivery.http import absolute_url

register = template.Library()


@register.filter
def event_when(event) -> str:
    """Date and time in the visitor's language, e.g. "22. Februar 2027, 10:00–16:00 Uhr"."""
    start, end = timezone.localtime(event.start), timezone.localtime(event.end)
    start_date = date_format(start, _("j F Y"))
    if event.all_day:
        last_day = event.last_day
        if start.date() == last_day:
            return start_date
        return f"{start_date} – {date_format(last_day, _('j F Y'))}"
    if start.date() == end.date():
        return _("%(date)s, %(start)s–%(end)s") % {
            "date": start_date,
            "start": f"{start:%H:%M}",
            "end": f"{end:%H:%M}",
        }
    return _("%(start_date)s, %(start)s – %(end_date)s, %(end)s") % {
        "start_date": start_date,
        "start": f"{start:%H:%M}",
        "end_date": date_format(end, _("j F Y")),
        "end": f"{end:%H:%M}",
    }


@register.inclusion_tag("components/event_list.html", takes_context=True)
def lab_workshops(context, lab):
    return {"events": selectors.upcoming_for_lab(lab), "request": context["request"]}


@register.inclusion_tag("components/event_list.html", takes_context=True)
def actor_workshops(context, actor):
    return {"events": selectors.for_actor(actor), "request": context["request"]}


@register.simple_tag(takes_context=True)
def webcal_url(context, page, query=""):
    request = context["request"]
    absolute = absolute_url(request, page.get_url(request) + "calendar/")
    return "webcal://" + absolute.split("://", 1)[1] + (f"?{query}" if query else "")
