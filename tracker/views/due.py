"""The clinic's due list (/due/), its CSV export, and a patient's plan edited by a consultant."""

import csv
import datetime
from urllib.parse import urlencode

from django.contrib import messages
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.paginator import Paginator
from django.db.models import Q
from django.http import Http404, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils import timezone

from tracker.access import clinical_required, get_patient_for, is_consultant, patients_visible_to
from tracker.forms.base import apply_errors
from tracker.forms.schedule import PlanItemForm
from tracker.models.schedule import PlanItem, ReminderLog
from tracker.rules.schedule_params import ITEM_LABELS, ITEMS
from tracker.services.due import due_rows
from tracker.services.schedule import plan_item_set

WINDOWS = (("overdue", "Overdue only", 0), ("week", "Overdue and this week", 7), ("30", "Overdue and next 30 days", 30))
SORTS = {
    "due": lambda r: (r.entry.due_on, r.patient.mrn, r.item),
    "-due": lambda r: (-r.entry.due_on.toordinal(), r.patient.mrn, r.item),
    "patient": lambda r: (r.patient.family_name, r.patient.given_name, r.patient.mrn, r.entry.due_on),
    "item": lambda r: (ITEMS.index(r.item), r.entry.due_on, r.patient.mrn),
}
PAGE_SIZE = 50
CSV_FIELDS = ("mrn", "family_name", "given_name", "clinic", "item", "last_done", "due_on", "interval_months",
              "overdue_days")  # fmt: skip


def _filters(request) -> dict:
    window = request.GET.get("window", "30")
    window = window if window in {w[0] for w in WINDOWS} else "30"
    item = request.GET.get("item", "")
    sort = request.GET.get("sort", "due")
    return {
        "window": window,
        "item": item if item in ITEMS else "",
        "clinic": request.GET.get("clinic", ""),
        "sort": sort if sort in SORTS else "due",
    }


def _rows(request, filters: dict, today: datetime.date) -> list:
    patients = patients_visible_to(request.user)
    if filters["clinic"]:
        patients = patients.filter(clinic__code=filters["clinic"])
    days = next(w[2] for w in WINDOWS if w[0] == filters["window"])
    rows = due_rows(patients, as_of=today, within_days=days, items={filters["item"]} if filters["item"] else None)
    if filters["window"] == "overdue":
        rows = [r for r in rows if r.entry.overdue_days > 0]
    return sorted(rows, key=SORTS[filters["sort"]])


@clinical_required
def due_list(request):
    """What is due for whom: overdue items and those due in the chosen window. A fixed number
    of queries whatever the number of patients (tracker.services.due)."""
    today = timezone.localdate()
    filters = _filters(request)
    rows = _rows(request, filters, today)
    if request.GET.get("format") == "csv":
        return _csv(rows, today)
    page = Paginator(rows, PAGE_SIZE).get_page(request.GET.get("page"))
    query = {k: v for k, v in filters.items() if v}
    return render(
        request,
        "tracker/staff/due_list.html",
        {
            "page": page,
            "total": len(rows),
            "today": today,
            "filters": filters,
            "querystring": urlencode(query),
            "windows": WINDOWS,
            "items": [(code, ITEM_LABELS[code]) for code in ITEMS],
            "clinics": list(request.user.clinics.all()),
        },
    )


def _csv(rows: list, today: datetime.date) -> HttpResponse:
    response = HttpResponse(content_type="text/csv; charset=utf-8")
    response["Content-Disposition"] = f'attachment; filename="due-{today.isoformat()}.csv"'
    writer = csv.writer(response)
    writer.writerow(CSV_FIELDS)
    for r in rows:
        p, e = r.patient, r.entry
        writer.writerow([
            p.mrn, p.family_name, p.given_name, p.clinic.code, e.item, e.last_done or "", e.due_on,
            e.interval_months, e.overdue_days,
        ])  # fmt: skip
    return response


@clinical_required
def plan_item_edit(request, pk, item):
    """A consultant changes one item of the patient's plan; other roles get 403."""
    patient = get_patient_for(request.user, pk)
    if not is_consultant(request.user):
        raise PermissionDenied
    if item not in ITEMS:
        raise Http404("No such schedule item.")
    current = PlanItem.objects.filter(patient=patient, item=item).first()
    initial = {"enabled": True}
    if current:
        initial = {"enabled": current.enabled, "interval_months": current.interval_months, "reason": current.reason}
    form = PlanItemForm(request.POST or None, initial=initial)
    if request.method == "POST" and form.is_valid():
        try:
            plan_item_set(actor=request.user, patient=patient, item=item, **form.cleaned_data)
        except ValidationError as exc:
            apply_errors(form, exc)
        else:
            messages.success(request, f"Plan changed: {ITEM_LABELS[item]}.")
            return redirect(reverse("patient_detail", args=[patient.pk]) + "#plan")
    title = f"Plan for {patient}: {ITEM_LABELS[item]}"
    context = {"form": form, "title": title, "patient": patient, "history": _history(current)}
    return render(request, "tracker/staff/plan_item_form.html", context)


@clinical_required
def reminder_log(request):
    """Reminders and digests sent for the user's clinics, newest first (staff see that the
    jobs ran and to whom). Paginated."""
    clinics = request.user.clinics.all()
    logs = ReminderLog.objects.filter(
        Q(clinic__in=clinics) | Q(patient__in=patients_visible_to(request.user))
    ).select_related("patient", "clinic")
    page = Paginator(logs, PAGE_SIZE).get_page(request.GET.get("page"))
    return render(request, "tracker/staff/reminder_log.html", {"page": page})


def _my_clinic(request, code):
    clinic = request.user.clinics.filter(code=code).first()
    if clinic is None:
        raise Http404("No such clinic.")
    return clinic


@clinical_required
def clinic_plan(request, code):
    """A clinic's defaults: which items it has changed from the spec, for everyone to see."""
    clinic = _my_clinic(request, code)
    changes = {p.item: p for p in PlanItem.objects.filter(clinic=clinic)}
    rows = [{"item": item, "label": ITEM_LABELS[item], "change": changes.get(item)} for item in ITEMS]
    context = {"clinic": clinic, "rows": rows, "can_edit": is_consultant(request.user)}
    return render(request, "tracker/staff/clinic_plan.html", context)


@clinical_required
def clinic_plan_item_edit(request, code, item):
    """A consultant of the clinic changes one of its defaults; other roles get 403."""
    clinic = _my_clinic(request, code)
    if not is_consultant(request.user):
        raise PermissionDenied
    if item not in ITEMS:
        raise Http404("No such schedule item.")
    current = PlanItem.objects.filter(clinic=clinic, item=item).first()
    initial = {"enabled": True}
    if current:
        initial = {"enabled": current.enabled, "interval_months": current.interval_months, "reason": current.reason}
    form = PlanItemForm(request.POST or None, initial=initial)
    if request.method == "POST" and form.is_valid():
        try:
            plan_item_set(actor=request.user, clinic=clinic, item=item, **form.cleaned_data)
        except ValidationError as exc:
            apply_errors(form, exc)
        else:
            messages.success(request, f"{clinic.name} default changed: {ITEM_LABELS[item]}.")
            return redirect("clinic_plan", code=clinic.code)
    title = f"{clinic.name} default: {ITEM_LABELS[item]}"
    return render(
        request, "tracker/staff/plan_item_form.html", {"form": form, "title": title, "history": _history(current)}
    )


def _history(plan: PlanItem | None) -> list:
    """Every version of a plan item with who made it, newest first. One query."""
    return list(plan.history.select_related("history_user").order_by("-history_date")) if plan else []
