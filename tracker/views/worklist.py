"""The worklist and the flag pages."""

from django.contrib import messages
from django.core.exceptions import PermissionDenied, ValidationError
from django.shortcuts import redirect, render
from django.utils import timezone
from django.utils.http import url_has_allowed_host_and_scheme

from tracker.access import clinical_required, is_consultant, patients_visible_to
from tracker.accounts.audit import patient_reads_record
from tracker.forms.base import apply_errors
from tracker.forms.staff import AcknowledgeForm
from tracker.presenters.evidence import flag_evidence, flag_thresholds
from tracker.services.flags import flag_acknowledge
from tracker.worklist import flag_visible_to, flags_confirmed_together, worklist_page

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


def _flag_page(request, flag, *, form: AcknowledgeForm, can_acknowledge: bool):
    evidence_links, evidence_values = flag_evidence(flag)
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
            "thresholds": flag_thresholds(flag),
            **flags_confirmed_together(flag),
        },
    )


@clinical_required
def flag_detail(request, pk):
    flag = flag_visible_to(request.user, pk)
    patient_reads_record(user=request.user, patients=[flag.patient], what="flag page")
    return _flag_page(request, flag, form=AcknowledgeForm(), can_acknowledge=is_consultant(request.user))


@clinical_required
def flag_acknowledge_view(request, pk):
    flag = flag_visible_to(request.user, pk)
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
