"""Benchmark: the follow-up schedule for a whole clinic (the due list, `manage.py due`).

    .venv/bin/python benchmarks/due_list.py [--patients 1000] [--years 10]

Reuses the synthetic data of `rules_eval.py` (quarterly labs, visits, bi-monthly reports,
yearly NCS, imaging and treatments) in a throwaway SQLite database, then times `due_rows` for
every patient (what the due page, the command, the digest and the calendar feed run) and
counts its queries. No target is set by the spec; the figure is for the README.
"""

import argparse
import datetime
import sys
import tempfile
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))

from rules_eval import build, setup_django  # noqa: E402


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--patients", type=int, default=1000)
    parser.add_argument("--years", type=int, default=10)
    args = parser.parse_args()
    with tempfile.TemporaryDirectory() as tmp:
        setup_django(Path(tmp) / "bench.sqlite3")
        build(args.patients, args.years)
        from django.db import connection
        from django.test.utils import CaptureQueriesContext

        from tracker.models import LabResult, Patient
        from tracker.services.due import due_rows

        timings, rows = [], []
        for _ in range(3):
            with CaptureQueriesContext(connection) as queries:
                started = time.perf_counter()
                rows = due_rows(Patient.objects.all(), as_of=datetime.date(2026, 11, 1), within_days=30)
                timings.append(time.perf_counter() - started)
        print(f"patients: {args.patients:,}  lab results: {LabResult.objects.count():,}  years: {args.years}")
        print(
            f"due list for every patient: best {min(timings):.2f} s of 3, {len(queries.captured_queries)} queries, "
            f"{len(rows):,} items due or overdue"
        )


if __name__ == "__main__":
    main()
