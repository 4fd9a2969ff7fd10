"""axe-core (WCAG 2.0/2.1 A and AA rules) on every page each role reaches, and on the error
state of every form: zero violations, no rule switched off. Each page is also measured for
horizontal overflow (tests/browser/widths.py): staff pages at 1366 and 390 px, the others at 390.

One synthetic demo clinic (every record kind, flags, a portal account) is built once; each role
signs in once and keeps its browser page. Staff, consultants and the clinic manager are checked
at desktop width, the patient and signed-out pages on a 390 px wide phone. Each page is a
subtest named by role and page, so a failure names the page, the rule and each element.
"""

import datetime
import os
from dataclasses import dataclass

import pytest
from axe_playwright_python.sync_playwright import Axe
from django.contrib.auth.tokens import default_token_generator
from django.utils.encoding import force_bytes
from django.utils.http import urlsafe_base64_encode
from django_otp.plugins.otp_totp.models import TOTPDevice

from tests.browser.conftest import screenshot
from tests.browser.widths import width_problems
from tests.factories import PASSWORD, EngraftmentSyndromeFactory, UserFactory
from tests.record_kinds import record_model
from tracker.accounts import clinic_admin
from tracker.demo import DEMO_PATIENT_MRN, seed_demo
from tracker.models import Clinic, Patient
from tracker.record_types import RECORD_TYPES
from tracker.roles import CONSULTANT, PATIENT, STAFF
from tracker.services.portal.tokens import invite_token_generator

VERIFIER = "verifier"  # a staff member with an authenticator app, between the two steps of sign-in
WCAG_TAGS = ["wcag2a", "wcag2aa", "wcag21a", "wcag21aa"]
AXE_OPTIONS = {"runOnly": {"type": "tag", "values": WCAG_TAGS}, "resultTypes": ["violations"]}
DESKTOP = {"width": 1366, "height": 900}
PHONE = {"width": 390, "height": 844}
# Labs and nerve studies are corrected by entering them in error and adding them again.
EDIT_KINDS = [rt.kind for rt in RECORD_TYPES if rt.entry and rt.form is not None]
HISTORY_KINDS = [rt.kind for rt in RECORD_TYPES if rt.history]
# Form kinds on the generic add page (labs and nerve studies have pages of their own).
GENERIC_ADD_KINDS = EDIT_KINDS
# Screenshots of every page (test-artifacts/screenshots/a11y-*.png) for people to look at;
# off by default to keep the sweep quick.
SCREENSHOTS_WANTED = os.environ.get("POEMS_A11Y_SCREENSHOTS") == "1"
# axe checks that an aria-describedby names at least one element; every id must exist.
DANGLING_REFERENCES = """() => {
    const missing = [];
    for (const attr of ["aria-describedby", "aria-labelledby", "aria-controls"]) {
        for (const el of document.querySelectorAll(`[${attr}]`)) {
            for (const id of el.getAttribute(attr).split(/\\s+/).filter(Boolean)) {
                if (!document.getElementById(id)) missing.push(`${el.id || el.tagName} ${attr}=${id}`);
            }
        }
    }
    return missing;
}"""
BAD_LAB_CSV = (
    "mrn,collected_on,analyte,value,unit,specimen,lab,confounders\n"
    f"{DEMO_PATIENT_MRN},2025-01-10,vegf,4200,pg/mL,serum,City lab,\n"
    f"{DEMO_PATIENT_MRN},2025-01-10,hemoglobin,135,g/dL,,City lab,\n"
)


@dataclass(frozen=True)
class Shape:
    """One page shape: who sees it, where it is, and how it is brought to its error state."""

    role: str
    name: str
    path: str  # a key of the module's `urls`, or a literal path
    # "empty": clear the form's fields and submit; "as-is": submit unchanged; "invalid": type a
    # number out of every number field's range and submit (forms whose fields may all be blank);
    # "post": submit unchanged to reach the page it leads to; "upload": a CSV with a bad row
    submit: str = ""
    form: str = "main form[method=post]"

    @property
    def id(self) -> str:
        return f"{self.role}-{self.name}"


