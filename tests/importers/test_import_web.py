"""The staff import page: upload, preview of every row, confirm or fix and upload again.

Covers anonymous, wrong role and another user's or clinic's data, as every view test does.
"""

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse

from tests.factories import PatientFactory, UserFactory
from tests.record_kinds import record_model
from tracker.models import ImportRun, Patient
from tracker.roles import PATIENT

LABS = "mrn,collected_on,analyte,value,unit,specimen\n"
GOOD = (
    LABS + "P001,2024-01-10,vegf,1250,pg/mL,serum\nP001,2024-01-10,platelets,300,,\nP002,2024-01-10,platelets,450,,\n"
)
ONE_BAD = GOOD.replace("P002,2024-01-10,platelets,450", "P002,2024-01-10,platelets,4500")


def upload(client, text, kind="labs", name="labs.csv", **extra):
    data = text.encode("utf-8") if isinstance(text, str) else text
    file = SimpleUploadedFile(name, data, content_type="text/csv")
    return client.post(reverse("import_start"), {"kind": kind, "file": file, **extra})


@pytest.fixture
def both(patient, other_patient):
    return patient, other_patient


def test_anonymous_users_are_sent_to_sign_in(client, staff_user):
    run = ImportRun.objects.create(kind="labs", source="web", actor=staff_user, file_name="x.csv", status="previewed")
    for method, url in (
        ("get", reverse("import_start")),
        ("get", reverse("import_run", args=[run.pk])),
        ("post", reverse("import_confirm", args=[run.pk])),
        ("post", reverse("import_discard", args=[run.pk])),
        ("get", reverse("import_template", args=["labs"])),
    ):
        response = getattr(client, method)(url)
        assert response.status_code == 302 and "/accounts/login/" in response["Location"], url
    run.refresh_from_db()
    assert run.status == "previewed"


@pytest.mark.parametrize("role", [PATIENT, None])
def test_patients_and_users_without_a_role_are_refused(client, clinic, role):
    client.force_login(UserFactory(username="someone", role=role))
    assert client.get(reverse("import_start")).status_code == 403
    assert client.get(reverse("import_template", args=["labs"])).status_code == 403


def test_the_page_explains_every_column_and_offers_templates(staff_client):
    page = staff_client.get(reverse("import_start")).content.decode()
    for text in ("onls_arm", "ONLS arm must be between 0 and 5 points", "pet_ct, ct, mri, xray", "Plausible range"):
        assert text in page
    template = staff_client.get(reverse("import_template", args=["visits"]))
    assert template["Content-Type"] == "text/csv; charset=utf-8"
    assert template.content.decode().startswith("mrn,visit_date,onls_arm,onls_leg,incat_arm")
    assert staff_client.get("/imports/template/nonsense.csv").status_code == 404


def test_a_file_with_one_bad_row_is_previewed_with_the_message_beside_it_and_nothing_saved(staff_client, both):
    response = upload(staff_client, ONE_BAD)
    run = ImportRun.objects.get()
    assert response.status_code == 302 and response["Location"] == reverse("import_run", args=[run.pk])
    assert (run.status, run.source, run.error_count, run.created_count, bytes(run.file_bytes)) == (
        "previewed",
        "web",
        1,
        2,
        ONE_BAD.encode(),
    )
    assert record_model("lab").objects.count() == 0 and record_model("lab").history.count() == 0
    page = staff_client.get(response["Location"]).content.decode()
    assert "Nothing has been saved yet" in page and "Confirm and save" not in page
    row3 = page[page.index('id="row-3"') : page.index("</tr>", page.index('id="row-3"'))]
    assert (
        "✖ error" in row3
        and "value: 4,500 ×10⁹/L is outside the plausible range for Platelets: 0 to 3,000 ×10⁹/L" in row3
    )
    row1 = page[page.index('id="row-1"') : page.index("</tr>", page.index('id="row-1"'))]
    assert "✚ created" in row1 and "1250" in row1
    assert "Upload the corrected file" in page


