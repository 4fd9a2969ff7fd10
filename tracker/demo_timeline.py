"""One synthetic patient's follow-up timeline, built through the services.

Used by `tracker.demo.seed_demo`; every value is invented. Each archetype is a disease course
(sustained response, VEGF relapse, radiological progression, neurological worsening, partial
response, plasma VEGF, a transient confounded spike).
"""

import datetime
import math
import random
from dataclasses import dataclass
from decimal import Decimal

from tracker.demo_supportive import outcome_events, restaging_marrow, supportive_care
from tracker.models import Patient
from tracker.services.flags import flags_refresh
from tracker.services.labs import lab_result_record
from tracker.services.patients import checklist_save
from tracker.services.records import (
    imaging_record,
    ncs_study_record,
    symptom_report_record,
    treatment_record,
    visit_record,
)
from tracker.services.whole_record import event_record, lesion_record, marrow_record


@dataclass
class Course:
    anchor: datetime.date
    baseline_on: datetime.date
    end: datetime.date


def add_days(day: datetime.date, days: float) -> datetime.date:
    return day + datetime.timedelta(days=int(round(days)))


def follow_up_dates(anchor: datetime.date, until: datetime.date) -> list[datetime.date]:
    """Every 3 months for 2 years after T0, then every 6 months (POEMS-DOMAIN.md section 7)."""
    dates, day, step = [], add_days(anchor, 91), 91
    while day <= until:
        dates.append(day)
        if (day - anchor).days > 730:
            step = 182
        day = add_days(day, step)
    return dates


