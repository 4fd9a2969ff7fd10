"""Benchmark: research export time and peak memory at increasing patient counts.

    .venv/bin/python benchmarks/export_research.py [--patients 500 2000 5000] [--years 10]

For each count, one child process builds a throwaway SQLite database with the data builder of
`benchmarks/rules_eval.py` (quarterly labs, visits, symptom reports, yearly NCS, imaging,
treatments); a second child process runs the export (`research_export_write`, what
`manage.py export_research` does) and reports its wall time, the observations written per
second (by wall time, and by the process's CPU time, which a machine shared with other work
does not inflate), and the process's peak resident memory (ru_maxrss). Target: >= 50,000 observations/s
on SQLite, and peak memory flat as the patient count grows (the export streams in chunks).
"""

import argparse
import json
import resource
import subprocess
import sys
import tempfile
import time
from pathlib import Path

HERE = Path(__file__).resolve().parent
sys.path.insert(0, str(HERE.parent))
sys.path.insert(0, str(HERE))


def build_child(db: Path, patients: int, years: int) -> None:
    import rules_eval

    rules_eval.setup_django(db)
    rules_eval.build(patients, years)


def export_child(db: Path, out: Path, pseudonymise: bool) -> dict:
    import os

    os.environ.setdefault("POEMS_PSEUDONYM_KEY", "benchmark-installation-secret")
    import rules_eval

    rules_eval.setup_django(db)
    from tracker.interop.export import pseudonymiser_from_settings, research_export_write
    from tracker.models import Patient

    before = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss
    started, cpu = time.perf_counter(), time.process_time()
    outcome = research_export_write(
        out, patients=Patient.objects.all(), pseudonymiser=pseudonymiser_from_settings() if pseudonymise else None
    )
    seconds, cpu = time.perf_counter() - started, time.process_time() - cpu
    peak = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss
    return {
        "seconds": seconds,
        "cpu_seconds": cpu,
        "counts": outcome.counts,
        "rss_before_kb": before,
        "rss_peak_kb": peak,
    }


def run(args: list[str]) -> str:
    done = subprocess.run([sys.executable, __file__, *args], check=True, capture_output=True, text=True)
    return done.stdout.strip().splitlines()[-1] if done.stdout.strip() else ""


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--patients", type=int, nargs="+", default=[500, 2000, 5000])
    parser.add_argument("--years", type=int, default=10)
    parser.add_argument("--pseudonymise", action="store_true")
    parser.add_argument("--child", choices=["build", "export"], help=argparse.SUPPRESS)
    parser.add_argument("--db", help=argparse.SUPPRESS)
    parser.add_argument("--out", help=argparse.SUPPRESS)
    args = parser.parse_args()
    if args.child == "build":
        build_child(Path(args.db), args.patients[0], args.years)
        return
    if args.child == "export":
        print(json.dumps(export_child(Path(args.db), Path(args.out), args.pseudonymise)))
        return
    print(f"research export, {args.years} years per patient{', pseudonymised' if args.pseudonymise else ''}")
    for count in args.patients:
        with tempfile.TemporaryDirectory() as tmp:
            db, out = Path(tmp) / "bench.sqlite3", Path(tmp) / "export"
            started = time.perf_counter()
            run(["--child", "build", "--db", str(db), "--patients", str(count), "--years", str(args.years)])
            built = time.perf_counter() - started
            extra = ["--pseudonymise"] if args.pseudonymise else []
            result = json.loads(run(["--child", "export", "--db", str(db), "--out", str(out), *extra]))
            observations = result["counts"]["observations"]
            size = sum(path.stat().st_size for path in out.iterdir()) / 1_048_576
        rate, cpu_rate = observations / result["seconds"], observations / result["cpu_seconds"]
        print(
            f"patients {count:>6,}: {observations:>10,} observations in {result['seconds']:6.1f} s = "
            f"{rate:>8,.0f}/s wall, {cpu_rate:>8,.0f}/s of process CPU time (target >= 50,000/s); peak RSS {result['rss_peak_kb'] / 1024:6.0f} MB "
            f"(after start-up {result['rss_before_kb'] / 1024:.0f} MB); files {size:.0f} MB; build {built:.0f} s"
        )


if __name__ == "__main__":
    main()