def test_a_clean_file_is_saved_only_on_confirmation(staff_client, both):
    run_url = upload(staff_client, GOOD)["Location"]
    run = ImportRun.objects.get()
    assert record_model("lab").objects.count() == 0
    assert "Confirm and save" in staff_client.get(run_url).content.decode()
    response = staff_client.post(reverse("import_confirm", args=[run.pk]), follow=True)
    assert "Saved 3 rows in one transaction: imported: 3 created, 0 unchanged, 0 updated" in response.content.decode()
    run.refresh_from_db()
    assert (run.status, run.file_bytes, run.dry_run, run.created_count) == ("imported", None, False, 3)
    assert run.confirmed_at is not None
    assert record_model("lab").objects.count() == 3
    assert record_model("lab").history.filter(history_user__username="nurse").count() == 3
    assert record_model("flag").objects.filter(patient__mrn="P001", rule="R13").count() == 0
    again = staff_client.post(reverse("import_confirm", args=[run.pk]))
    assert again.status_code == 302 and record_model("lab").objects.count() == 3


def test_the_same_file_again_previews_as_unchanged(staff_client, both):
    upload(staff_client, GOOD)
    staff_client.post(reverse("import_confirm", args=[ImportRun.objects.get().pk]))
    upload(staff_client, GOOD)
    run = ImportRun.objects.latest("id")
    assert (run.created_count, run.unchanged_count, run.outcomes) == (0, 3, "uuu")


def test_confirmation_rechecks_and_saves_nothing_when_the_record_changed_meanwhile(staff_client, both, staff_user):
    upload(staff_client, GOOD)
    run = ImportRun.objects.get()
    from tracker.services.labs import lab_result_record

    lab_result_record(patient=both[1], actor=staff_user, analyte="platelets", collected_on="2024-01-10", value="400")
    page = staff_client.post(reverse("import_confirm", args=[run.pk]), follow=True).content.decode()
    assert "nothing was saved" in page and "already recorded as" in page
    assert record_model("lab").objects.count() == 1
    run.refresh_from_db()
    assert run.status == "previewed" and run.error_count == 1 and run.file_bytes is not None


def test_update_existing_is_offered_on_the_form(staff_client, both, staff_user):
    from tracker.services.labs import lab_result_record

    lab_result_record(patient=both[1], actor=staff_user, analyte="platelets", collected_on="2024-01-10", value="400")
    upload(staff_client, GOOD, update_existing="on")
    run = ImportRun.objects.get()
    assert (run.update_existing, run.updated_count, run.error_count) == (True, 1, 0)
    staff_client.post(reverse("import_confirm", args=[run.pk]))
    assert record_model("lab").objects.get(patient=both[1]).value_canonical == 450


def test_another_users_run_is_not_found(client, staff_client, both, consultant_user):
    upload(staff_client, GOOD)
    run = ImportRun.objects.get()
    client.force_login(consultant_user)
    assert client.get(reverse("import_run", args=[run.pk])).status_code == 404
    assert client.post(reverse("import_confirm", args=[run.pk])).status_code == 404
    assert client.post(reverse("import_discard", args=[run.pk])).status_code == 404
    assert record_model("lab").objects.count() == 0


def test_patients_of_a_clinic_the_user_does_not_belong_to_are_unknown(client, both, outsider_staff):
    client.force_login(outsider_staff)
    upload(client, GOOD)
    run = ImportRun.objects.get()
    assert run.error_count == 3
    assert run.errors[0] == [
        1,
        "mrn",
        "unknown mrn 'P001'; register the patient first (no patient is ever created implicitly)",
    ]


def test_patients_are_registered_only_into_the_users_clinics(consultant_client, clinic, other_clinic):
    header = "mrn,given_name,family_name,birth_date,sex,clinic\n"
    upload(
        consultant_client,
        header + "IMP-101,Ann,Example,1970-01-01,female,\nIMP-102,Bo,Example,1971-01-01,male,south\n",
        kind="patients",
    )
    run = ImportRun.objects.get()
    assert run.errors == [[2, "clinic", "unknown clinic 'south'; allowed: north"]]
    upload(consultant_client, header + "IMP-101,Ann,Example,1970-01-01,female,\n", kind="patients")
    consultant_client.post(reverse("import_confirm", args=[ImportRun.objects.latest("id").pk]))
    assert Patient.objects.get(mrn="IMP-101").clinic == clinic


