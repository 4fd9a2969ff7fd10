"""The worklist and the flag pages."""

from decimal import Decimal

from django.contrib import messages
from django.core.exceptions import PermissionDenied, ValidationError
from django.shortcuts import get_object_or_404, redirect, render
from django.utils import timezone
from django.utils.http import url_has_allowed_host_and_scheme

from tracker.access import clinical_required, get_patient_for, is_consultant, patients_visible_to
from tracker.forms.base import apply_errors
from tracker.forms.staff import AcknowledgeForm
from tracker.models import (
    Flag,
    ImagingStudy,
    LabResult,
    NerveConductionResult,
    SymptomReport,
    Treatment,
    Visit,
)
from tracker.rules.params import rule_settings
from tracker.services.flags import flag_acknowledge
from tracker.worklist import worklist_page

SEVERITIES = (("", "All"), ("red", "Red"), ("amber", "Amber"), ("overdue", "Overdue follow-up"))
ACKNOWLEDGEMENTS = (("", "Any"), ("unacknowledged", "Not yet acknowledged"), ("acknowledged", "All acknowledged"))


@clinical_required
def worklist(request):
    clinics = list(request.user.clinics.all())
    clinic_code = request.GET.get("clinic", "")
    severity = request.GET.get("severity", "")
    acknowledgement = request.GET.get("ack", "")
    patients = patients_visible_to(request.user)
    if clinic_code:
        patients = patients.filter(clinic__code=clinic_code)
    if severity not in dict(SEVERITIES):
        severity = ""
    if acknowledgement not in dict(ACKNOWLEDGEMENTS):
        acknowledgement = ""
    try:
        number = int(request.GET.get("page", "1"))
    except ValueError:
        number = 1
    page = worklist_page(
        patients, today=timezone.localdate(), severity=severity, acknowledgement=acknowledgement, page=number
    )
    query = request.GET.copy()
    query.pop("page", None)
    return render(
        request,
        "tracker/staff/worklist.html",
        {
            "page": page,
            "rows": page.rows,
            "clinics": clinics,
            "clinic_code": clinic_code,
            "severity": severity,
            "severities": SEVERITIES,
            "acknowledgement": acknowledgement,
            "acknowledgements": ACKNOWLEDGEMENTS,
            "filter_query": query.urlencode(),
            "can_acknowledge": is_consultant(request.user),
            "ack_form": AcknowledgeForm(),
        },
    )


def _visible_flag(user, pk) -> Flag:
    flag = get_object_or_404(Flag.objects.select_related("patient", "acknowledged_by"), pk=pk)
    get_patient_for(user, flag.patient_id)
    return flag


def _flag_page(request, flag: Flag, *, form: AcknowledgeForm, can_acknowledge: bool):
    evidence_links, evidence_values = _evidence(flag)
    return render(
        request,
        "tracker/staff/flag_detail.html",
        {
            "flag": flag,
            "patient": flag.patient,
            "evidence_links": evidence_links,
            "evidence_values": evidence_values,
            "can_acknowledge": can_acknowledge and flag.status == "open",
            "form": form,
            "thresholds": rule_settings(flag.rule, flag.params),
        },
    )


@clinical_required
def flag_detail(request, pk):
    flag = _visible_flag(request.user, pk)
    return _flag_page(request, flag, form=AcknowledgeForm(), can_acknowledge=is_consultant(request.user))


@clinical_required
def flag_acknowledge_view(request, pk):
    flag = _visible_flag(request.user, pk)
    if not is_consultant(request.user):
        raise PermissionDenied("Only consultants acknowledge flags.")
    form = AcknowledgeForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            flag_acknowledge(flag=flag, actor=request.user, note=form.cleaned_data["note"])
        except ValidationError as exc:
            apply_errors(form, exc)
        else:
            messages.success(request, f"Acknowledged {flag.rule} for {flag.patient.mrn}.")
            target = request.POST.get("next", "")
            if url_has_allowed_host_and_scheme(target, allowed_hosts={request.get_host()}):
                return redirect(target)
            return redirect("flag_detail", pk=flag.pk)
    return _flag_page(request, flag, form=form, can_acknowledge=True)


# evidence key suffix -> (row anchor on the patient page, model)
_RECORD_ANCHORS = {
    "lab_result_ids": ("lab", LabResult),
    "visit_ids": ("visit", Visit),
    "ncs_ids": ("ncsresult", NerveConductionResult),
    "imaging_ids": ("imaging", ImagingStudy),
    "symptom_ids": ("symptoms", SymptomReport),
    "treatment_ids": ("treatment", Treatment),
}
_WORDS = {"pct": "%", "uln": "upper limit", "t0": "T0", "cr": "complete response", "ncs": "NCS", "ids": ""}
# Keys naming other flags by their internal identity; the explanation already says it in words.
_INTERNAL_KEYS = ("confirms", "key")


def _label(key: str) -> str:
    words = [_WORDS.get(word, word) for word in key.split("_")]
    return " ".join(word for word in words if word).capitalize()


def _plain_value(value):
    """Evidence values for reading: numbers to two decimals, yes/no, nested pairs in words.
    The stored JSON keeps them exact."""
    if isinstance(value, bool):
        return "yes" if value else "no"
    if isinstance(value, str):
        try:
            number = Decimal(value)
        except ArithmeticError:
            return value
        if number.is_finite() and number.as_tuple().exponent < -2:
            return str(number.quantize(Decimal("0.01")).normalize())
        return value
    if isinstance(value, dict):
        return "; ".join(f"{_label(k)} {_plain_value(v)}" for k, v in value.items() if not k.endswith("_id"))
    if isinstance(value, list):
        return ", ".join(str(_plain_value(v)) for v in value)
    return value


def _record_names(wanted: dict) -> dict:
    """'Serum VEGF 1,343 pg/mL, 2025-06-14' and the like for the records a flag used: one
    query per kind of record."""
    names = {}
    for (_anchor, model), ids in wanted.items():
        for record in model.objects.filter(pk__in=ids):
            if isinstance(record, LabResult):
                names[(model, record.pk)] = f"{record.label} {record.display_value}, {record.collected_on:%Y-%m-%d}"
            else:
                names[(model, record.pk)] = str(record)
    return names


def _evidence(flag: Flag) -> tuple[list[dict], list[tuple[str, str]]]:
    """Split a flag's evidence into links to the records it used and values in words."""
    links, values, wanted = [], [], {}
    for key, value in flag.evidence.items():
        suffix = next((s for s in _RECORD_ANCHORS if key.endswith(s)), None)
        if suffix and isinstance(value, list):
            role = _label(key[: -len(suffix)]) if key != suffix else ""
            wanted.setdefault(_RECORD_ANCHORS[suffix], []).extend(value)
            links.extend({"kind": _RECORD_ANCHORS[suffix], "role": role, "id": pk} for pk in value)
        elif key not in _INTERNAL_KEYS:
            values.append((_label(key), _plain_value(value)))
    names = _record_names(wanted)
    for link in links:
        anchor, model = link.pop("kind")
        link["anchor"] = anchor
        link["label"] = names.get((model, link["id"]), f"record #{link['id']}")
    return links, values
