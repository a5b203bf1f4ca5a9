"""Shared base for the public forms (workshop registration, feedback)."""

from django import forms


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
        return attrs


class PublicForm(forms.Form):
    """A form shown to visitors; render each field with components/form_field.html."""

    bound_field_class = DescribedBoundField
    error_css_class = "form-field--error"
