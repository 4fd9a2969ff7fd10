"""Form plumbing shared by the staff pages and the portal."""

from crispy_forms.helper import FormHelper
from django import forms
from django.conf import settings
from django.core.exceptions import FieldDoesNotExist, ValidationError

from tracker import catalogue
from tracker.models.base import number_messages
from tracker.text_checks import DIGITS_MESSAGE, ascii_number, control_character, control_message

# How a typed date is written in the clinic's order (POEMS_DATE_ORDER), and the hint shown.
DATE_FORMATS = {"DMY": ("%d/%m/%Y", "dd/mm/yyyy"), "MDY": ("%m/%d/%Y", "mm/dd/yyyy")}
ISO_DATE = "%Y-%m-%d"


def date_typed() -> bool:
    """Whether date boxes are typed text in the clinic's order (POEMS_DATE_INPUT=typed) rather
    than the browser's date picker, whose order follows the browser's language, not the clinic's."""
    return settings.POEMS_DATE_INPUT == "typed"


class DateInput(forms.DateInput):
    """The browser's date picker, or a text box showing dd/mm/yyyy (or mm/dd/yyyy)."""

    input_type = "date"

    def __init__(self, attrs=None):
        pattern, hint = DATE_FORMATS[settings.POEMS_DATE_ORDER]
        if date_typed():
            self.input_type = "text"
            attrs = {"placeholder": hint, "inputmode": "numeric", "autocomplete": "off", **(attrs or {})}
            super().__init__(attrs=attrs, format=pattern)
        else:
            super().__init__(attrs=attrs, format=ISO_DATE)


def date_field_setup(field: forms.DateField, label: str) -> None:
    """A date field reads ISO and the clinic's order, and says which when it cannot read one."""
    pattern, hint = DATE_FORMATS[settings.POEMS_DATE_ORDER]
    field.widget = DateInput(attrs=field.widget.attrs)
    field.input_formats = [ISO_DATE, pattern, pattern.replace("/", "."), pattern.replace("/", "-")]
    field.error_messages["invalid"] = f"{label}: enter a real date as {hint} or yyyy-mm-dd."


def _no_control_characters(multiline: bool):
    def check(value) -> None:
        code = control_character(str(value), multiline=multiline)
        if code:
            raise ValidationError(f"The text {control_message(code)}.", code="control_character")

    return check


def _ascii_digits(field: forms.Field, message: str):
    """Wrap the field's to_python: '٣' or '１２' is refused instead of read as 3 or 12."""
    to_python = field.to_python

    def checked(value):
        if isinstance(value, str) and not ascii_number(value):
            raise ValidationError(f"{message.rstrip('.')}; {DIGITS_MESSAGE}.", code="digits")
        return to_python(value)

    field.to_python = checked


class ReportNumberField(forms.DecimalField):
    """A number copied from a lab report: '1,250' is read as 1250 (commas only between groups
    of three digits; '6,5' is refused as not a number). A text box, since a number box would
    not take the comma."""

    widget = forms.TextInput(attrs={"inputmode": "decimal", "autocomplete": "off"})

    def to_python(self, value):
        if isinstance(value, str):
            value = catalogue.without_thousands(value)
        return super().to_python(value)


class SafeInputMixin:
    """Every form: no control character in text, numbers written with 0-9, and every number
    error naming the field, its range and its unit (from the model field when there is one).
    A form whose number fields carry their own plain-language messages keeps them."""

    keep_number_messages = False

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        model = getattr(getattr(self, "_meta", None), "model", None)
        for name, field in self.fields.items():
            if isinstance(field, forms.IntegerField | forms.DecimalField | forms.FloatField):
                source = _model_field(model, name) or field
                messages = number_messages(source, str(field.label or "") or name.replace("_", " "))
                if self.keep_number_messages:
                    messages = {"invalid": field.error_messages["invalid"]}
                field.error_messages.update(messages)
                _ascii_digits(field, messages["invalid"])
            elif isinstance(field, forms.CharField):
                field.validators.append(_no_control_characters(isinstance(field.widget, forms.Textarea)))


def _model_field(model, name: str):
    if model is None:
        return None
    try:
        return model._meta.get_field(name)
    except FieldDoesNotExist:  # a form-only field
        return None


class CrispyMixin(SafeInputMixin):
    """Bootstrap 5 layout without a <form> tag: templates own the form element and buttons."""

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.helper = FormHelper()
        self.helper.form_tag = False
        for name, field in self.fields.items():
            if isinstance(field, forms.DateField):
                date_field_setup(field, str(field.label or name.replace("_", " ").capitalize()))


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


def with_version(form: forms.Form, record) -> forms.Form:
    """Carry the version of `record` the page shows in a hidden field (no lost update: a save
    from a page showing an older version is refused by the service)."""
    if record is not None and record.pk is not None:
        form.fields["version"] = forms.IntegerField(widget=forms.HiddenInput, initial=record.version, required=False)
        if hasattr(form, "helper"):
            form.helper.render_hidden_fields = True
    return form


def stale_refused(form: forms.Form, exc: ValidationError, record) -> None:
    """Show a refused stale save and let the page carry the stored version from now on, so a
    second save after reading the message keeps the values on the page."""
    apply_errors(form, exc)
    if getattr(exc, "code", None) == "stale" and form.is_bound and "version" in form.fields:
        data = form.data.copy()
        data["version"] = type(record)._base_manager.filter(pk=record.pk).values_list("version", flat=True).first()
        form.data = data