def test_an_mrn_of_another_clinic_is_a_new_patient_here_and_never_revealed(consultant_client, clinic, other_clinic):
    """A hospital number belongs to its hospital: the same MRN in another clinic is another
    patient, and nothing in the answer says the number exists elsewhere."""
    theirs = PatientFactory(clinic=other_clinic, mrn="IMP-200")
    upload(
        consultant_client, "mrn,given_name,family_name,birth_date,sex\nIMP-200,A,B,1970-01-01,male\n", kind="patients"
    )
    run = ImportRun.objects.get()
    assert run.errors == []
    consultant_client.post(reverse("import_confirm", args=[run.pk]))
    ours = Patient.objects.get(mrn="IMP-200", clinic=clinic)
    assert ours.pk != theirs.pk
    theirs.refresh_from_db()
    assert (theirs.given_name, theirs.clinic) != ("A", clinic)


def test_a_file_over_the_limit_is_refused_by_the_form(staff_client, both, settings):
    settings.IMPORT_MAX_BYTES = 100
    response = upload(staff_client, GOOD)
    assert response.status_code == 200
    assert "over the limit of 100 bytes" in response.content.decode()
    assert ImportRun.objects.count() == 0


def test_a_file_that_is_not_utf8_is_explained(staff_client, both):
    upload(staff_client, (LABS + "P001,2024-01-10,vegf,1250,pg/mL,s\xe9rum\n").encode("latin-1"))
    page = staff_client.get(reverse("import_run", args=[ImportRun.objects.get().pk])).content.decode()
    assert "Problems with the file" in page and "not UTF-8 text" in page


def test_discarding_and_a_new_upload_drop_the_stored_file(staff_client, both):
    upload(staff_client, GOOD)
    first = ImportRun.objects.get()
    upload(staff_client, GOOD)
    first.refresh_from_db()
    assert (first.status, first.file_bytes) == ("discarded", None)
    second = ImportRun.objects.latest("id")
    staff_client.post(reverse("import_discard", args=[second.pk]))
    second.refresh_from_db()
    assert (second.status, second.file_bytes) == ("discarded", None)
    assert staff_client.post(reverse("import_confirm", args=[second.pk])).status_code == 302
    assert record_model("lab").objects.count() == 0


def test_only_rows_with_problems_can_be_listed(staff_client, both):
    upload(staff_client, ONE_BAD)
    url = reverse("import_run", args=[ImportRun.objects.get().pk])
    page = staff_client.get(url + "?show=errors").content.decode()
    assert 'id="row-3"' in page and 'id="row-1"' not in page


def test_confirm_and_discard_take_post_only(staff_client, both):
    upload(staff_client, GOOD)
    run = ImportRun.objects.get()
    assert staff_client.get(reverse("import_confirm", args=[run.pk])).status_code == 405
    assert staff_client.get(reverse("import_discard", args=[run.pk])).status_code == 405


def test_a_user_of_two_clinics_names_the_clinic_of_a_new_patient_only(client, clinic, other_clinic, patient):
    user = UserFactory(username="roaming", role="staff", clinics=[clinic, other_clinic])
    client.force_login(user)
    header = "mrn,given_name,family_name,birth_date,sex,clinic\n"
    upload(
        client, header + "IMP-300,Cy,Example,1970-01-01,male,\nP001,Ada,Example,1970-05-17,female,\n", kind="patients"
    )
    run = ImportRun.objects.get()
    assert run.errors == [[1, "clinic", "name the clinic; yours: north, south"]]
    assert run.outcomes == "eu"  # the registered patient keeps her clinic


def test_the_upload_is_still_protected_against_cross_site_requests(staff_user, both):
    from django.test import Client

    client = Client(enforce_csrf_checks=True)
    client.force_login(staff_user)
    assert upload(client, GOOD).status_code == 403
    assert ImportRun.objects.count() == 0
