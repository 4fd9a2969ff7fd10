"""What axe cannot see on its own: the page title says "Error:" and names the patient, the
error summary links to each field with an error, each error sits next to its field and is
what the field's aria-describedby points at, the nerve conduction grid names every control,
and the navbar marks the current page (docs/ACCESSIBILITY.md)."""

import re
from html.parser import HTMLParser

import pytest
from django.urls import reverse

from tests.factories import LabResultFactory, NerveConductionStudyFactory


class _Ids(HTMLParser):
    """Every element id on the page, every id an aria attribute refers to, and labels."""

    def __init__(self):
        super().__init__()
        self.ids: set[str] = set()
        self.refs: list[tuple[str, str, str]] = []  # (attribute, element id, referenced id)
        self.labels: dict[str, str] = {}
        self._label_for: str | None = None
        self._label_text: list[str] = []

    def handle_starttag(self, tag, attrs):
        attrs = dict(attrs)
        if attrs.get("id"):
            self.ids.add(attrs["id"])
        for name in ("aria-describedby", "aria-labelledby", "aria-controls"):
            for ref in (attrs.get(name) or "").split():
                self.refs.append((name, attrs.get("id", tag), ref))
        if tag == "label" and attrs.get("for"):
            self._label_for, self._label_text = attrs["for"], []

    def handle_data(self, data):
        if self._label_for:
            self._label_text.append(data)

    def handle_endtag(self, tag):
        if tag == "label" and self._label_for:
            self.labels[self._label_for] = " ".join("".join(self._label_text).split())
            self._label_for = None


def parsed(response) -> _Ids:
    parser = _Ids()
    parser.feed(response.content.decode())
    return parser


def title(response) -> str:
    return re.search(r"<title>(.*?)</title>", response.content.decode(), re.S).group(1)


def assert_every_aria_reference_exists(response):
    page = parsed(response)
    missing = [ref for ref in page.refs if ref[2] not in page.ids]
    assert missing == [], f"aria references to ids that are not on the page: {missing}"


def test_a_form_with_errors_says_error_in_the_title_and_sums_up_the_errors(staff_client, patient):
    url = reverse("record_create", args=[patient.pk, "visit"])
    assert title(staff_client.get(url)).startswith("Add a visit")
    response = staff_client.post(url, {"visit_date": "", "onls_arm": "9", "onls_leg": "1"})
    assert response.status_code == 200
    assert title(response).startswith("Error: Add a visit")
    html = response.content.decode()
    summary = html[html.index("data-error-summary") :]
    summary = summary[: summary.index("</div>")]
    assert re.search(
        r'<div class="alert alert-danger" role="alert"[^>]*tabindex="-1" autofocus data-error-summary>', html
    )
    # Each field with an error is linked from the summary, in the form's order.
    links = re.findall(r'<a href="#(id_[a-z_]+)">([^<]*)</a>', summary)
    assert [anchor for anchor, _ in links] == ["id_visit_date", "id_onls_arm"]
    assert "Visit date: This field is required." in links[0][1]
    assert "ONLS arm must be between 0 and 5 points." in links[1][1]
    # ... and each error sits beside its own field, which points at it.
    page = parsed(response)
    assert {"id_visit_date_error", "id_onls_arm_error"} <= page.ids
    assert re.search(r'<input[^>]*aria-describedby="[^"]*id_onls_arm_error[^"]*"[^>]*id="id_onls_arm"', html)
    assert_every_aria_reference_exists(response)


def test_a_failed_sign_in_says_error_in_the_title(client, staff_user):
    response = client.post(reverse("login"), {"username": "nurse", "password": "wrong"})
    assert title(response).startswith("Error: Sign in")
    assert "data-error-summary" in response.content.decode()
    assert title(client.get(reverse("login"))).startswith("Sign in")


def test_the_nerve_conduction_grid_names_every_control_with_row_and_unit(staff_client, patient):
    response = staff_client.get(reverse("ncs_create", args=[patient.pk]))
    labels = parsed(response).labels
    assert labels["id_row-0-cmap_amp_mv"] == "Row 1 CMAP amplitude (mV)"
    assert labels["id_row-0-kind"] == "Row 1 Kind"
    assert labels["id_row-7-snap_amp_uv"] == "Row 8 SNAP amplitude (µV)"
    grid_ids = [i for i in parsed(response).ids if i.startswith("id_row-") and not i.endswith(("TOTAL_FORMS", "FORMS"))]
    assert len(grid_ids) == 80
    assert all(i in labels for i in grid_ids)
    assert_every_aria_reference_exists(response)


def test_a_grid_row_error_sits_in_its_cell_and_is_linked_from_the_summary(staff_client, patient):
    url = reverse("ncs_create", args=[patient.pk])
    data = {"study_date": "2025-03-01", "row-TOTAL_FORMS": "8", "row-INITIAL_FORMS": "0"}
    data |= {"row-0-kind": "motor", "row-0-nerve": "median", "row-0-side": "left", "row-0-cmap_amp_mv": "99"}
    response = staff_client.post(url, data)
    html = response.content.decode()
    assert title(response).startswith("Error: Add a nerve conduction study")
    assert '<a href="#id_row-0-cmap_amp_mv">Row 1 CMAP amplitude (mV): ' in html
    assert 'id="id_row-0-cmap_amp_mv_error"' in html
    data |= {"row-0-cmap_amp_mv": "5", "row-1-cmap_amp_mv": "5"}  # a row without kind, nerve and side
    html = staff_client.post(url, data).content.decode()
    assert '<a href="#id_row-1-kind">Row 2: Each row needs kind, nerve and side.</a>' in html
    assert_every_aria_reference_exists(response)


@pytest.mark.parametrize(
    "page",
    ["patient_detail", "patient_edit", "patient_summary", "lab_create", "ncs_create", "checklist_edit", "history"],
)
def test_every_patient_page_names_the_patient_and_mrn_in_its_title(staff_client, patient, page):
    if page == "history":
        url = reverse("record_history", args=["lab", LabResultFactory(patient=patient).pk])
    else:
        url = reverse(page, args=[patient.pk])
    response = staff_client.get(url)
    assert response.status_code == 200
    assert title(response).endswith("· Ada Example (P001) · POEMS Tracker"), title(response)


def test_the_patients_own_portal_page_does_not_repeat_their_name_in_the_title(client, patient_user):
    client.force_login(patient_user)
    assert "P001" not in title(client.get(reverse("portal_home")))


def test_the_navbar_marks_the_current_page_and_section(staff_client, patient):
    worklist = staff_client.get(reverse("worklist")).content.decode()
    assert re.search(r'<a class="nav-link active" aria-current="page" href="/worklist/">Worklist</a>', worklist)
    assert worklist.count("aria-current") == 1
    record = staff_client.get(reverse("patient_detail", args=[patient.pk])).content.decode()
    assert re.search(r'aria-current="true" href="/patients/">Patients</a>', record)
    assert 'aria-current="page" href="/worklist/"' not in record


def test_every_aria_reference_exists_on_the_record_forms(staff_client, patient):
    NerveConductionStudyFactory(patient=patient)
    for url in (
        reverse("lab_create", args=[patient.pk]),
        reverse("lab_panel_create", args=[patient.pk, "fbc"]),
        reverse("patient_create"),
        reverse("record_create", args=[patient.pk, "treatment"]),
    ):
        assert_every_aria_reference_exists(staff_client.get(url))
        assert_every_aria_reference_exists(staff_client.post(url, {"lab": ""}))