def _pages() -> list[Shape]:
    staff = [
        Shape(STAFF, "worklist", "/worklist/"),
        Shape(STAFF, "patients", "/patients/"),
        Shape(STAFF, "patients-search", "/patients/?q=Example"),
        Shape(STAFF, "patients-search-none", "/patients/?q=zzzz-no-such"),
        Shape(STAFF, "patient-new", "/patients/new/"),
        Shape(STAFF, "patient-new-errors", "/patients/new/", submit="empty"),
        Shape(STAFF, "patient", "patient"),
        Shape(STAFF, "patient-edit", "patient_edit"),
        Shape(STAFF, "patient-edit-errors", "patient_edit", submit="empty"),
        Shape(STAFF, "checklist-edit", "checklist_edit"),
        Shape(STAFF, "summary", "summary"),
        Shape(STAFF, "lab-new", "lab_new"),
        Shape(STAFF, "lab-new-errors", "lab_new", submit="empty"),
        Shape(STAFF, "lab-panel-fbc", "panel_fbc"),
        Shape(STAFF, "lab-panel-fbc-errors", "panel_fbc", submit="empty"),
        Shape(STAFF, "lab-panel-vegf", "panel_vegf"),
        Shape(STAFF, "ncs-new", "ncs_new"),
        Shape(STAFF, "ncs-new-errors", "ncs_new", submit="empty"),
        Shape(STAFF, "engraftment-edit", "engraftment"),
        Shape(STAFF, "entered-in-error", "error_lab"),
        Shape(STAFF, "entered-in-error-errors", "error_lab", submit="empty"),
        Shape(STAFF, "flag", "flag"),
        Shape(STAFF, "jobs", "/jobs/"),
        Shape(STAFF, "import", "/imports/"),
        Shape(STAFF, "import-errors", "/imports/", submit="as-is"),
        Shape(STAFF, "import-preview", "/imports/", submit="upload"),
        Shape(STAFF, "fhir-import", "/imports/fhir/"),
        Shape(STAFF, "fhir-import-errors", "/imports/fhir/", submit="as-is"),
        Shape(STAFF, "due", "/due/"),
        Shape(STAFF, "due-reminders", "/due/reminders/"),
        Shape(STAFF, "due-calendar", "/due/calendar/"),
        Shape(STAFF, "clinic-plan", "clinic_plan"),
        Shape(STAFF, "plan-item-refused", "plan_item"),
        Shape(STAFF, "two-step-setup", "/accounts/two-factor/setup/"),
        Shape(STAFF, "two-step-setup-errors", "/accounts/two-factor/setup/", submit="empty"),
        Shape(STAFF, "not-found", "/patients/999999/"),
    ]
    for kind in GENERIC_ADD_KINDS:
        staff.append(Shape(STAFF, f"{kind}-new", f"new_{kind}"))
        staff.append(Shape(STAFF, f"{kind}-new-errors", f"new_{kind}", submit="empty"))
    for kind in EDIT_KINDS:
        staff.append(Shape(STAFF, f"{kind}-edit", f"edit_{kind}"))
        staff.append(Shape(STAFF, f"{kind}-edit-errors", f"edit_{kind}", submit="empty"))
    for kind in HISTORY_KINDS:
        staff.append(Shape(STAFF, f"{kind}-history", f"history_{kind}"))
    consultant = [
        Shape(CONSULTANT, "worklist", "/worklist/"),
        Shape(CONSULTANT, "patient", "patient"),
        Shape(CONSULTANT, "flag", "flag"),
        Shape(CONSULTANT, "cohort", "/cohort/"),
        Shape(CONSULTANT, "plan-item", "plan_item"),
        Shape(CONSULTANT, "plan-item-errors", "plan_item", submit="invalid"),
        Shape(CONSULTANT, "clinic-plan-item", "clinic_plan_item"),
        Shape(CONSULTANT, "clinic-plan-item-errors", "clinic_plan_item", submit="invalid"),
        Shape(CONSULTANT, "exports", "/exports/"),
        Shape(CONSULTANT, "exports-errors", "/exports/", submit="empty", form="main form[action$='/exports/start/']"),
        Shape(
            CONSULTANT, "portal-link-issued", "invitee", submit="post", form="main form[action$='/portal/new-link/']"
        ),
        Shape(CONSULTANT, "manage", "/manage/"),
        Shape(
            CONSULTANT, "manage-clinic-errors", "/manage/", submit="empty", form="main form[action$='/clinics/new/']"
        ),
        Shape(
            CONSULTANT, "manage-invite-errors", "/manage/", submit="empty", form="main form[action$='/invites/new/']"
        ),
    ]
    # Staff with an authenticator app land on the second step of sign-in.
    verifier = [
        Shape(VERIFIER, "two-step-verify", "/accounts/two-factor/"),
        Shape(VERIFIER, "two-step-verify-errors", "/accounts/two-factor/", submit="empty"),
    ]
    patient = [
        Shape(PATIENT, "home", "/me/"),
        Shape(PATIENT, "report", "/me/report/"),
        Shape(PATIENT, "report-errors", "/me/report/", submit="as-is"),
    ]
    anonymous = [
        Shape("anonymous", "sign-in", "/accounts/login/"),
        Shape("anonymous", "sign-in-failed", "/accounts/login/", submit="wrong-password"),
        Shape("anonymous", "password-reset", "/accounts/password-reset/"),
        Shape("anonymous", "password-reset-errors", "/accounts/password-reset/", submit="empty"),
        Shape("anonymous", "password-reset-sent", "/accounts/password-reset/sent/"),
        Shape("anonymous", "set-password", "set_password"),
        Shape("anonymous", "set-password-errors", "set_password", submit="empty"),
        Shape("anonymous", "password-reset-confirm", "password_reset_confirm"),
        Shape("anonymous", "password-reset-confirm-errors", "password_reset_confirm", submit="empty"),
        Shape("anonymous", "staff-invite", "staff_invite"),
        Shape("anonymous", "staff-invite-errors", "staff_invite", submit="empty"),
    ]
    return staff + consultant + verifier + patient + anonymous