class PatientBuilder:
    def __init__(
        self,
        *,
        rng: random.Random,
        actor,
        patient: Patient,
        archetype: str,
        today: datetime.date,
        deceased: bool = False,
    ):
        self.rng, self.actor, self.patient, self.kind, self.today = rng, actor, patient, archetype, today
        self.deceased = deceased

    def jitter(self, value: float, pct: float = 0.08) -> float:
        return value * (1 + self.rng.uniform(-pct, pct))

    def lab(self, day, analyte, value, **extra):
        lab_result_record(
            patient=self.patient,
            actor=self.actor,
            evaluate=False,
            analyte=analyte,
            collected_on=day,
            value=value if isinstance(value, str) else Decimal(str(value)),
            lab=extra.pop("lab", "Demo Path Lab"),
            **extra,
        )

    def build(self) -> None:
        rng = self.rng
        years = rng.uniform(1.2, 6.0)
        start = add_days(self.today, -years * 365 - rng.randint(0, 40))
        course = self.treat(start)
        plasma = self.kind == "plasma"
        base_vegf = rng.uniform(180, 420) if plasma else rng.uniform(2500, 6500)
        nadir = (
            rng.uniform(50, 85)
            if plasma
            else (rng.uniform(1300, 1900) if self.kind == "rd_pr" else rng.uniform(450, 850))
        )
        male = self.patient.sex == "male"
        self.baseline(course.baseline_on, base_vegf, plasma, male)
        onls = [rng.randint(1, 2), rng.randint(3, 5)]
        weight = self.weight = rng.uniform(58, 88)
        onls = self.visit(course.baseline_on, [onls[0], onls[1] + 1], weight, worse=True)
        dates = follow_up_dates(course.anchor, course.end)
        relapse_from = dates[-3] if self.kind == "vegf_relapse" and len(dates) >= 5 else None
        for i, day in enumerate(dates):
            months = (day - course.anchor).days / 30.4
            vegf = nadir + (base_vegf - nadir) * math.exp(-months / 2.5)
            confounders = ()
            if relapse_from and day >= relapse_from:
                vegf = nadir * (1.9 + 0.6 * dates.index(day) - 0.6 * dates.index(relapse_from))
            if self.kind == "spike" and i == len(dates) - 2:
                vegf, confounders = nadir * 1.75, ("acute_illness",)
            specimen = "plasma" if plasma else "serum"
            self.lab(
                day, "vegf", round(self.jitter(vegf), 1), specimen=specimen, confounders=confounders, assay="ELISA"
            )
            self.blood_count(
                day, male, late=(self.kind == "neuro_worse" and i >= len(dates) - 2), step=i - len(dates) + 2
            )
            self.paraprotein(day, months, relapsing=bool(relapse_from and day > relapse_from))
            onls = self.visit(day, onls, weight, worse=(self.kind == "neuro_worse" and i >= len(dates) - 3))
            if i % 4 == 3:
                self.nerve_study(day, months, worse=(self.kind == "neuro_worse" and i >= len(dates) - 4))
        self.imaging(course, dates)
        self.events(course, dates, relapse_from)
        restaging_marrow(self, dates)
        supportive_care(self, course, dates)
        outcome_events(self, course, dates)
        self.symptoms(course, swelling=(self.kind == "vegf_relapse"))
        self.checklist()
        flags_refresh(self.patient)

    def treat(self, start: datetime.date) -> Course:
        rng, p, a = self.rng, self.patient, self.actor
        end = add_days(self.today, -rng.randint(10, 120))
        if self.kind in ("rt_radiological", "rt_stable"):
            rt_end = add_days(start, 40)
            treatment_record(
                patient=p,
                actor=a,
                evaluate=False,
                category="radiotherapy",
                regimen="RT 45 Gy",
                intent="frontline",
                line=1,
                start_date=start,
                end_date=rt_end,
                total_dose_gy=Decimal("45"),
                fractions=25,
                notes="Solitary sclerotic lesion.",
            )
            return Course(anchor=rt_end, baseline_on=add_days(start, -14), end=end)
        if self.kind == "rd_pr":
            rd_end = add_days(start, 270)
            treatment_record(
                patient=p,
                actor=a,
                evaluate=False,
                category="systemic_anti_plasma_cell",
                regimen="Rd",
                agents=["lenalidomide", "dexamethasone"],
                intent="frontline",
                line=1,
                start_date=start,
                end_date=rd_end,
                cycles_planned=9,
                cycles_given=9,
            )
            return Course(anchor=rd_end, baseline_on=add_days(start, -10), end=end)
        mobilisation_end = add_days(start, 20)
        day0 = add_days(start, 35)
        treatment_record(
            patient=p,
            actor=a,
            evaluate=False,
            category="systemic_anti_plasma_cell",
            regimen="Cy mobilisation",
            agents=["cyclophosphamide"],
            intent="mobilisation",
            line=1,
            start_date=start,
            end_date=mobilisation_end,
        )
        treatment_record(
            patient=p,
            actor=a,
            evaluate=False,
            category="asct",
            regimen="HDM-ASCT",
            agents=["melphalan"],
            intent="conditioning",
            line=1,
            start_date=add_days(day0, -2),
            end_date=day0,
            anchor_date=day0,
            melphalan_mg_m2=Decimal("200"),
            infusion_date=day0,
            mobilisation="cyclophosphamide_gcsf",
            cd34_dose_e6_per_kg=Decimal("4.5"),
            neutrophil_engraftment_date=add_days(day0, 11),
        )
        return Course(anchor=day0, baseline_on=add_days(start, -12), end=end)

    def baseline(self, day, vegf, plasma, male) -> None:
        self.lab(day, "vegf", round(vegf, 1), specimen="plasma" if plasma else "serum", assay="ELISA")
        self.lab(day, "platelets", self.rng.randint(440, 560))
        self.lab(day, "hemoglobin", self.rng.randint(150, 175) if male else self.rng.randint(135, 158))
        self.lab(day, "wbc", round(self.rng.uniform(5, 9), 1))
        self.lab(day, "m_protein", round(self.rng.uniform(0.2, 0.6), 2), specimen="serum")
        self.lab(day, "ife", "positive", specimen="serum", detail=self.rng.choice(["IgA-lambda", "IgG-lambda"]))
        self.lab(day, "flc_kappa", round(self.rng.uniform(12, 19), 1))
        self.lab(day, "flc_lambda", round(self.rng.uniform(30, 55), 1))
        self.workup(day, male)
        marrow_record(
            patient=self.patient,
            actor=self.actor,
            evaluate=False,
            biopsy_date=day,
            plasma_cells_pct=Decimal("4.0"),
            clonality="lambda",
            method="Trephine with CD138 and light-chain immunohistochemistry",
            notes="Lambda-restricted plasma cells at the edge of lymphoid aggregates (rimming); no myeloma.",
        )

    def workup(self, day, male) -> None:
        """The rest of the diagnostic work-up, with fixed values (the random draws of the
        series above stay as they were): liver, immunoglobulins, urine and spinal fluid,
        endocrine and cardiac markers, the differential."""
        for analyte, value, extra in (
            ("alt", 24, {}),
            ("ast", 21, {}),
            ("alp", 96, {}),
            ("ggt", 30, {}),
            ("bilirubin", 9, {}),
            ("igg", "9.8", {}),
            ("iga", "4.6", {}),
            ("igm", "0.7", {}),
            ("total_protein", 71, {"specimen": "serum"}),
            ("total_protein", 210, {"specimen": "urine_24h"}),
            ("total_protein", "1.35", {"specimen": "csf", "lab": "Demo Neurology Lab"}),
            ("m_protein", 40, {"specimen": "urine_24h"}),
            ("ife", "positive", {"specimen": "urine_24h", "detail": "lambda"}),
            ("flc_lambda", "12.4", {"specimen": "urine_spot"}),
            ("flc_kappa", "3.1", {"specimen": "urine_spot"}),
            ("pth", "4.2", {}),
            ("lh", "14.5" if male else "9.0", {}),
            ("fsh", "16.0" if male else "7.5", {}),
            ("oestradiol", 180 if male else 250, {}),
            ("nt_probnp", 410, {}),
            ("crp", "7.5", {}),
            ("neutrophils", "4.8", {}),
            ("lymphocytes", "1.6", {}),
        ):
            self.lab(day, analyte, value, **extra)

    def events(self, course: Course, dates, relapse_from) -> None:
        """Clinical events with fixed dates relative to the course (no random draws)."""
        found = [("admission", add_days(course.anchor, -20), {"grade": 3, "resolved_on": add_days(course.anchor, -9)})]
        if self.kind == "rd_pr":
            thrombosis = {"grade": 2, "ctcae_term": "Thromboembolic event", "treatment_related": True}
            found.append(("dvt", add_days(course.anchor, -120), thrombosis))
        if relapse_from:
            found.append(
                ("relapse", add_days(dates[-1], -7), {"notes": "VEGF rising, new swelling; confirmed in clinic."})
            )
        for event, day, extra in found:
            event_record(patient=self.patient, actor=self.actor, evaluate=False, event=event, onset_date=day, **extra)

    def blood_count(self, day, male, *, late: bool, step: int) -> None:
        platelets = (430 + 40 * step) if late else self.rng.randint(210, 360)
        self.lab(day, "platelets", platelets)
        hb = self.rng.randint(132, 160) if male else self.rng.randint(120, 145)
        # One in three counts arrives from a lab reporting g/dL: stored converted, kept as entered.
        if self.rng.random() < 0.33:
            self.lab(day, "hemoglobin", round(hb / 10, 1), unit="g/dL")
        else:
            self.lab(day, "hemoglobin", hb)
        self.lab(day, "wbc", round(self.rng.uniform(4.2, 8.5), 1))

    def paraprotein(self, day, months, *, relapsing: bool) -> None:
        if months < 6 and self.kind not in ("rd_pr",) or relapsing:
            self.lab(day, "ife", "positive", specimen="serum", detail="IgA-lambda")
            self.lab(day, "m_protein", round(self.rng.uniform(0.1, 0.3), 2), specimen="serum")
        elif self.kind == "rd_pr":
            self.lab(day, "ife", "positive", specimen="serum", detail="IgG-lambda")
            self.lab(day, "m_protein", "0.1", specimen="serum")
        else:
            self.lab(day, "ife", "negative", specimen="serum")
        self.lab(day, "flc_kappa", round(self.rng.uniform(9, 17), 1))
        self.lab(day, "flc_lambda", round(self.rng.uniform(14, 26), 1))

    def visit(self, day, onls, weight, *, worse: bool) -> list[int]:
        arm, leg = onls
        if worse:
            leg = min(7, leg + 1)
        elif self.rng.random() < 0.5:
            if leg > 1:
                leg -= 1
            elif arm > 0:
                arm -= 1
        visit_record(
            patient=self.patient,
            actor=self.actor,
            evaluate=False,
            visit_date=day,
            onls_arm=arm,
            onls_leg=leg,
            incat_arm=min(arm, 5),
            incat_leg=min(leg, 5),
            mrs=min(4, (arm + leg) // 2),
            ecog=min(3, leg // 2),
            pain_nrs=self.rng.randint(0, 4),
            weight_kg=Decimal(str(round(self.jitter(weight, 0.01), 1))),
            oedema=False,
            mrc_sum=60 - 2 * leg,
            vibration_sense="reduced" if leg else "normal",
            reflexes="absent" if leg >= 3 else "reduced",
            notes="Routine follow-up.",
        )
        return [arm, leg]

    def nerve_study(self, day, months, *, worse: bool) -> None:
        cmap = min(6.0, 1.0 + months / 18)
        if worse:
            cmap *= 0.6
        rows = [
            {
                "kind": "motor",
                "nerve": "peroneal",
                "side": "right",
                "site": "ankle",
                "cmap_amp_mv": Decimal(str(round(self.jitter(cmap, 0.05), 2))),
                "dml_ms": Decimal("5.8"),
                "cv_ms": Decimal(str(round(self.jitter(34 + months / 6, 0.05), 1))),
            },
            {
                "kind": "motor",
                "nerve": "median",
                "side": "left",
                "site": "wrist",
                "cmap_amp_mv": Decimal(str(round(self.jitter(cmap * 1.6, 0.05), 2))),
                "dml_ms": Decimal("4.9"),
                "cv_ms": Decimal(str(round(self.jitter(38 + months / 6, 0.05), 1))),
            },
            {"kind": "sensory", "nerve": "sural", "side": "right", "absent": months < 24},
        ]
        ncs_study_record(
            patient=self.patient,
            actor=self.actor,
            evaluate=False,
            rows=rows,
            study_date=day,
            lab="Demo Neurophysiology",
            temperature_c=Decimal("32.5"),
            summary_category="demyelinating",
        )

    def imaging(self, course: Course, dates) -> None:
        p, a = self.patient, self.actor
        imaging_record(
            patient=p,
            actor=a,
            evaluate=False,
            study_date=add_days(course.baseline_on, 3),
            modality="pet_ct",
            response_category="baseline",
            notes="FDG-avid sclerotic lesion(s).",
        )
        lesion_record(
            patient=p,
            actor=a,
            evaluate=False,
            study_date=add_days(course.baseline_on, 3),
            modality="pet_ct",
            site="Right iliac bone",
            appearance="sclerotic",
            size_mm=Decimal("24"),
            suv_max=Decimal("6.8"),
            lesion_status="known",
        )
        if len(dates) >= 4:
            imaging_record(
                patient=p,
                actor=a,
                evaluate=False,
                study_date=add_days(dates[3], 4),
                modality="pet_ct",
                response_category="PR",
                notes="Reduced, persistent uptake.",
            )
        if self.kind == "rt_radiological" and len(dates) >= 2:
            imaging_record(
                patient=p,
                actor=a,
                evaluate=False,
                study_date=add_days(dates[-1], 2),
                modality="pet_ct",
                response_category="PD",
                new_lesion=True,
                notes="New FDG-avid lesion.",
            )

    def symptoms(self, course: Course, *, swelling: bool) -> None:
        day, reports = add_days(course.anchor, 30), []
        while day <= course.end:
            reports.append(day)
            day = add_days(day, 61)
        codes = (
            "numbness_tingling",
            "weakness",
            "pain",
            "swelling",
            "breathlessness",
            "fatigue",
            "skin_changes",
            "headache_vision",
            "sweating",
            "diarrhoea",
        )
        usual = {code: self.rng.randint(0, 2) for code in codes}
        for i, day in enumerate(reports):
            # Steady scores that move by at most one point, so only a real change raises R6.
            items = {code: usual[code] + self.rng.choice((0, 0, 1)) for code in codes}
            if swelling and i == len(reports) - 1:
                items["swelling"] = usual["swelling"] + 4
            symptom_report_record(
                patient=self.patient,
                actor=self.actor,
                evaluate=False,
                reported_on=day,
                source="patient",
                weight_kg=Decimal(str(round(self.jitter(self.weight, 0.01), 1))),
                **items,
            )

    def checklist(self) -> None:
        checklist_save(
            patient=self.patient,
            actor=self.actor,
            polyradiculoneuropathy=True,
            clonal_plasma_cell_disorder=True,
            sclerotic_bone_lesions=True,
            vegf_elevated=True,
            organomegaly=True,
            organomegaly_sites=["splenomegaly"],
            endocrinopathy=True,
            endocrine_axes=["gonadal", "thyroid"],
            skin_changes=True,
            skin_findings=["hyperpigmentation"],
            thrombocytosis_or_polycythaemia=True,
        )
