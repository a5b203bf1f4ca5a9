from wagtail import hooks


@hooks.register("portal_api_endpoints")
def material_collection():
    """The open data API's materials (portal/api.py)."""
    from .api import Materials

    return [("materials", Materials)]


@hooks.register("workshop_materials")
def materials_of_workshop(event, request) -> list:
    """The workshop page's documentation lists the materials used (events/selectors.py)."""
    from .selectors import workshop_materials

    return workshop_materials(event, request)


@hooks.register("portal_dependent_pages")
def materials_naming(page) -> list:
    """A material page names the workshops it was used in and the labs it came from: it
    changes when one of them is published (the CDN purge asks)."""
    from events.models import EventPage
    from labs.models import LabPage

    from .models import MaterialPage

    materials = MaterialPage.objects.live().filter(locale_id=page.locale_id)
    if isinstance(page, EventPage):
        return list(materials.used_in(page))
    if isinstance(page, LabPage):
        return list(materials.from_lab(page))
    return []
