"""Benchmark: `import_csv labs` on 20,000 and 100,000 synthetic rows for 500 patients.

Each size runs in its own process on a fresh SQLite database in a temporary folder, twice:
once timed (rows per second, peak resident memory from getrusage), once under tracemalloc
(peak Python allocation, which tracemalloc slows down, so it is not timed). Comparing the
sizes shows whether memory grows with the file. Target: >= 5,000 rows/s, flat memory.

    .venv/bin/python benchmarks/import_labs.py [--rows 20000 100000] [--patients 500]

The import is the command's own code path (call_command), flag evaluation included.
Synthetic data only.
"""

from __future__ import annotations

import argparse
import datetime
import json
import os
import random
import resource
import shutil
import subprocess
import sys
import tempfile
import time
import tracemalloc
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]

# (analyte, specimen, unit, low, high): values inside the catalogue's plausible ranges.
ANALYTES = (
    ("vegf", "serum", "pg/mL", 200, 6000),
    ("platelets", "", "10^9/L", 120, 600),
    ("hemoglobin", "", "g/dL", 9, 17),
    ("wbc", "", "10^3/uL", 3, 12),
    ("creatinine", "", "umol/L", 50, 140),
    ("albumin", "", "g/L", 28, 48),
    ("calcium", "", "mmol/L", 2, 3),
    ("m_protein", "serum", "g/L", 0, 8),
    ("flc_kappa", "", "mg/L", 4, 40),
    ("flc_lambda", "", "mg/L", 5, 120),
)


