"""Staff pages that add, correct and audit clinical records of one patient."""

from django.contrib import messages
from django.contrib.auth import get_user_model
from django.core.exceptions import ValidationError
from django.http import Http404
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse

from tracker.access import clinical_required, get_patient_for
from tracker.accounts.audit import patient_reads_record
from tracker.forms.base import apply_errors, stale_refused, with_version
from tracker.forms.staff import (
    PANELS,
    EngraftmentForm,
    EnteredInErrorForm,
    LabPanelForm,
    LabResultForm,
    NcsRowFormSet,
    NcsStudyForm,
)
from tracker.models import TreatmentCategory
from tracker.record_types import BY_KIND, RecordType, entry_type, history_type
from tracker.services.common import patient_of, record_mark_entered_in_error, record_update
from tracker.services.labs import lab_panel_record, lab_result_record
from tracker.services.records import engraftment_save, ncs_study_record


def _back(patient, anchor: str) -> str:
    return reverse("patient_detail", kwargs={"pk": patient.pk}) + f"#{anchor}"


def _entry(kind: str) -> RecordType:
    found = entry_type(kind)
    if found is None:
        raise Http404("No such record type.")
    return found


def _visible_record(user, model, record_pk):
    """The record if its patient is visible to `user`, else 404."""
    record = get_object_or_404(model, pk=record_pk)
    patient = patient_of(record)
    get_patient_for(user, patient.pk)
    return record, patient


def _form_page(request, *, form, title, patient, **extra):
    return render(request, "tracker/staff/form.html", {"form": form, "title": title, "patient": patient, **extra})


