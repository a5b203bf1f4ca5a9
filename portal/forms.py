"""Shared base for the public forms (workshop registration, barrier feedback)."""

import re

from django import forms
from django.utils.translation import gettext_lazy as _

from .formats import normalise, visitor_text_problem

HONEYPOT_ERROR = _(
    "Your message could not be accepted. If you filled in the field “Leave this field "
    "empty”, please clear it and send the form again."
)
HTML_ERROR = _(
    "Please write without HTML code: describe in words what you saw (for example “the "
    "picture has no description”)."
)
HTML_TAG = re.compile(r"<\s*/?\s*[a-zA-Z!][^>]*>")
TEXT_ERRORS = {
    "control": _(
        "This field contains invisible control characters. Please type the text again "
        "instead of pasting it."
    ),
    "bidi": _(
        "This field contains invisible characters that change the direction of the text. "
        "Please type the text again instead of pasting it."
    ),
}


class VisitorTextField(forms.CharField):
    """Free text typed by a visitor: normalised to NFC, and refused when it holds control
    characters (line breaks are fine in a text area) or bidirectional overrides, which
    would make it display as something else in the admin, in mails and in CSV exports."""

    def to_python(self, value):
        return normalise(super().to_python(value))

    def validate(self, value):
        super().validate(value)
        problem = visitor_text_problem(value, multiline=isinstance(self.widget, forms.Textarea))
        if problem:
            raise forms.ValidationError(TEXT_ERRORS[problem], code=problem)


class DescribedBoundField(forms.BoundField):
    """Links a widget to its help text and error message (`aria-describedby`), with the
    ids the form templates use, alike on every supported Django version."""

    def build_widget_attrs(self, attrs, widget=None):
        attrs = super().build_widget_attrs(attrs, widget)
        described_by = []
        if self.help_text:
            described_by.append(f"{self.auto_id}_helptext")
        if self.errors:
            described_by.append(f"{self.auto_id}_error")
            attrs["aria-invalid"] = "true"
        if described_by:
            attrs["aria-describedby"] = " ".join(described_by)
        else:
            attrs.pop("aria-describedby", None)
        attrs["class"] = " ".join(filter(None, [attrs.get("class"), self.kern_class()]))
        return attrs

    def kern_class(self) -> str:
        """KERN's class for the widget (form patterns of @kern-ux/native), marked on error."""
        base = {
            "checkbox": "kern-form-check__checkbox",
            "radioselect": "kern-form-check__radio",
            "select": "kern-form-input__select",
        }.get(self.widget_type, "kern-form-input__input")
        return f"{base} {base}--error" if self.errors else base


class PublicForm(forms.Form):
    """A form shown to visitors; render each field with components/form_field.html, and the
    honeypot `website` inside <div class="form-trap"> (hidden from people and assistive
    technology, so only bots fill it in)."""

    bound_field_class = DescribedBoundField
    error_css_class = "form-field--error"

    website = forms.CharField(label=_("Leave this field empty"), required=False)

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["website"].widget.attrs.update({"autocomplete": "off", "tabindex": "-1"})

    def clean(self):
        cleaned_data = super().clean()
        if cleaned_data.get("website"):
            raise forms.ValidationError(HONEYPOT_ERROR, code="honeypot")
        return cleaned_data


def reject_html(value: str) -> str:
    """For free-text fields read by staff in mails and the admin: markup is refused rather
    than silently stored (it is escaped on display either way)."""
    if HTML_TAG.search(value or ""):
        raise forms.ValidationError(HTML_ERROR, code="html")
    return value