def write_csv(path: Path, rows: int, patients: int) -> None:
    """`rows` lab rows, round-robin over patients and analytes, one draw date every 14 days."""
    rng = random.Random(rows)
    start = datetime.date(2015, 1, 5)
    with path.open("w", encoding="utf-8", newline="") as out:
        out.write("mrn,collected_on,analyte,value,unit,specimen,ref_low,ref_high,lab,assay,confounders\r\n")
        per_draw = patients * len(ANALYTES)
        for i in range(rows):
            patient = i % patients
            analyte, specimen, unit, low, high = ANALYTES[(i // patients) % len(ANALYTES)]
            day = start + datetime.timedelta(days=14 * (i // per_draw))
            value = round(rng.uniform(low, high), 1 if high < 100 else 0)
            confounder = "acute_illness" if analyte == "vegf" and rng.random() < 0.02 else ""
            out.write(
                f"BENCH-{patient:04d},{day.isoformat()},{analyte},{value},{unit},{specimen},,,Bench lab,,{confounder}\r\n"
            )


def child(rows: int, patients: int, trace: bool) -> dict:
    """Run one import on a fresh database in a temporary folder, removed afterwards."""
    folder = Path(tempfile.mkdtemp(prefix="poems-bench-"))
    try:
        return _measure(folder, rows, patients, trace)
    finally:
        shutil.rmtree(folder, ignore_errors=True)


def _measure(folder: Path, rows: int, patients: int, trace: bool) -> dict:
    """Migrate, create the patients and the CSV, then time one `import_csv labs`."""
    os.environ["DATABASE_URL"] = f"sqlite:///{folder / 'bench.sqlite3'}"
    os.environ["DJANGO_DEBUG"] = "false"  # production: no per-query SQL logging
    os.environ.setdefault("DJANGO_SECRET_KEY", "benchmark-only-" + "x" * 40)
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "poems_site.settings")
    os.environ.setdefault("DJANGO_LOG_LEVEL", "WARNING")
    sys.path.insert(0, str(ROOT))
    import django

    django.setup()
    from django.core.management import call_command

    import tracker.importers.engine as engine
    from tracker.importers.runs import import_actor
    from tracker.models import Clinic, ImportRun, LabResult
    from tracker.services.patients import patient_create

    call_command("migrate", verbosity=0)
    actor = import_actor()
    clinic = Clinic.objects.create(code="bench", name="Benchmark clinic")
    for n in range(patients):
        patient_create(
            actor=actor,
            clinic=clinic,
            mrn=f"BENCH-{n:04d}",
            given_name=f"Given{n}",
            family_name=f"Synthetic{n}",
            birth_date=datetime.date(1960 + n % 30, 1 + n % 12, 1 + n % 28),
            sex=("female", "male")[n % 2],
        )
    csv_path = folder / "labs.csv"
    write_csv(csv_path, rows, patients)

    flag_seconds = 0.0
    evaluate = engine.flags_refresh

    def timed_evaluate(patient, **kwargs):
        nonlocal flag_seconds
        began = time.perf_counter()
        try:
            return evaluate(patient, **kwargs)
        finally:
            flag_seconds += time.perf_counter() - began

    engine.flags_refresh = timed_evaluate
    rows_phase_peak = None
    evaluate_flags = engine.Importer._evaluate_flags

    def flags_phase(importer):
        """Split the traced peak: streaming the rows, then evaluating flags per patient."""
        nonlocal rows_phase_peak
        if trace:
            rows_phase_peak = tracemalloc.get_traced_memory()[1]
            tracemalloc.reset_peak()
        evaluate_flags(importer)

    engine.Importer._evaluate_flags = flags_phase
    rss_before = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss
    if trace:
        tracemalloc.start()
    began, cpu_began = time.perf_counter(), time.process_time()
    call_command("import_csv", "labs", str(csv_path), stdout=open(os.devnull, "w"))  # noqa: SIM115
    seconds, cpu_seconds = time.perf_counter() - began, time.process_time() - cpu_began
    flags_phase_peak = tracemalloc.get_traced_memory()[1] if trace else None
    if trace:
        tracemalloc.stop()
    rss_after = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss
    run = ImportRun.objects.get()
    assert run.created_count == rows == LabResult.objects.count(), (run.created_count, rows)
    return {
        "rows": rows,
        "file_mb": round(csv_path.stat().st_size / 1_048_576, 2),
        "seconds": round(seconds, 2),
        "rows_per_s": round(rows / seconds),
        "rows_per_cpu_s": round(rows / cpu_seconds),
        "flag_seconds": round(flag_seconds, 2),
        "rows_per_s_without_flags": round(rows / (seconds - flag_seconds)),
        "peak_rss_mb": round(rss_after / 1024, 1),
        "rss_growth_mb": round((rss_after - rss_before) / 1024, 1),
        "rows_phase_peak_mb": None if rows_phase_peak is None else round(rows_phase_peak / 1_048_576, 1),
        "flags_phase_peak_mb": None if flags_phase_peak is None else round(flags_phase_peak / 1_048_576, 1),
    }


def spawn(rows: int, patients: int, trace: bool) -> dict:
    command = [sys.executable, __file__, "--child", "--rows", str(rows), "--patients", str(patients)]
    if trace:
        command.append("--trace")
    output = subprocess.run(command, check=True, capture_output=True, text=True, cwd=ROOT).stdout
    return json.loads(output.strip().splitlines()[-1])


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--rows", type=int, nargs="+", default=[20_000, 100_000])
    parser.add_argument("--patients", type=int, default=500)
    parser.add_argument("--child", action="store_true", help=argparse.SUPPRESS)
    parser.add_argument("--trace", action="store_true", help=argparse.SUPPRESS)
    args = parser.parse_args()
    if args.child:
        print(json.dumps(child(args.rows[0], args.patients, args.trace)))
        return
    results = []
    print(f"load average before: {os.getloadavg()[0]:.2f} on {os.cpu_count()} CPUs")
    for rows in args.rows:
        timed = spawn(rows, args.patients, trace=False)
        traced = spawn(rows, args.patients, trace=True)
        timed.update(rows_phase_peak_mb=traced["rows_phase_peak_mb"], flags_phase_peak_mb=traced["flags_phase_peak_mb"])
        results.append(timed)
        print(
            f"{rows:>7,} rows ({timed['file_mb']} MB, {args.patients} patients): {timed['seconds']} s wall, "
            f"{timed['rows_per_s']:,} rows/s ({timed['rows_per_cpu_s']:,} rows per CPU second; "
            f"{timed['flag_seconds']} s of it flag evaluation); peak RSS {timed['peak_rss_mb']} MB "
            f"(+{timed['rss_growth_mb']} MB during the import); tracemalloc peak while streaming rows "
            f"{timed['rows_phase_peak_mb']} MB, while evaluating flags {timed['flags_phase_peak_mb']} MB"
        )
    print(f"load average after: {os.getloadavg()[0]:.2f}")
    if len(results) > 1:
        small, large = results[0], results[-1]
        ratio = large["rows"] / small["rows"]
        growth = large["rows_phase_peak_mb"] - small["rows_phase_peak_mb"]
        verdict = "flat" if growth < 0.25 * small["rows_phase_peak_mb"] + 1 else "GROWS with the file"
        print(
            f"memory while streaming rows: {ratio:.0f}x the rows -> {small['rows_phase_peak_mb']} -> "
            f"{large['rows_phase_peak_mb']} MB ({growth:+.1f} MB): {verdict}. Flag evaluation holds ten "
            f"patients' records at a time: {small['flags_phase_peak_mb']} -> {large['flags_phase_peak_mb']} MB "
            f"as each patient's record grows ({small['rows'] // args.patients} -> {large['rows'] // args.patients} "
            "results per patient)."
        )
        slowest = min(r["rows_per_s"] for r in results)
        print(f"throughput target 5,000 rows/s: {'met' if slowest >= 5000 else 'NOT met'} (slowest {slowest:,} rows/s)")


if __name__ == "__main__":
    main()
