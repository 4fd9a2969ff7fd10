"""Scale data: many synthetic patients with years of monthly follow-up, inserted in bulk.

    .venv/bin/python benchmarks/scale_data.py --patients 50 --years 10 [--worst-case] [--db PATH]

Reusable by other benchmarks: `build(db_path, patients, years, worst_case)` migrates a fresh
SQLite file (or uses DATABASE_URL when `db_path` is None), inserts with `bulk_create` in large
batches, then stores every patient's flags and worklist row with the clinic-wide evaluation,
and returns counts and timings. Realistic rates: an ASCT anchor for everyone, monthly serum
VEGF that stays flat around 500-700 pg/mL with small noise, quarterly visits with flat scores;
about one patient in eight relapses (VEGF climbing past the upper limit in the last years).
`worst_case` makes every patient relapse so that every one has open flags.
"""

import argparse
import datetime
import os
import random
import sys
import time
from decimal import Decimal
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))
BATCH = 5000
CONSULTANT = "scale-consultant"
PASSWORD = "Bench-Vegf-Throwaway-42"  # noqa: S105 (a throwaway benchmark database)


def setup(db_path: Path | None) -> None:
    if db_path is not None:
        os.environ["DATABASE_URL"] = f"sqlite:///{db_path}"
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "poems_site.settings_test")
    import django

    django.setup()
    from django.core.management import call_command

    call_command("migrate", verbosity=0)


def _months(start: datetime.date, count: int):
    for n in range(count):
        year, month = divmod(start.month - 1 + n, 12)
        yield datetime.date(start.year + year, month + 1, min(start.day, 28))


def build(db_path: Path | None, patients: int, years: int, worst_case: bool = False, seed: int = 12) -> dict:
    setup(db_path)
    from tracker.models import Clinic, LabResult, Patient, Treatment, Visit
    from tracker.services.flags import flags_store_all

    rng = random.Random(seed)
    started = time.perf_counter()
    clinic, created_clinic = Clinic.objects.get_or_create(code="scale", defaults={"name": "Scale clinic"})
    if created_clinic:
        from tracker.services.users import user_create

        user_create(username=CONSULTANT, role="consultant", password=PASSWORD, clinics=[clinic])
    today = datetime.date.today()
    first = datetime.date(today.year - years, today.month, 1)
    offset = Patient.objects.count()
    Patient.objects.bulk_create(
        [
            Patient(
                mrn=f"S{offset + i:06d}",
                given_name="Synthetic",
                family_name=f"Patient{offset + i:06d}",
                birth_date=datetime.date(1960 + i % 30, 1 + i % 12, 1 + i % 28),
                sex="female" if i % 2 else "male",
                clinic=clinic,
                diagnosis_date=first,
            )
            for i in range(patients)
        ],
        batch_size=BATCH,
    )
    created = list(Patient.objects.filter(mrn__gte=f"S{offset:06d}").order_by("mrn")[:patients])
    anchor = first + datetime.timedelta(days=90)
    Treatment.objects.bulk_create(
        [
            Treatment(patient=p, category="asct", start_date=anchor - datetime.timedelta(days=2), end_date=anchor)
            for p in created
        ],
        batch_size=BATCH,
    )
    months = years * 12
    labs, visits, lab_count = [], [], 0
    for patient in created:
        relapsing = worst_case or rng.random() < 1 / 8
        relapse_from = months - rng.randint(6, 24)
        level = rng.uniform(500, 700)
        for n, day in enumerate(_months(first, months)):
            if day > today:
                break
            value = level * rng.uniform(0.95, 1.05)
            if relapsing and n >= relapse_from:
                value *= 1 + 0.15 * (n - relapse_from)
            labs.append(
                LabResult(
                    patient=patient,
                    analyte="vegf",
                    specimen="serum",
                    collected_on=day,
                    value_as_entered=Decimal(f"{value:.0f}"),
                    unit_as_entered="pg/mL",
                    value_canonical=Decimal(f"{value:.0f}"),
                    unit_canonical="pg/mL",
                )
            )
            if n % 3 == 0:
                visits.append(Visit(patient=patient, visit_date=day, onls_arm=1, onls_leg=1))
        if len(labs) >= BATCH:
            LabResult.objects.bulk_create(labs, batch_size=BATCH)
            lab_count += len(labs)
            labs = []
    LabResult.objects.bulk_create(labs, batch_size=BATCH)
    Visit.objects.bulk_create(visits, batch_size=BATCH)
    lab_count += len(labs)
    inserted = time.perf_counter()
    flags_store_all(Patient.objects.filter(pk__in=[p.pk for p in created]))
    evaluated = time.perf_counter()
    return {
        "patients": patients,
        "years": years,
        "worst_case": worst_case,
        "lab_rows": lab_count,
        "visits": len(visits),
        "insert_s": round(inserted - started, 2),
        "evaluate_s": round(evaluated - inserted, 2),
    }


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--patients", type=int, default=50)
    parser.add_argument("--years", type=int, default=10)
    parser.add_argument("--worst-case", action="store_true")
    parser.add_argument("--db", type=Path, default=ROOT / "benchmarks" / "scale.sqlite3")
    args = parser.parse_args()
    if args.db.exists():
        args.db.unlink()
    print(build(args.db, args.patients, args.years, args.worst_case))


if __name__ == "__main__":
    main()
