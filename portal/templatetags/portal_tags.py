"""Template tags for the page chrome: navigation, languages, site texts and settings.

Each tag caches what it loads on the request, so base.html's cost stays constant however
often a template asks.
"""

from urllib.parse import urlsplit

from django import template
from django.conf import settings
from django.http import Http404
from django.urls import reverse
from django.utils import translation
from django.utils.safestring import mark_safe
from django.utils.translation import gettext as _
from wagtail import hooks
from wagtail.contrib.routable_page.models import RoutablePageMixin
from wagtail.models import Page, Site

from portal.delivery.cache import site_wide
from portal.delivery.http import absolute_url
from portal.documents import file_meta as document_file_meta
from portal.formats import json_ld_script
from portal.models import PortalSettings, SiteTexts
from portal.translation import language_name, localize

register = template.Library()


def _cached(request, key, compute):
    cache = request.__dict__.setdefault("_portal_chrome", {})
    if key not in cache:
        cache[key] = compute()
    return cache[key]


def _shared(request, key, compute):
    """Per request, and across requests per site and language
    (see portal.delivery.cache.site_wide)."""

    def shared():
        site = Site.find_for_request(request)
        scope = f"{key}:{site.pk if site else '-'}:{translation.get_language()}"
        return site_wide(request, scope, compute)

    return _cached(request, key, shared)


def _home_page(request):
    """The home page in the visitor's language (the site root for German)."""

    def compute():
        site = Site.find_for_request(request)
        if site is None:
            return None
        return site.root_page.localized

    return _shared(request, "home", compute)


def _portal_settings(request):
    def compute():
        portal_settings = PortalSettings.for_request(request)
        # fetched now, so the shared copy carries them and templates need no query
        for image in ("logo", "funder_logo"):
            getattr(portal_settings, image)
        return portal_settings

    return _shared(request, "settings", compute)


@register.simple_tag(takes_context=True)
def portal_settings(context):
    """The site settings, shared like the rest of the chrome (no query per page)."""
    return _portal_settings(context["request"])


@register.simple_tag(takes_context=True)
def official_site_bar(context):
    """The text of the official-site bar (KERN's kern-kopfzeile), or "" while the site has it
    off (the default). KERN's own text names the federal republic, so a municipality's bar
    says its own: the site text, else "Official website – <municipality>"."""
    if not _portal_settings(context["request"]).official_site_bar:
        return ""
    texts = site_texts_of(context["request"])
    if texts.official_site_bar_text:
        return texts.official_site_bar_text
    if texts.municipality:
        return _("Official website – %(municipality)s") % {"municipality": texts.municipality}
    return ""


@register.tag
def shared_fragment(parser, token):
    """`{% shared_fragment "footer" %}…{% endshared_fragment %}`: rendered once per content
    version, site and language and then shared like the chrome data
    (portal.delivery.cache.site_wide).
    Only for parts that look the same on every page of a language."""
    bits = token.split_contents()
    if len(bits) != 2:
        raise template.TemplateSyntaxError(f"{bits[0]} takes one name")
    nodelist = parser.parse(("endshared_fragment",))
    parser.delete_first_token()
    return SharedFragmentNode(nodelist, parser.compile_filter(bits[1]))


class SharedFragmentNode(template.Node):
    def __init__(self, nodelist, name):
        self.nodelist, self.name = nodelist, name

    def render(self, context):
        name = f"fragment:{self.name.resolve(context)}"
        html = _shared(context["request"], name, lambda: str(self.nodelist.render(context)))
        return mark_safe(html)  # noqa: S308 - rendered by the template engine, escaped there


@register.simple_tag(takes_context=True)
def home_page(context):
    return _home_page(context["request"])


@register.simple_tag(takes_context=True)
def site_texts(context):
    """The site texts in the visitor's language, falling back to German, then to defaults."""
    return site_texts_of(context["request"])


def site_texts_of(request):
    def compute():
        site = Site.find_for_request(request)
        return SiteTexts.for_language(translation.get_language(), site)

    return _shared(request, "texts", compute)


@register.inclusion_tag("components/main_menu.html", takes_context=True)
def main_menu(context):
    request = context["request"]
    current = context.get("page")

    def compute():
        home = _home_page(request)
        if home is None:
            return []
        menu = home.get_children().live().public().in_menu()
        return [(item.pk, item.path, item.title, item.get_url(request)) for item in menu]

    items = []
    for pk, path, title, url in _shared(request, "menu", compute):
        if current is not None and current.pk == pk:
            state = "page"
        elif current is not None and getattr(current, "path", "").startswith(path):
            state = "true"
        else:
            state = ""
        items.append({"title": title, "url": url, "current": state})
    return {"items": items}


@register.inclusion_tag("components/breadcrumbs.html", takes_context=True)
def breadcrumbs(context):
    page = context.get("page")
    if page is None or page.depth <= 2:
        return {"ancestors": [], "page": page}
    ancestors = page.get_ancestors().filter(depth__gte=2)
    return {"ancestors": ancestors, "page": page, "request": context["request"]}


def route_suffix(request, page) -> str:
    """The part of the address after the page's own for a route of a routable page (e.g.
    "phases/" of the library): the same route exists in every language, so canonical and
    alternate links keep it. Empty for the page itself."""
    if not isinstance(page, RoutablePageMixin) or not hasattr(request, "routable_resolver_match"):
        return ""
    own_path = urlsplit(page.get_url(request) or "").path
    if not own_path or not request.path.startswith(own_path):
        return ""
    suffix = request.path[len(own_path) :]
    try:  # a route of this very page, not of a page below it
        page.resolve_subpage("/" + suffix)
    except Http404:
        return ""
    return suffix


