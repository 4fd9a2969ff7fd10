"""Staff pages that add, correct and audit clinical records of one patient."""

from django.contrib import messages
from django.contrib.auth import get_user_model
from django.core.exceptions import ValidationError
from django.http import Http404
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse

from tracker.access import clinical_required, get_patient_for
from tracker.accounts.audit import patient_reads_record
from tracker.forms.base import apply_errors
from tracker.forms.staff import (
    PANELS,
    EngraftmentForm,
    EnteredInErrorForm,
    ImagingForm,
    LabPanelForm,
    LabResultForm,
    NcsRowFormSet,
    NcsStudyForm,
    SymptomReportForm,
    TreatmentForm,
    VisitForm,
)
from tracker.models import (
    DiagnosticChecklist,
    EngraftmentSyndrome,
    Flag,
    ImagingStudy,
    LabResult,
    NerveConductionStudy,
    Patient,
    SymptomReport,
    SymptomSource,
    Treatment,
    TreatmentCategory,
    Visit,
)
from tracker.services.common import patient_of, record_mark_entered_in_error, record_update
from tracker.services.labs import lab_panel_record, lab_result_record
from tracker.services.records import (
    engraftment_save,
    imaging_record,
    ncs_study_record,
    symptom_report_record,
    treatment_record,
    visit_record,
)

# kind in the URL -> (model, form, create service, section anchor on the patient page, noun)
KINDS = {
    "treatment": (Treatment, TreatmentForm, treatment_record, "treatments", "treatment"),
    "visit": (Visit, VisitForm, visit_record, "visits", "visit"),
    "imaging": (ImagingStudy, ImagingForm, imaging_record, "imaging", "imaging study"),
    "symptoms": (SymptomReport, SymptomReportForm, symptom_report_record, "symptoms", "symptom report"),
    "lab": (LabResult, None, None, "labs", "lab result"),
    "ncs": (NerveConductionStudy, None, None, "ncs", "nerve conduction study"),
}
HISTORY_MODELS = {
    **{kind: spec[0] for kind, spec in KINDS.items()},
    "patient": Patient,
    "checklist": DiagnosticChecklist,
    "engraftment": EngraftmentSyndrome,
    "flag": Flag,
}


def _back(patient, anchor: str) -> str:
    return reverse("patient_detail", kwargs={"pk": patient.pk}) + f"#{anchor}"


def _kind(kind: str):
    if kind not in KINDS:
        raise Http404("No such record type.")
    return KINDS[kind]


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
    model, form_class, service, anchor, noun = _kind(kind)
    if form_class is None:
        raise Http404
    patient = get_patient_for(request.user, pk)
    form = form_class(request.POST or None)
    if request.method == "POST" and form.is_valid():
        extra = {"source": SymptomSource.STAFF} if model is SymptomReport else {}
        if model is Visit:
            extra["clinician"] = request.user
        try:
            service(patient=patient, actor=request.user, **form.cleaned_data, **extra)
        except ValidationError as exc:
            apply_errors(form, exc)
        else:
            messages.success(request, f"Saved the {noun}.")
            return redirect(_back(patient, anchor))
    return _form_page(request, form=form, title=f"Add a {noun}", patient=patient)


@clinical_required
def record_edit(request, kind, record_pk):
    model, form_class, _service, anchor, noun = _kind(kind)
    if form_class is None:
        raise Http404
    record, patient = _visible_record(request.user, model, record_pk)
    form = form_class(request.POST or None, instance=record)
    if record.is_entered_in_error:
        messages.error(request, "This record is marked entered in error and cannot be changed.")
        return redirect(_back(patient, anchor))
    if request.method == "POST" and form.is_valid():
        try:
            record_update(record=record, actor=request.user, **form.cleaned_data)
        except ValidationError as exc:
            apply_errors(form, exc)
        else:
            messages.success(request, f"Saved the {noun}; the earlier version is kept in its history.")
            return redirect(_back(patient, anchor))
    return _form_page(request, form=form, title=f"Edit {noun}", patient=patient)


@clinical_required
def record_error(request, kind, record_pk):
    model, _form, _service, anchor, noun = _kind(kind)
    record, patient = _visible_record(request.user, model, record_pk)
    form = EnteredInErrorForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            record_mark_entered_in_error(record=record, actor=request.user, reason=form.cleaned_data["reason"])
        except ValidationError as exc:
            apply_errors(form, exc)
        else:
            messages.success(request, f"The {noun} is marked entered in error and stays in the history.")
            return redirect(_back(patient, anchor))
    return render(
        request,
        "tracker/staff/entered_in_error.html",
        {"form": form, "record": record, "noun": noun, "patient": patient},
    )


@clinical_required
def record_history(request, kind, record_pk):
    model = HISTORY_MODELS.get(kind)
    if model is None:
        raise Http404
    record, patient = _visible_record(request.user, model, record_pk)
    patient_reads_record(user=request.user, patients=[patient], what=f"history of {kind}")
    versions = list(record.history.select_related("history_user").order_by("history_date", "history_id"))
    deltas = [version.diff_against(previous) for previous, version in zip(versions, versions[1:], strict=False)]
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
    treatment, patient = _visible_record(request.user, Treatment, treatment_pk)
    if treatment.category != TreatmentCategory.ASCT:
        raise Http404
    form = EngraftmentForm(request.POST or None, instance=getattr(treatment, "engraftment_syndrome", None))
    if request.method == "POST" and form.is_valid():
        try:
            engraftment_save(treatment=treatment, actor=request.user, **form.cleaned_data)
        except ValidationError as exc:
            apply_errors(form, exc)
        else:
            messages.success(request, "Saved the engraftment syndrome record.")
            return redirect(_back(patient, "treatments"))
    return _form_page(request, form=form, title=f"Engraftment syndrome after {treatment}", patient=patient)
