"""Benchmark: evaluate the early-warning rules for many patients with long follow-up.

    .venv/bin/python benchmarks/rules_eval.py [--patients 5000] [--years 10]

Builds a throwaway SQLite database, fills it with synthetic patients (quarterly labs, visits,
bi-monthly symptom reports, yearly nerve conduction, imaging and treatments), then measures:

1. the total time to evaluate every patient through the batched loader and the pure rules
   (what `manage.py flags` does), target under 60 s for 5,000 patients with ten years each;
2. the median time to re-evaluate and store one patient's flags after a write
   (`flags_refresh`, what every service call runs), target under 20 ms.

The data set up bypasses the services (bulk inserts) because only the evaluation is measured.
"""

import argparse
import datetime
import os
import random
import statistics
import sys
import tempfile
import time
from decimal import Decimal
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))


def setup_django(db_path: Path) -> None:
    os.environ["DATABASE_URL"] = f"sqlite:///{db_path}"
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "poems_site.settings_test")
    import django

    django.setup()
    from django.core.management import call_command

    call_command("migrate", verbosity=0)


def build(patients: int, years: int, seed: int = 7) -> None:
    from tracker.models import (
        Clinic,
        ImagingStudy,
        LabResult,
        NerveConductionResult,
        NerveConductionStudy,
        Patient,
        SymptomReport,
        Treatment,
        Visit,
    )

    rng = random.Random(seed)
    clinic = Clinic.objects.create(code="bench", name="Benchmark clinic")
    today = datetime.date(2026, 11, 1)
    start = today - datetime.timedelta(days=365 * years)
    batch = 250
    for offset in range(0, patients, batch):
        people = Patient.objects.bulk_create(
            Patient(
                mrn=f"B{offset + i:06d}",
                given_name="Bench",
                family_name=f"Patient{offset + i}",
                birth_date=datetime.date(1960, 1, 1),
                sex=rng.choice(["female", "male"]),
                clinic=clinic,
                is_demo=True,
            )
            for i in range(min(batch, patients - offset))
        )
        labs, visits, symptoms, treatments, imaging, studies = [], [], [], [], [], []
        for patient in people:
            day0 = start + datetime.timedelta(days=60)
            treatments.append(
                Treatment(
                    patient=patient,
                    category="asct",
                    intent="conditioning",
                    line=1,
                    start_date=day0,
                    end_date=day0,
                    anchor_date=day0,
                    regimen="HDM-ASCT",
                )
            )
            baseline, nadir = rng.uniform(2500, 6000), rng.uniform(400, 900)
            relapse_at = rng.randint(20, 38) if rng.random() < 0.3 else None
            for q in range(years * 4):
                day = start + datetime.timedelta(days=91 * q + 30)
                vegf = nadir + (baseline - nadir) * (0.4**q)
                if relapse_at and q >= relapse_at:
                    vegf = nadir * (1.6 + 0.3 * (q - relapse_at))
                for analyte, specimen, value, unit in (
                    ("vegf", "serum", vegf, "pg/mL"),
                    ("platelets", "whole_blood", rng.uniform(200, 380), "10^9/L"),
                    ("hemoglobin", "whole_blood", rng.uniform(120, 150), "g/L"),
                    ("m_protein", "serum", rng.uniform(0, 0.3), "g/dL"),
                    ("flc_kappa", "serum", rng.uniform(8, 18), "mg/L"),
                    ("flc_lambda", "serum", rng.uniform(12, 26), "mg/L"),
                ):
                    amount = Decimal(str(round(value, 2)))
                    labs.append(
                        LabResult(
                            patient=patient,
                            analyte=analyte,
                            specimen=specimen,
                            collected_on=day,
                            value_as_entered=amount,
                            unit_as_entered=unit,
                            value_canonical=amount,
                            unit_canonical=unit,
                            source="import",
                        )
                    )
                labs.append(
                    LabResult(
                        patient=patient,
                        analyte="ife",
                        specimen="serum",
                        collected_on=day,
                        category="negative" if q > 2 else "positive",
                        source="import",
                    )
                )
                visits.append(
                    Visit(
                        patient=patient,
                        visit_date=day,
                        onls_arm=1,
                        onls_leg=1,
                        mrs=1,
                        ecog=1,
                        weight_kg=Decimal(str(round(rng.uniform(69, 71), 1))),
                    )
                )
            for m in range(0, years * 12, 2):
                symptoms.append(
                    SymptomReport(
                        patient=patient,
                        reported_on=start + datetime.timedelta(days=30 * m + 45),
                        swelling=rng.randint(0, 1),
                        weakness=1,
                        numbness_tingling=2,
                        source="patient",
                    )
                )
            for y in range(years):
                studies.append(
                    NerveConductionStudy(patient=patient, study_date=start + datetime.timedelta(days=365 * y + 100))
                )
                if y % 2 == 0:
                    imaging.append(
                        ImagingStudy(
                            patient=patient,
                            study_date=start + datetime.timedelta(days=365 * y + 20),
                            modality="pet_ct",
                            response_category="baseline" if y == 0 else "CR",
                        )
                    )
        Treatment.objects.bulk_create(treatments)
        LabResult.objects.bulk_create(labs, batch_size=2000)
        Visit.objects.bulk_create(visits, batch_size=2000)
        SymptomReport.objects.bulk_create(symptoms, batch_size=2000)
        ImagingStudy.objects.bulk_create(imaging)
        studies = NerveConductionStudy.objects.bulk_create(studies)
        NerveConductionResult.objects.bulk_create(
            NerveConductionResult(
                study=study,
                kind="motor",
                nerve="peroneal",
                side="right",
                site="ankle",
                cmap_amp_mv=Decimal(str(round(rng.uniform(2.0, 2.4), 2))),
            )
            for study in studies
        )
        print(f"  built {offset + len(people):>6} patients", end="\r", flush=True)
    print()


