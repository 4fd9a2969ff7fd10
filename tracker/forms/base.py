"""Form plumbing shared by the staff pages and the portal."""

from crispy_forms.helper import FormHelper
from django import forms
from django.core.exceptions import ValidationError


class DateInput(forms.DateInput):
    input_type = "date"

    def __init__(self, attrs=None):
        super().__init__(attrs=attrs, format="%Y-%m-%d")


class CrispyMixin:
    """Bootstrap 5 layout without a <form> tag: templates own the form element and buttons."""

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.helper = FormHelper()
        self.helper.form_tag = False
        for field in self.fields.values():
            if isinstance(field, forms.DateField):
                field.widget = DateInput()


def apply_errors(form: forms.Form, exc: ValidationError) -> None:
    """Show a service's ValidationError on the form: beside the field when the form has it."""
    if not hasattr(exc, "error_dict"):
        form.add_error(None, exc)
        return
    for field, errors in exc.error_dict.items():
        target = field if field in form.fields else None
        for error in errors:
            message = " ".join(error.messages)
            if target is None and field != "__all__":
                label = field.replace("_", " ").replace("-", " ").capitalize()
                message = f"{label}: {message}"
            form.add_error(target, message)


def multi_choice(choices, label: str, required: bool = False) -> forms.MultipleChoiceField:
    return forms.MultipleChoiceField(
        label=label, choices=choices, required=required, widget=forms.CheckboxSelectMultiple
    )