PAGES = _pages()


def _build_site() -> dict:
    """The demo clinic (every record kind, flags, a patient with a portal account) and the
    people who sign in; returns the paths of the pages that name a record."""
    seed_demo(today=datetime.date.today(), count=2)
    clinic = Clinic.objects.get()
    UserFactory(username="a11y-staff", role=STAFF, clinics=[clinic])
    consultant = UserFactory(username="a11y-consultant", role=CONSULTANT, clinics=[clinic])
    clinic_admin.manager_grant(user=consultant, clinics=[clinic])
    verifier = UserFactory(username=f"a11y-{VERIFIER}", role=STAFF, clinics=[clinic])
    TOTPDevice.objects.create(user=verifier, name="phone", confirmed=True)
    patient = Patient.objects.get(mrn=DEMO_PATIENT_MRN)
    patient.user = UserFactory(username="a11y-patient", role=PATIENT)
    patient.save()
    invitee = Patient.objects.exclude(pk=patient.pk).first()
    invitee.user = UserFactory(username="a11y-invitee", role=PATIENT, email="invitee@example.org")
    invitee.save()
    _, invite_token = clinic_admin.staff_invite_create(
        manager=consultant, clinic=clinic, email="new.nurse@example.org", role=STAFF
    )
    pk = patient.pk
    asct = record_model("treatment").objects.filter(category="asct").first()
    uid = urlsafe_base64_encode(force_bytes(invitee.user.pk))
    urls = {
        "patient": f"/patients/{pk}/",
        "invitee": f"/patients/{invitee.pk}/",
        "patient_edit": f"/patients/{pk}/edit/",
        "checklist_edit": f"/patients/{pk}/checklist/",
        "summary": f"/patients/{pk}/summary/",
        "lab_new": f"/patients/{pk}/labs/new/",
        "panel_fbc": f"/patients/{pk}/labs/panel/fbc/",
        "panel_vegf": f"/patients/{pk}/labs/panel/vegf/",
        "ncs_new": f"/patients/{pk}/ncs/new/",
        "engraftment": f"/treatments/{asct.pk}/engraftment/",
        "flag": f"/flags/{record_model('flag').objects.filter(patient=patient).first().pk}/",
        "error_lab": f"/records/lab/{record_model('lab').objects.filter(patient=patient).first().pk}/entered-in-error/",
        "clinic_plan": f"/due/clinic/{clinic.code}/",
        "clinic_plan_item": f"/due/clinic/{clinic.code}/vegf/",
        "plan_item": f"/patients/{pk}/plan/vegf/",
        "set_password": f"/accounts/set-password/{uid}/{invite_token_generator.make_token(invitee.user)}/",
        "password_reset_confirm": f"/accounts/password-reset/{uid}/{default_token_generator.make_token(invitee.user)}/",
        "staff_invite": f"/accounts/invite/{invite_token}/",
    }
    for kind in GENERIC_ADD_KINDS:
        urls[f"new_{kind}"] = f"/patients/{pk}/{kind}/new/"
    for rt in RECORD_TYPES:
        if rt.kind == "patient":
            record = patient
        elif rt.kind == "engraftment":
            record = rt.model.objects.filter(treatment=asct).first() or EngraftmentSyndromeFactory(treatment=asct)
        elif rt.kind == "ncsresult":
            continue
        else:
            record = rt.model.objects.filter(patient=patient).first()
        assert record is not None, f"the demo patient has no {rt.noun}"
        if rt.entry:
            urls[f"edit_{rt.kind}"] = f"/records/{rt.kind}/{record.pk}/edit/"
        if rt.history:
            urls[f"history_{rt.kind}"] = f"/records/{rt.kind}/{record.pk}/history/"
    return urls


