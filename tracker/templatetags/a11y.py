"""Accessibility pieces every page shares: the page title's "Error:" prefix and patient, and
the error summary at the top of a form (docs/ACCESSIBILITY.md)."""

from django import template
from django.forms import BaseForm, BaseFormSet
from django.urls import reverse
from django.utils.html import format_html

from tracker.models import Patient

register = template.Library()


def _bound_with_errors(value) -> bool:
    if isinstance(value, BaseFormSet):
        return value.is_bound and value.total_error_count() > 0
    return isinstance(value, BaseForm) and value.is_bound and bool(value.errors)


@register.simple_tag(takes_context=True)
def error_title_prefix(context) -> str:
    """'Error: ' when any submitted form on the page has errors, so a screen reader hears it
    first, before the page's name."""
    return "Error: " if any(_bound_with_errors(value) for value in context.flatten().values()) else ""


@register.simple_tag(takes_context=True)
def patient_title(context) -> str:
    """' · <name> (<MRN>)' on every staff page about one patient: several such tabs are
    often open at once. Not on the patient's own portal pages."""
    patient = context.get("patient")
    if not isinstance(patient, Patient) or context.get("role") == "patient":
        return ""
    return f" · {patient.full_name} ({patient.mrn})"


def _field_items(form, prefix: str = "") -> list[dict]:
    items = []
    # A row's own errors ("Each row needs kind, nerve and side.") link to the row's first control.
    row_anchor = form[next(iter(form.fields))].auto_id if prefix and form.fields else ""
    for message in form.non_field_errors():
        items.append({"anchor": row_anchor, "label": prefix.strip(), "message": message})
    for name, field in form.fields.items():
        bound = form[name]
        for message in form.errors.get(name, []):
            anchor = bound.id_for_label or bound.auto_id
            label = f"{prefix}{field.label or name.replace('_', ' ').capitalize()}"
            if getattr(field, "unit", ""):
                label = f"{label} ({field.unit})"
            items.append({"anchor": anchor, "label": label, "message": message})
    return items


def error_items(*forms) -> list[dict]:
    """Every error of the given forms and formsets in page order: the field's label, its
    message and the id to link to. Formset rows are named "Row 1 ...", counting from one."""
    items = []
    for form in forms:
        if isinstance(form, BaseFormSet):
            for message in form.non_form_errors():
                items.append({"anchor": "", "label": "", "message": message})
            for number, row in enumerate(form.forms, start=1):
                items.extend(_field_items(row, prefix=f"Row {number} "))
        elif isinstance(form, BaseForm):
            items.extend(_field_items(form))
    return items


@register.inclusion_tag("includes/_error_summary.html")
def error_summary(*forms) -> dict:
    """A box at the top of a submitted form listing each error with a link to its field; it
    takes focus when the page loads (autofocus), so keyboard and screen reader users land on it."""
    bound = [form for form in forms if _bound_with_errors(form)]
    return {"items": error_items(*bound) if bound else []}


@register.simple_tag(takes_context=True)
def nav_item(context, url_name: str, label: str) -> str:
    """A navbar item; the current page's says so (aria-current="page", or "true" on a page
    inside its section, such as a patient's record under Patients) and looks it (tracker.css)."""
    href = reverse(url_name)
    request = context.get("request")
    path = request.path if request is not None else ""
    current = "page" if path == href else ("true" if href != "/" and path.startswith(href) else "")
    if not current:
        return format_html('<li class="nav-item"><a class="nav-link" href="{}">{}</a></li>', href, label)
    return format_html(
        '<li class="nav-item"><a class="nav-link active" aria-current="{}" href="{}">{}</a></li>', current, href, label
    )
