"""The public registration form of a workshop."""

from django import forms
from django.utils.translation import gettext_lazy as _

from portal.forms import PublicForm, VisitorTextField


class RegistrationForm(PublicForm):
    name = VisitorTextField(label=_("Name"), max_length=120)
    email = forms.EmailField(
        label=_("E-mail address"),
        max_length=254,
        help_text=_("We send you a link to confirm your registration."),
    )
    organisation = VisitorTextField(label=_("Organisation"), max_length=200, required=False)
    municipality = VisitorTextField(label=_("Municipality"), max_length=120, required=False)
    note = VisitorTextField(
        label=_("Note"),
        max_length=1000,
        required=False,
        widget=forms.Textarea(attrs={"rows": 4}),
        help_text=_("For example accessibility needs or questions (at most 1,000 characters)."),
    )
    consent = forms.BooleanField(
        required=True,
        error_messages={"required": _("Please agree to the use of your details.")},
    )

    def __init__(self, *args, consent_text: str, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["consent"].label = consent_text
        self.fields["name"].widget.attrs["autocomplete"] = "name"
        self.fields["email"].widget.attrs["autocomplete"] = "email"
        self.fields["organisation"].widget.attrs["autocomplete"] = "organization"