def page_alternates(request, page):
    """One entry per language: the same page's URL in it, or None where no translation exists.

    Views that are not pages (404, later the search) offer each language's home page instead.
    """

    def compute():
        if isinstance(page, Page):
            translations = page.get_translations(inclusive=True).live().select_related("locale")
            by_language = {p.locale.language_code: p for p in translations}
        else:
            home = _home_page(request)
            roots = home.get_translations(inclusive=True).live() if home else Page.objects.none()
            by_language = {p.locale.language_code: p for p in roots.select_related("locale")}
        current_language = translation.get_language()
        suffix = route_suffix(request, page)
        alternates = []
        for code, _name in settings.LANGUAGES:
            target = by_language.get(code)
            url = target.get_url(request) if target else None
            url = url + suffix if url else None
            alternates.append(
                {
                    "code": code,
                    "name": language_name(code),
                    "url": url,
                    "absolute_url": absolute_url(request, url) if url else None,
                    "current": code == current_language,
                    "is_page": isinstance(page, Page),
                }
            )
        return alternates

    return _cached(request, "alternates", compute)


@register.inclusion_tag("components/hreflang_links.html", takes_context=True)
def hreflang_links(context):
    if not isinstance(context.get("page"), Page):
        return {"alternates": [], "default": None}  # a 404 has no alternates
    alternates = page_alternates(context["request"], context.get("page"))
    default = next(
        (a for a in alternates if a["code"] == settings.LANGUAGE_CODE and a["url"]), None
    )
    return {"alternates": [a for a in alternates if a["url"]], "default": default}


@register.inclusion_tag("components/alternate_links.html", takes_context=True)
def alternate_links(context):
    """`<link rel="alternate">`s the domain apps offer for the page, through the hook
    `portal_alternate_links` (a function of page and request returning dicts with type,
    href and title; e.g. the network's ActivityPub actor on the workshop directory)."""
    page, request = context.get("page"), context.get("request")
    links = []
    if isinstance(page, Page) and request is not None:
        for hook in hooks.get_hooks("portal_alternate_links"):
            links += hook(page, request)
    return {"links": links}


@register.inclusion_tag("components/language_switcher.html", takes_context=True)
def language_switcher(context):
    return {"alternates": page_alternates(context["request"], context.get("page"))}


@register.simple_tag(takes_context=True)
def legal_links(context):
    """The legal pages from the site settings, each in the visitor's language."""
    request = context["request"]

    def compute():
        portal_settings = _portal_settings(request)
        page_ids = [
            portal_settings.imprint_page_id,
            portal_settings.privacy_page_id,
            portal_settings.accessibility_page_id,
        ]
        by_id = Page.objects.in_bulk([pk for pk in page_ids if pk])
        pages = [by_id.get(pk) for pk in page_ids]
        current = translation.get_language()
        return [
            {
                "title": page.title,
                "url": page.get_url(request),
                "other_language": ""
                if page.locale.language_code == current
                else page.locale.language_code,
            }
            for page in localize(pages)
            if page
        ]

    return _shared(request, "legal_links", compute)


@register.simple_tag(takes_context=True)
def theme_stylesheet_url(context):
    version = _portal_settings(context["request"]).theme_version
    return f"{reverse('theme_stylesheet')}?v={version}"


@register.simple_tag(takes_context=True)
def link_url(context, link):
    """The URL of a LinkBlock value; a page link goes to the page in the visitor's language."""
    if link.get("page"):
        return link["page"].localized.get_url(context.get("request"))
    return link.get("url") or ""


@register.simple_tag(takes_context=True)
def absolute_page_url(context, page):
    """The page's address on the host the visitor used (validated by ALLOWED_HOSTS)."""
    request = context["request"]
    suffix = route_suffix(request, page) if page is context.get("page") else ""
    return absolute_url(request, page.get_url(request) + suffix)


@register.simple_tag
def json_ld(data):
    return json_ld_script(data)


@register.simple_tag(takes_context=True)
def accessible_entry_links(context):
    """The pages of the types with a `header_link_order` (easy language, sign language)
    under the home page of the visitor's language, for the header."""
    request = context["request"]

    def compute():
        from django.contrib.contenttypes.models import ContentType
        from wagtail.models import get_page_models

        home = _home_page(request)
        if home is None:
            return []
        linked = [
            model
            for model in get_page_models()
            if getattr(model, "header_link_order", None) is not None  # not on Wagtail's Page
        ]
        kinds = {
            ContentType.objects.get_for_model(model).pk: (model.header_link_order, model.__name__)
            for model in linked
        }
        # one query, no .specific(): the title and URL are on every page row
        pages = Page.objects.live().public().child_of(home).filter(content_type__in=kinds)
        return [
            {
                "title": page.title,
                "url": page.get_url(request),
                "kind": kinds[page.content_type_id][1],
            }
            for page in sorted(pages, key=lambda page: kinds[page.content_type_id][0])
        ]

    return _shared(request, "accessible_entries", compute)


@register.filter
def mark_placeholders(text):
    """Escape the text and highlight the skeleton's placeholders in it."""
    from django.utils.html import conditional_escape, format_html
    from django.utils.safestring import mark_safe

    from portal.content import PLACEHOLDER

    escaped = conditional_escape(text or "")
    return mark_safe(  # noqa: S308 - every part is escaped above
        PLACEHOLDER.sub(
            lambda match: format_html('<mark class="placeholder">{}</mark>', match.group(0)),
            escaped,
        )
    )


@register.filter
def file_meta(document) -> str:
    """ "PDF, 2.3 MB" for a document (portal/documents.py)."""
    return document_file_meta(document) if document else ""
