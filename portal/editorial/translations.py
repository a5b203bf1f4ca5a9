"""Admin views that keep translations inside the approval workflow (see portal/workflow.py).

wagtail-localize publishes translations from three places without asking about workflows;
these views take their URLs (registered before wagtail-localize's) or add what is missing.
"""

import functools

from django import forms
from django.apps import apps
from django.contrib import messages
from django.core.exceptions import PermissionDenied, ValidationError
from django.db.models import Q
from django.http import Http404
from django.shortcuts import get_object_or_404, redirect
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST
from wagtail.models import Page, TranslatableMixin
from wagtail_localize.models import Translation
from wagtail_localize.views import (
    convert,
    report,
    submit_translations,
    update_translations,
)

from portal.translation import save_translation_draft

from ..sites import has_site_field
from .permissions import sites_within_reach, within_reach
from .publishing import may_publish_directly
from .site_scope import is_within_reach


@require_POST
def submit_translation(request, translation_id):
    """Save the translated texts as a draft of the target page and start its workflow."""
    translation = get_object_or_404(Translation, pk=translation_id, enabled=True)
    page = translation.get_target_instance()
    if not isinstance(page, Page):
        raise Http404
    page = page.specific
    permissions = page.permissions_for_user(request.user)
    if not permissions.can_edit():
        raise PermissionDenied
    workflow = page.get_workflow()
    if workflow is None or not permissions.can_submit_for_moderation():
        messages.error(request, _("This translation cannot be submitted for approval now."))
        return redirect("wagtailadmin_pages:edit", page.pk)
    try:
        save_translation_draft(translation, user=request.user)
    except ValidationError:
        messages.error(
            request, _("The translation is incomplete or invalid; complete it and try again.")
        )
        return redirect("wagtailadmin_pages:edit", page.pk)
    page = Page.objects.get(pk=page.pk).specific
    workflow.start(page, request.user)
    messages.success(
        request, _("'%(title)s' has been submitted for approval.") % {"title": page.title}
    )
    return redirect("wagtailadmin_pages:edit", page.pk)


class UpdateTranslationsView(update_translations.UpdateTranslationsView):
    """ "Update translations" without the "publish immediately" option for those who may
    not publish directly: the updated translations stay drafts until approved."""

    def get_object(self):
        # another municipality's source (page or site-owned snippet) is not found
        source = super().get_object()
        if not is_within_reach(self.request.user, source.get_source_instance()):
            raise Http404
        return source

    def get_form(self):
        form = super().get_form()
        if not may_publish_directly(self.request.user):
            # Hidden and fixed to "no": a forged value is ignored.
            field = form.fields["publish_translations"]
            field.disabled = True
            field.widget = forms.HiddenInput()
        return form


class SubmitPageTranslationView(submit_translations.SubmitPageTranslationView):
    """ "Translate this page" for those who may not publish directly: it may only create new
    draft pages. wagtail-localize would otherwise put parents online as aliases, and write
    translated text into an existing (alias or live) page's live row."""

    def get_object(self):
        # wagtail-localize asks only for the translation permission: another municipality's
        # page is not found
        page = super().get_object()
        if not is_within_reach(self.request.user, page):
            raise Http404
        return page

    def form_valid(self, form):
        if not may_publish_directly(self.request.user):
            problem = self.direct_publishing_problem(form.cleaned_data)
            if problem:
                messages.error(self.request, problem)
                return redirect(self.request.get_full_path())
        return super().form_valid(form)

    def direct_publishing_problem(self, data) -> str:
        page = self.object
        if data.get("include_subtree"):
            return _(
                "Translate the pages of a section one by one; a whole subtree can only be "
                "translated by someone who may publish directly."
            )
        parent = page.get_parent()
        for locale in data["locales"]:
            if page.get_translations().filter(locale=locale).exists():
                return _(
                    "This page already exists in %(language)s (as a copy of the original); "
                    "someone who may publish directly has to turn it into a translation."
                ) % {"language": locale.get_display_name()}
            if not parent.is_root() and not parent.has_translation(locale):
                return _("Translate the parent page into %(language)s first.") % {
                    "language": locale.get_display_name()
                }
        return ""


def convert_to_alias(request, page_id):
    """Turning a translation into an alias publishes the source's latest text in its place."""
    page = get_object_or_404(Page, id=page_id)
    if not may_publish_directly(request.user):
        raise PermissionDenied
    return convert.convert_to_alias(request, page.pk)


def translations_within_reach(user, translations):
    """wagtail-localize's translations (a Translation queryset) of the user's own sites: of
    pages within reach, and of site-owned snippets (a `site` field) of their sites. Shared
    snippets (e.g. lab topics) are everyone's."""
    sites = sites_within_reach(user)
    if sites is None:
        return translations
    pages_out_of_reach = Page.objects.exclude(
        pk__in=within_reach(user, Page.objects.all()).values("pk")
    )
    outside = Q(source__object_id__in=pages_out_of_reach.values("translation_key"))
    for model in apps.get_models():
        if issubclass(model, TranslatableMixin) and has_site_field(model):
            others = model._default_manager.exclude(site__in=sites)
            outside |= Q(source__object_id__in=others.values("translation_key"))
    return translations.exclude(outside)


def translation_within_reach(view):
    """wagtail-localize's views of one translation (strings, overrides, PO files, preview,
    stop) check only the snippet type: another site's translation is not found."""

    @functools.wraps(view)
    def guarded(request, translation_id, *args, **kwargs):
        mine = translations_within_reach(
            request.user, Translation.objects.filter(pk=translation_id)
        )
        if not mine.exists():
            raise Http404
        return view(request, translation_id, *args, **kwargs)

    return guarded


class SubmitSnippetTranslationView(submit_translations.SubmitSnippetTranslationView):
    def get_object(self):
        snippet = super().get_object()
        if not is_within_reach(self.request.user, snippet):
            raise Http404
        return snippet


class TranslationsReportView(report.TranslationsReportView):
    def get_queryset(self):
        return translations_within_reach(self.request.user, super().get_queryset())