ROLES = [STAFF, CONSULTANT, VERIFIER, PATIENT, "anonymous"]


def _open_page(browser, base_url: str, role: str):
    viewport = PHONE if role in (PATIENT, "anonymous") else DESKTOP
    context = browser.new_context(viewport=viewport, base_url=base_url)
    page = context.new_page()
    page.set_default_timeout(15_000)
    if role != "anonymous":
        page.goto("/accounts/login/")
        page.get_by_label("Username").fill(f"a11y-{role}")
        page.get_by_label("Password").fill(PASSWORD)
        page.get_by_role("button", name="Sign in").click()
        page.wait_for_load_state("load")
        assert "/accounts/login/" not in page.url, f"{role} could not sign in"
    return context, page


def _bring_to_error_state(page, shape: Shape) -> None:
    if shape.submit == "wrong-password":
        page.get_by_label("Username").fill("a11y-nobody")
        page.get_by_label("Password").fill("not-the-password")
        with page.expect_navigation():
            page.get_by_role("button", name="Sign in").click()
        return
    if shape.submit == "upload":  # a lab CSV with one implausible row: the preview shows it
        page.get_by_label("What the file holds").select_option("labs")
        page.get_by_label("CSV file").set_input_files(
            {"name": "labs.csv", "mimeType": "text/csv", "buffer": BAD_LAB_CSV.encode()}
        )
        with page.expect_navigation():
            page.get_by_role("button", name="Check the file").click()
        return
    form = page.locator(shape.form).first
    assert form.count() == 1, f"{shape.id}: no form {shape.form!r} on {page.url}"
    with page.expect_navigation():
        form.evaluate(
            """(form, mode) => {
                form.noValidate = true;
                if (mode === "invalid") {
                    for (const el of form.querySelectorAll('input[type=number]')) el.value = '-999';
                }
                if (mode === "empty") {
                    for (const el of form.querySelectorAll('input, textarea, select')) {
                        if (['hidden', 'submit', 'button', 'checkbox', 'radio', 'file'].includes(el.type)) continue;
                        if (el.tagName === 'SELECT') { el.selectedIndex = el.multiple ? -1 : 0; } else { el.value = ''; }
                    }
                }
                form.requestSubmit();
            }""",
            shape.submit,
        )
    page.wait_for_load_state("load")


def _report(violations: list[dict]) -> str:
    """Each violated rule, then each element: its selector and what axe says is wrong."""
    lines = []
    for rule in violations:
        lines.append(f"{rule['id']} ({rule['impact']}, {len(rule['nodes'])} elements): {rule['help']}")
        for node in rule["nodes"]:
            checks = node.get("any", []) + node.get("all", []) + node.get("none", [])
            message = checks[0]["message"] if checks else ""
            lines.append(f"  {', '.join(map(str, node['target']))}: {message}")
    return "\n".join(lines)


def _check(page, shape: Shape, urls: dict) -> None:
    path = shape.path if shape.path.startswith("/") else urls[shape.path]
    page.goto(path)
    page.wait_for_load_state("load")
    if shape.submit and shape.submit not in ("upload", "post"):
        _bring_to_error_state(page, shape)
        shown = page.locator("[data-error-summary], .alert-danger, .invalid-feedback, .field-error, .error-summary")
        assert shown.count() > 0, f"{shape.id}: the submitted form shows no error ({page.url})"
    elif shape.submit:
        _bring_to_error_state(page, shape)
    if SCREENSHOTS_WANTED:
        screenshot(page, f"a11y-{shape.id}")
    dangling = page.evaluate(DANGLING_REFERENCES)
    assert dangling == [], f"{shape.id}: aria attributes name ids that are not on the page: {dangling}"
    violations = Axe().run(page, options=AXE_OPTIONS).response["violations"]
    assert not violations, f"{shape.id} ({page.url}):\n{_report(violations)}"
    # Nothing runs off the side: staff pages at laptop and phone width, the others on the phone.
    problems = width_problems(page, shape.id, phone_too=shape.role not in (PATIENT, "anonymous"))
    assert not problems, "\n".join(problems)


@pytest.mark.slow
def test_every_page_of_every_role_has_no_wcag_violations(browser, live_server, transactional_db, subtests):
    """Each page and error state is a subtest named `<role>-<page>`, so a failure names it.
    One test, so the demo clinic is built once; each role signs in once."""
    urls = _build_site()
    for role in ROLES:
        context, page = _open_page(browser, live_server.url, role)
        try:
            for shape in (shape for shape in PAGES if shape.role == role):
                with subtests.test(msg=shape.id):
                    _check(page, shape, urls)
        finally:
            context.close()