@clinical_required
def record_create(request, pk, kind):
    rt = _entry(kind)
    if rt.form is None:
        raise Http404
    patient = get_patient_for(request.user, pk)
    form = rt.form(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            rt.create(patient=patient, actor=request.user, **form.cleaned_data, **rt.staff_defaults(request.user))
        except ValidationError as exc:
            apply_errors(form, exc)
        else:
            messages.success(request, f"Saved the {rt.noun}.")
            return redirect(_back(patient, rt.section))
    return _form_page(request, form=form, title=f"Add a {rt.noun}", patient=patient)


@clinical_required
def record_edit(request, kind, record_pk):
    rt = _entry(kind)
    if rt.form is None:
        raise Http404
    record, patient = _visible_record(request.user, rt.model, record_pk)
    form = with_version(rt.form(request.POST or None, instance=record), record)
    if record.is_entered_in_error:
        messages.error(request, "This record is marked entered in error and cannot be changed.")
        return redirect(_back(patient, rt.section))
    if request.method == "POST" and form.is_valid():
        data = dict(form.cleaned_data)
        try:
            record_update(record=record, actor=request.user, expected_version=data.pop("version"), **data)
        except ValidationError as exc:
            stale_refused(form, exc, record)
        else:
            messages.success(request, f"Saved the {rt.noun}; the earlier version is kept in its history.")
            return redirect(_back(patient, rt.section))
    return _form_page(request, form=form, title=f"Edit {rt.noun}", patient=patient)


@clinical_required
def record_error(request, kind, record_pk):
    rt = _entry(kind)
    noun = rt.noun
    record, patient = _visible_record(request.user, rt.model, record_pk)
    form = EnteredInErrorForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            record_mark_entered_in_error(record=record, actor=request.user, reason=form.cleaned_data["reason"])
        except ValidationError as exc:
            apply_errors(form, exc)
        else:
            messages.success(request, f"The {noun} is marked entered in error and stays in the history.")
            return redirect(_back(patient, rt.section))
    return render(
        request,
        "tracker/staff/entered_in_error.html",
        {"form": form, "record": record, "noun": noun, "patient": patient},
    )


@clinical_required
def record_history(request, kind, record_pk):
    rt = history_type(kind)
    if rt is None:
        raise Http404
    model = rt.model
    record, patient = _visible_record(request.user, model, record_pk)
    patient_reads_record(user=request.user, patients=[patient], what=f"history of {kind}")
    versions = list(record.history.select_related("history_user").order_by("history_date", "history_id"))
    deltas = [
        version.diff_against(previous, excluded_fields=["version"])
        for previous, version in zip(versions, versions[1:], strict=False)
    ]
    users = _usernames(model, deltas)
    entries = [{"version": versions[0], "changes": []}] if versions else []
    for version, delta in zip(versions[1:], deltas, strict=True):
        changes = []
        for change in delta.changes:
            field = model._meta.get_field(change.field)
            old, new = change.old, change.new
            if field.is_relation and field.related_model is get_user_model():
                old, new = users.get(old, old), users.get(new, new)
            elif field.is_relation:
                old, new = _related_names(field, old, new)
            elif field.choices:
                labels = dict(field.flatchoices)
                old, new = labels.get(old, old), labels.get(new, new)
            changes.append({"field": field.verbose_name, "old": old, "new": new})
        entries.append({"version": version, "changes": changes})
    entries.reverse()
    return render(
        request,
        "tracker/staff/history.html",
        {"record": record, "patient": patient, "entries": entries, "kind": kind},
    )


def _related_names(field, *pks) -> list:
    """How people name the related rows of a changed foreign key (a clinic, a study): one query."""
    names = {obj.pk: str(obj) for obj in field.related_model.objects.filter(pk__in=[pk for pk in pks if pk])}
    return [names.get(pk, pk) for pk in pks]


def _usernames(model, deltas) -> dict:
    """Usernames for the user ids that appear in changed foreign keys, in one query."""
    ids = {
        value
        for delta in deltas
        for change in delta.changes
        if model._meta.get_field(change.field).related_model is get_user_model()
        for value in (change.old, change.new)
        if value is not None
    }
    return dict(get_user_model().objects.filter(pk__in=ids).values_list("pk", "username")) if ids else {}


@clinical_required
def lab_create(request, pk):
    patient = get_patient_for(request.user, pk)
    form = LabResultForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        data = dict(form.cleaned_data)
        try:
            lab_result_record(patient=patient, actor=request.user, **data)
        except ValidationError as exc:
            apply_errors(form, exc)
        else:
            messages.success(request, "Saved the lab result.")
            return redirect(_back(patient, "labs"))
    return _form_page(request, form=form, title="Add a lab result", patient=patient)


@clinical_required
def lab_panel_create(request, pk, panel):
    if panel not in PANELS:
        raise Http404
    patient = get_patient_for(request.user, pk)
    form = LabPanelForm(request.POST or None, panel=panel)
    if request.method == "POST" and form.is_valid():
        entries = form.entries()
        try:
            results = lab_panel_record(
                patient=patient,
                actor=request.user,
                collected_on=form.cleaned_data["collected_on"],
                lab=form.cleaned_data["lab"],
                assay=form.cleaned_data["assay"],
                entries=entries,
            )
        except ValidationError as exc:
            apply_errors(form, exc)
        else:
            messages.success(request, f"Saved {len(results)} result{'' if len(results) == 1 else 's'}.")
            return redirect(_back(patient, "labs"))
    return render(request, "tracker/staff/lab_panel.html", {"form": form, "patient": patient, "title": form.title})


@clinical_required
def ncs_create(request, pk):
    patient = get_patient_for(request.user, pk)
    form = NcsStudyForm(request.POST or None)
    rows = NcsRowFormSet(request.POST or None, prefix="row")
    if request.method == "POST" and form.is_valid() and rows.is_valid():
        filled = [(i, row.cleaned_data) for i, row in enumerate(rows.forms) if row.has_changed()]
        try:
            ncs_study_record(
                patient=patient, actor=request.user, rows=[data for _, data in filled], **form.cleaned_data
            )
        except ValidationError as exc:
            _apply_row_errors(form, rows, filled, exc)
        else:
            messages.success(request, "Saved the nerve conduction study.")
            return redirect(_back(patient, "ncs"))
    return render(
        request,
        "tracker/staff/ncs_form.html",
        {"form": form, "rows": rows, "patient": patient, "title": "Add a nerve conduction study"},
    )


def _apply_row_errors(form, rows, filled, exc: ValidationError) -> None:
    """Map the service's 'row{n}-field' errors back onto the grid rows they came from."""
    if not hasattr(exc, "error_dict"):
        form.add_error(None, exc)
        return
    for key, errors in exc.error_dict.items():
        if key.startswith("row") and "-" in key:
            index, field = key[3:].split("-", 1)
            row_form = rows.forms[filled[int(index)][0]]
            target = field if field in row_form.fields else None
            for error in errors:
                row_form.add_error(target, " ".join(error.messages))
        else:
            for error in errors:
                form.add_error(key if key in form.fields else None, " ".join(error.messages))


@clinical_required
def engraftment_edit(request, treatment_pk):
    treatment, patient = _visible_record(request.user, BY_KIND["treatment"].model, treatment_pk)
    if treatment.category != TreatmentCategory.ASCT:
        raise Http404
    existing = getattr(treatment, "engraftment_syndrome", None)
    form = with_version(EngraftmentForm(request.POST or None, instance=existing), existing)
    if request.method == "POST" and form.is_valid():
        data = dict(form.cleaned_data)
        try:
            engraftment_save(
                treatment=treatment, actor=request.user, expected_version=data.pop("version", None), **data
            )
        except ValidationError as exc:
            stale_refused(form, exc, existing)
        else:
            messages.success(request, "Saved the engraftment syndrome record.")
            return redirect(_back(patient, "treatments"))
    return _form_page(request, form=form, title=f"Engraftment syndrome after {treatment}", patient=patient)
