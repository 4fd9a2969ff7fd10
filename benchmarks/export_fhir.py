"""Benchmark: FHIR export (`manage.py export_fhir`) time and memory at increasing patient counts.

    .venv/bin/python benchmarks/export_fhir.py [--patients 100 400] [--years 2]

For each count, one child process builds a throwaway SQLite database with the data builder of
`benchmarks/rules_eval.py` (quarterly labs, visits, symptom reports, yearly NCS, imaging,
treatments); a second child process streams the Bundle to a file (`bundle_write`, what
`manage.py export_fhir` does) and reports its wall time, the entries written, the process's peak
resident memory (ru_maxrss) and the peak of Python allocations during the export (tracemalloc).
Target: both peaks flat as the patient count grows (the Bundle is written entry by entry, the
patients read in chunks), while the file grows with the patients.
"""

import argparse
import json
import resource
import subprocess
import sys
import tempfile
import time
import tracemalloc
from pathlib import Path

HERE = Path(__file__).resolve().parent
sys.path.insert(0, str(HERE.parent))
sys.path.insert(0, str(HERE))


def build_child(db: Path, patients: int, years: int) -> None:
    import rules_eval

    rules_eval.setup_django(db)
    rules_eval.build(patients, years)


def export_child(db: Path, out: Path) -> dict:
    import rules_eval

    rules_eval.setup_django(db)
    from tracker.interop.fhir_bundle import bundle_write
    from tracker.models import Patient, RecordStatus

    patients = Patient.objects.filter(status=RecordStatus.FINAL)
    before = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss
    entries = 0

    def write(text: str) -> None:
        nonlocal entries
        entries += 1
        file.write(text)

    tracemalloc.start()
    started = time.perf_counter()
    with out.open("w", encoding="utf-8") as file:
        bundle_write(patients, write)
    seconds = time.perf_counter() - started
    _, traced_peak = tracemalloc.get_traced_memory()
    tracemalloc.stop()
    return {
        "seconds": seconds,
        "entries": entries - 1,  # the closing piece is not an entry
        "bytes": out.stat().st_size,
        "rss_before_kb": before,
        "rss_peak_kb": resource.getrusage(resource.RUSAGE_SELF).ru_maxrss,
        "traced_peak_bytes": traced_peak,
    }


def run(args: list[str]) -> str:
    done = subprocess.run([sys.executable, __file__, *args], check=True, capture_output=True, text=True)
    return done.stdout.strip().splitlines()[-1] if done.stdout.strip() else ""


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--patients", type=int, nargs="+", default=[100, 400])
    parser.add_argument("--years", type=int, default=2)
    parser.add_argument("--child", choices=["build", "export"], help=argparse.SUPPRESS)
    parser.add_argument("--db", help=argparse.SUPPRESS)
    parser.add_argument("--out", help=argparse.SUPPRESS)
    args = parser.parse_args()
    if args.child == "build":
        build_child(Path(args.db), args.patients[0], args.years)
        return
    if args.child == "export":
        print(json.dumps(export_child(Path(args.db), Path(args.out))))
        return
    print(f"FHIR export, {args.years} years per patient (tracemalloc slows the export; times are relative)")
    for count in args.patients:
        with tempfile.TemporaryDirectory() as tmp:
            db, out = Path(tmp) / "bench.sqlite3", Path(tmp) / "bundle.json"
            run(["--child", "build", "--db", str(db), "--patients", str(count), "--years", str(args.years)])
            result = json.loads(run(["--child", "export", "--db", str(db), "--out", str(out)]))
        print(
            f"patients {count:>6,}: {result['entries']:>9,} entries, {result['bytes'] / 1_048_576:6.0f} MB "
            f"in {result['seconds']:6.1f} s; peak RSS {result['rss_peak_kb'] / 1024:5.0f} MB "
            f"(after start-up {result['rss_before_kb'] / 1024:.0f} MB); "
            f"peak Python allocations {result['traced_peak_bytes'] / 1_048_576:5.1f} MB (target: flat)"
        )


if __name__ == "__main__":
    main()
