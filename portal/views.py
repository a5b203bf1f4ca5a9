from django.conf import settings
from django.http import Http404, HttpResponse
from django.shortcuts import render
from django.template.loader import render_to_string
from django.template.response import TemplateResponse
from django.urls import reverse
from django.utils.cache import add_never_cache_headers
from django.views.decorators.http import require_http_methods, require_safe
from wagtail.models import Site

from portal.http import absolute_url

from .http import private
from .models import PortalSettings

ONE_YEAR = 365 * 24 * 60 * 60


@require_safe
def theme_stylesheet(request):
    """The brand colour from the site settings as a stylesheet, so no inline style is needed.

    Pages link it with ?v=<theme_version>; that URL changes with the colour, so it is cached
    for a year. Any other version gets a short cache lifetime.
    """
    portal_settings = PortalSettings.for_request(request)
    css = render_to_string("portal/theme.css", {"portal_settings": portal_settings})
    response = HttpResponse(css, content_type="text/css; charset=utf-8")
    if request.GET.get("v") == portal_settings.theme_version:
        response["Cache-Control"] = f"public, max-age={ONE_YEAR}, immutable"
    else:
        response["Cache-Control"] = "public, max-age=300"
    return response


@require_safe
def robots_txt(request):
    site = Site.find_for_request(request)
    sitemap_url = absolute_url(request, reverse("sitemap"))
    lines = ["User-agent: *", "Disallow: /admin/"]
    if site is not None:
        lines.append(f"Sitemap: {sitemap_url}")
    return HttpResponse("\n".join(lines) + "\n", content_type="text/plain; charset=utf-8")


# Review by link (portal.review_links) ---------------------------------------------------

REVIEW_PROBLEM_STATUS = {"invalid": 400, "expired": 410, "decided": 410, "superseded": 409}


@require_http_methods(["GET", "HEAD", "POST"])
def review_link(request, token):
    """The reviewer's page: the submitted revision and the decision. A GET (which mail
    scanners make too) only shows; the POST with the form's CSRF token decides, once."""
    from .review_links import ReviewLinkError, decide, record_view, task_state_for

    try:
        task_state = task_state_for(token)
    except ReviewLinkError as error:
        context = {"problem": str(error.problem)}
        return private(
            TemplateResponse(
                request,
                "portal/review_link.html",
                context,
                status=REVIEW_PROBLEM_STATUS[error.problem],
            )
        )
    page = task_state.revision.as_object()
    context = {"task": task_state.task.specific, "reviewed_page": page, "token": token}
    if request.method == "POST":
        decision = request.POST.get("decision")
        comment = request.POST.get("comment", "").strip()[:2000]
        if decision == "reject" and not comment:
            context["comment_missing"] = True
            return private(
                TemplateResponse(request, "portal/review_link.html", context, status=400)
            )
        if decision not in {"approve", "reject"}:
            return private(
                TemplateResponse(request, "portal/review_link.html", context, status=400)
            )
        try:
            decide(token, decision, comment)
        except ReviewLinkError as error:
            context = {"problem": str(error.problem)}
            status = REVIEW_PROBLEM_STATUS[error.problem]
            return private(
                TemplateResponse(request, "portal/review_link.html", context, status=status)
            )
        context["decided"] = decision
        return private(TemplateResponse(request, "portal/review_link.html", context))
    record_view(task_state)
    return private(TemplateResponse(request, "portal/review_link.html", context))


@require_safe
def review_preview(request, token):
    """The revision under review as the page would look, for the review page's frame."""
    from .review_links import ReviewLinkError, task_state_for

    try:
        task_state = task_state_for(token)
    except ReviewLinkError as error:
        raise Http404 from error
    page = task_state.revision.as_object()
    response = page.make_preview_request(request, page.default_preview_mode)
    # shown in the review page's frame: the site's X-Frame-Options DENY would block it (the
    # CSP middleware lets previews be framed by this site)
    response["X-Frame-Options"] = "SAMEORIGIN"
    return private(response)


@require_safe
def health(request):
    """For load balancers: the app answers and reaches its database. Cheap, never cached."""
    from django.db import DatabaseError, connection
    from django.http import JsonResponse

    try:
        with connection.cursor() as cursor:
            cursor.execute("SELECT 1")
        status, body = 200, {"status": "ok"}
    except DatabaseError:
        status, body = 503, {"status": "database unavailable"}
    response = JsonResponse(body, status=status)
    add_never_cache_headers(response)
    return response


def login_locked(request, original_response=None, credentials=None):
    """What django-axes answers while a user name is locked out from this address."""
    minutes = int(settings.AXES_COOLOFF_TIME.total_seconds() // 60)
    response = render(request, "portal/login_locked.html", {"minutes": minutes}, status=429)
    response["Retry-After"] = str(minutes * 60)
    return private(response)
