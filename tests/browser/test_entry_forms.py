"""Entry forms with script: the lab result's unit list follows the analyte and specimen chosen,
and the treatment form hides the sections of other categories. Without script every field shows
and the server still checks each one."""

from tests.browser.conftest import screenshot, sign_in
from tests.factories import PASSWORD, TreatmentFactory
from tests.record_kinds import record_model

SECTIONS = {"dosing": "Dosing (drug treatments)", "radiotherapy": "Radiotherapy only", "asct": "ASCT only"}


def unit_options(page) -> list[str]:
    return page.get_by_label("Unit", exact=True).locator("option").all_inner_texts()


def test_the_unit_list_offers_only_the_units_the_analyte_accepts(page, staff_user, patient, transactional_db):
    sign_in(page, staff_user.username, PASSWORD)
    page.goto(f"/patients/{patient.pk}/labs/new/")
    unit = page.get_by_label("Unit", exact=True)
    analyte = page.get_by_label("Analyte")

    analyte.select_option("creatinine")
    assert unit_options(page) == ["µmol/L", "mg/dL"]
    assert unit.input_value() == "umol/L"  # the usual unit is chosen
    analyte.select_option("m_protein")
    page.get_by_label("Specimen").select_option("urine_24h")
    assert unit_options(page) == ["mg/24h", "g/24h"]
    page.get_by_label("Specimen").select_option("serum")
    assert unit_options(page) == ["g/dL", "g/L"]
    unit.select_option("g/L")
    analyte.select_option("albumin")  # g/L is accepted for albumin too: it stays chosen
    assert (unit_options(page), unit.input_value()) == (["g/L", "g/dL"], "g/L")
    analyte.select_option("ife")
    assert unit_options(page) == ["No unit (a category)"]

    analyte.select_option("creatinine")
    page.get_by_label("Specimen").select_option("")
    unit.select_option("mg/dL")
    page.get_by_label("Collected on").fill("2025-06-02")
    page.get_by_label("Value").fill("1.2")
    screenshot(page, "lab-result-unit-list")
    page.get_by_role("button", name="Save").click()
    page.wait_for_url(f"**/patients/{patient.pk}/#labs")
    stored = record_model("lab").objects.get(patient=patient)
    assert (stored.analyte, stored.unit_as_entered, round(stored.value_canonical)) == ("creatinine", "mg/dL", 106)


def shown_sections(page) -> set[str]:
    return {key for key, legend in SECTIONS.items() if page.locator("fieldset", has_text=legend).first.is_visible()}


def test_treatment_sections_of_other_categories_are_hidden(page, staff_user, patient, transactional_db):
    sign_in(page, staff_user.username, PASSWORD)
    page.goto(f"/patients/{patient.pk}/treatment/new/")
    category = page.get_by_label("Category")
    assert shown_sections(page) == set()  # no category yet
    category.select_option("radiotherapy")
    assert shown_sections(page) == {"radiotherapy"}
    category.select_option("asct")
    assert shown_sections(page) == {"asct"}
    category.select_option("corticosteroid")
    assert shown_sections(page) == {"dosing"}
    page.get_by_label("Dose", exact=True).fill("40")
    category.select_option("radiotherapy")  # a section holding a value is never hidden
    assert shown_sections(page) == {"dosing", "radiotherapy"}
    page.get_by_label("Dose", exact=True).fill("")
    category.select_option("systemic_anti_plasma_cell")
    assert shown_sections(page) == {"dosing"}
    screenshot(page, "treatment-form-systemic")

    page.get_by_label("Regimen").fill("Rd")
    page.get_by_label("Intent").select_option("frontline")
    page.get_by_label("Start date").fill("2025-03-01")
    page.get_by_label("Dose", exact=True).fill("25")
    page.get_by_role("button", name="Save").click()
    page.wait_for_url(f"**/patients/{patient.pk}/**")
    stored = record_model("treatment").objects.get(patient=patient)
    assert (stored.category, stored.regimen, stored.dose) == ("systemic_anti_plasma_cell", "Rd", 25)

    asct = TreatmentFactory(patient=patient, category="asct", regimen="HDM-ASCT", melphalan_mg_m2=200)
    page.goto(f"/records/treatment/{asct.pk}/edit/")
    assert shown_sections(page) == {"asct"}


def test_without_script_every_section_shows_and_the_server_still_checks(
    browser, live_server, staff_user, patient, transactional_db
):
    context = browser.new_context(
        viewport={"width": 1366, "height": 900}, base_url=live_server.url, java_script_enabled=False
    )
    page = context.new_page()
    page.set_default_timeout(10_000)
    try:
        sign_in(page, staff_user.username, PASSWORD)
        page.goto(f"/patients/{patient.pk}/treatment/new/")
        assert shown_sections(page) == set(SECTIONS)
        page.get_by_label("Category").select_option("systemic_anti_plasma_cell")
        page.get_by_label("Intent").select_option("frontline")
        page.get_by_label("Start date").fill("2025-03-01")
        page.get_by_label("Total RT dose").fill("30")
        page.get_by_role("button", name="Save").click()
        page.wait_for_load_state("load")
        assert "Radiotherapy dose and fractions apply only to radiotherapy." in page.inner_text("main")
        assert not record_model("treatment").objects.exists()

        page.goto(f"/patients/{patient.pk}/labs/new/")  # the unit list holds every analyte's units
        groups = page.get_by_label("Unit", exact=True).locator("optgroup")
        assert groups.count() > 30 and "Creatinine" in groups.evaluate_all("gs => gs.map(g => g.label)")
    finally:
        context.close()