def measure(sample: int) -> dict:
    from tracker.models import LabResult, Patient
    from tracker.services.flags import flags_refresh, flags_report

    patients = list(Patient.objects.order_by("id"))
    started = time.perf_counter()
    report = flags_report(patients, as_of=datetime.date(2026, 11, 1))
    total = time.perf_counter() - started
    statuses = {status: sum(1 for p in report if p["status"] == status) for status in ("red", "amber", "green")}

    from tracker.services.labs import lab_result_record

    timings = []
    for patient in random.Random(1).sample(patients, min(sample, len(patients))):
        flags_refresh(patient)  # the flags as they stood before the write
        lab_result_record(
            patient=patient,
            actor=None,
            evaluate=False,
            analyte="platelets",
            collected_on=datetime.date(2026, 11, 2),
            value="300",
        )
        started = time.perf_counter()
        flags_refresh(patient)
        timings.append(time.perf_counter() - started)
    labs = LabResult.objects.count()
    return {"patients": len(patients), "labs": labs, "total_s": total, "statuses": statuses, "timings": timings}


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--patients", type=int, default=5000)
    parser.add_argument("--years", type=int, default=10)
    parser.add_argument("--sample", type=int, default=200, help="patients re-evaluated one by one")
    args = parser.parse_args()
    with tempfile.TemporaryDirectory() as tmp:
        setup_django(Path(tmp) / "bench.sqlite3")
        started = time.perf_counter()
        build(args.patients, args.years)
        print(f"setup: {time.perf_counter() - started:.1f} s")
        result = measure(args.sample)
    timings = sorted(result["timings"])
    print(f"patients: {result['patients']:,}  lab results: {result['labs']:,}  years: {args.years}")
    print(f"evaluate all (batched loader + rules): {result['total_s']:.1f} s  (target < 60 s)  {result['statuses']}")
    print(
        f"re-evaluate one patient after a write: median {statistics.median(timings) * 1000:.1f} ms, "
        f"p95 {timings[int(len(timings) * 0.95) - 1] * 1000:.1f} ms  (target median < 20 ms)"
    )


if __name__ == "__main__":
    main()
