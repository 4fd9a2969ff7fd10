"""Benchmark: the worklist and the clinic-wide jobs at 50, 500 and 5,000 patients (issue 12).

    .venv/bin/python benchmarks/scale.py [--sizes 50,500,5000] [--years 10] [--worst-case]
                                         [--load-seconds 60] [--users 20]

For each size a child process builds a fresh SQLite database with `scale_data.build` (or uses
DATABASE_URL when --postgres is given), then measures, each figure printed against the issue's
target as a ratio (<= 1.00 meets it):

- worklist first page and `?severity=amber` server time (Django test client, p50 of 20);
- the patient page of the richest patient (p50 of 20) and its query count;
- clinic-wide evaluation (`flags_store_all` of every patient) in its own process: seconds and
  peak memory (MiB, max RSS of that process);
- import rate (rows/s) of 5,000 new lab rows through `import_csv`, against the same file
  imported into a database with the patients but no lab rows (the empty-table reference);
- 20 concurrent clients on gunicorn (4 workers) for --load-seconds with locust headless,
  signed in as a consultant, opening the worklist pages: errors and p95.
"""

import argparse
import csv
import datetime
import io
import json
import os
import resource
import socket
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
HERE = Path(__file__).resolve().parent
sys.path.insert(0, str(HERE))
sys.path.insert(0, str(ROOT))
TARGETS = {  # figure -> (target, unit)
    "worklist_ms": (150, "ms"),
    "worklist_amber_ms": (100, "ms"),
    "patient_page_ms": (150, "ms"),
    "evaluate_s": (30, "s"),
    "import_ratio": (0.8, "x empty rate (>=)"),
    "load_p95_ms": (500, "ms"),
    "load_errors": (0, "errors"),
}
IMPORT_ROWS = 5000
SECRET_KEY = "scale-benchmark-only-" + "x" * 40  # noqa: S105 - the children and gunicorn share it


def _p50(timings: list[float]) -> float:
    return round(statistics.median(timings), 1)


def _server_times(client, url: str, count: int = 20) -> float:
    for _ in range(2):
        assert client.get(url).status_code == 200, url
    timings = []
    for _ in range(count):
        started = time.perf_counter()
        client.get(url)
        timings.append((time.perf_counter() - started) * 1000)
    return _p50(timings)


def _write_labs(path: Path, mrns: list[str], rows: int) -> None:
    """`rows` VEGF rows, one a day per patient over the last five years, spread over the patients."""
    with path.open("w", newline="") as handle:
        writer = csv.writer(handle)
        writer.writerow(["mrn", "collected_on", "analyte", "specimen", "value"])
        first = datetime.date.today() - datetime.timedelta(days=365 * 5)
        for n in range(rows):
            day = first + datetime.timedelta(days=n // len(mrns))
            writer.writerow(
                [
                    mrns[n % len(mrns)],
                    day.isoformat(),
                    "vegf",
                    "serum",
                    600 + n % 50,
                ]
            )


def _import_rate(path: Path) -> float:
    from django.core.management import call_command

    started = time.perf_counter()
    call_command("import_csv", "labs", str(path), "--update", stdout=io.StringIO(), stderr=io.StringIO())
    return round(IMPORT_ROWS / (time.perf_counter() - started))


def _evaluate_in_own_process(env: dict) -> tuple[float, float]:
    code = (
        "import django, resource, time; django.setup();"
        "from tracker.models import Patient; from tracker.services.flags import flags_store_all;"
        "s = time.perf_counter(); flags_store_all(Patient.objects.filter(status='final'));"
        "print(time.perf_counter() - s, resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024)"
    )
    out = subprocess.run([sys.executable, "-c", code], env=env, capture_output=True, text=True, check=True, cwd=ROOT)
    seconds, mib = out.stdout.split()[-2:]
    return round(float(seconds), 1), round(float(mib))


def _free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


def _load(env: dict, seconds: int, users: int, folder: Path, session: str) -> dict:
    """gunicorn (4 workers) + locust headless, every client with the consultant's session (one
    sign-in: the sign-in throttle would refuse 20 at once); returns errors, requests and p95."""

    port = _free_port()
    server_env = {
        **env,
        "DJANGO_SETTINGS_MODULE": "poems_site.settings",
        "DJANGO_DEBUG": "false",
        "DJANGO_SECRET_KEY": SECRET_KEY,
        "DJANGO_ALLOWED_HOSTS": "127.0.0.1",
        "DJANGO_SECURE_SSL_REDIRECT": "false",
        "DJANGO_SESSION_COOKIE_SECURE": "false",
        "DJANGO_CSRF_COOKIE_SECURE": "false",
        "DJANGO_SECURE_HSTS_SECONDS": "0",
        "DJANGO_LOG_LEVEL": "WARNING",
    }
    bin_dir = Path(sys.executable).parent
    collect = [sys.executable, "manage.py", "collectstatic", "--noinput", "-v0"]
    subprocess.run(collect, env=server_env, cwd=ROOT, check=True)  # noqa: S603 - debug off serves the manifest
    server = subprocess.Popen(  # noqa: S603
        [str(bin_dir / "gunicorn"), "-w", "4", "-b", f"127.0.0.1:{port}", "--timeout", "30", "poems_site.wsgi"],
        env=server_env,
        cwd=ROOT,
        stdout=subprocess.DEVNULL,
        stderr=subprocess.DEVNULL,
    )
    try:
        for _ in range(100):
            try:
                socket.create_connection(("127.0.0.1", port), timeout=0.2).close()
                break
            except OSError:
                time.sleep(0.2)
        prefix = folder / "locust"
        locust_env = {**os.environ, "SCALE_SESSION": session}
        subprocess.run(  # noqa: S603
            [str(bin_dir / "locust"), "-f", str(HERE / "scale_locustfile.py"), "--headless", "-u", str(users), "-r",
             str(users), "--run-time", f"{seconds}s", "--host", f"http://127.0.0.1:{port}", "--csv", str(prefix),
             "--only-summary"],
            env=locust_env, cwd=ROOT, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL, check=False,
        )  # fmt: skip
        with open(f"{prefix}_stats.csv") as handle:
            rows = list(csv.DictReader(handle))
        total = next(row for row in rows if row["Name"] == "Aggregated")
        pages = [row for row in rows if row["Name"].startswith("/worklist/") and int(row["Request Count"])]
        return {  # errors of every request; p95 of the worklist pages (signing in hashes a password)
            "load_requests": int(total["Request Count"]),
            "load_errors": int(total["Failure Count"]),
            "load_p95_ms": max((float(row["95%"]) for row in pages), default=float("inf")),
        }
    finally:
        server.terminate()
        server.wait(timeout=30)


def child(size: int, years: int, worst_case: bool, load_seconds: int, users: int, postgres: bool) -> dict:
    folder = Path(tempfile.mkdtemp(prefix="poems-scale-"))
    db_path = None if postgres else folder / "scale.sqlite3"
    from scale_data import CONSULTANT, build

    built = build(db_path, size, years, worst_case)
    from django.db import connection
    from django.db.models import Count
    from django.test import Client
    from django.test.utils import CaptureQueriesContext

    from tracker.models import Patient

    figures = {**built}
    client = Client()
    from django.contrib.auth import get_user_model

    client.force_login(get_user_model().objects.get(username=CONSULTANT))
    figures["worklist_ms"] = _server_times(client, "/worklist/")
    figures["worklist_amber_ms"] = _server_times(client, "/worklist/?severity=amber")
    richest = Patient.objects.annotate(n=Count("lab_results")).order_by("-n").first()
    figures["patient_page_ms"] = _server_times(client, f"/patients/{richest.pk}/")
    with CaptureQueriesContext(connection) as captured:
        client.get(f"/patients/{richest.pk}/")
    figures["patient_page_queries"] = len(captured)
    env = {**os.environ, "DJANGO_SETTINGS_MODULE": "poems_site.settings_test"}
    if db_path is not None:
        env["DATABASE_URL"] = f"sqlite:///{db_path}"
    connection.close()
    figures["evaluate_s"], figures["evaluate_peak_mib"] = _evaluate_in_own_process(env)
    mrns = list(Patient.objects.order_by("pk").values_list("mrn", flat=True))
    _write_labs(folder / "labs.csv", mrns, IMPORT_ROWS)
    figures["import_rows_per_s"] = _import_rate(folder / "labs.csv")
    if load_seconds:
        connection.close()
        figures.update(_load(env, load_seconds, users, folder, client.cookies["sessionid"].value))
    figures["child_peak_mib"] = round(resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024)
    return figures


def reference_import_rate() -> float:
    """The same import into a database with 50 patients and no lab rows."""
    folder = Path(tempfile.mkdtemp(prefix="poems-scale-empty-"))
    from scale_data import build

    build(folder / "empty.sqlite3", 50, 0, False)
    from tracker.models import Patient

    mrns = list(Patient.objects.order_by("pk").values_list("mrn", flat=True))
    _write_labs(folder / "labs.csv", mrns, IMPORT_ROWS)
    return _import_rate(folder / "labs.csv")


def _spawn(args: list[str]) -> dict:
    out = subprocess.run([sys.executable, __file__, *args], capture_output=True, text=True, check=False, cwd=ROOT)
    if out.returncode != 0:
        raise SystemExit(f"child {args} failed:\n{out.stderr[-3000:]}")
    return json.loads(out.stdout.strip().splitlines()[-1])


def report(figures: dict, reference: float) -> None:
    ratio_import = figures["import_rows_per_s"] / reference if reference else 0
    values = {**figures, "import_ratio": round(ratio_import, 2)}
    print(f"-- {figures['patients']} patients x {figures['years']} years"
          f"{' (worst case)' if figures['worst_case'] else ''}: {figures['lab_rows']:,} lab rows,"
          f" built in {figures['insert_s']} s")  # fmt: skip
    for name, (target, unit) in TARGETS.items():
        if name not in values:
            continue
        value = values[name]
        if name == "import_ratio":
            ratio = target / value if value else float("inf")
        elif name == "load_errors":
            ratio = 0.0 if value == 0 else float("inf")
        else:
            ratio = value / target
        verdict = "meets" if ratio <= 1 else "MISSES"
        print(f"   {name:<18} {value:>10} (target {target} {unit}): ratio {ratio:.2f} {verdict}")
    extra = {
        k: values[k]
        for k in ("patient_page_queries", "evaluate_peak_mib", "import_rows_per_s", "load_requests")
        if k in values
    }
    print(f"   also: {extra}; empty-table import rate {reference} rows/s")


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--sizes", default="50,500,5000")
    parser.add_argument("--years", type=int, default=10)
    parser.add_argument("--worst-case", action="store_true")
    parser.add_argument("--load-seconds", type=int, default=60)
    parser.add_argument("--users", type=int, default=20)
    parser.add_argument(
        "--postgres", action="store_true", help="Use DATABASE_URL (emptied by migrate) instead of SQLite."
    )
    parser.add_argument("--child", type=int, help=argparse.SUPPRESS)
    parser.add_argument("--reference", action="store_true", help=argparse.SUPPRESS)
    args = parser.parse_args()
    os.environ["DJANGO_SECRET_KEY"] = SECRET_KEY
    if args.reference:
        print(json.dumps({"rate": reference_import_rate()}))
        return
    if args.child:
        figures = child(args.child, args.years, args.worst_case, args.load_seconds, args.users, args.postgres)
        print(json.dumps(figures, default=str))
        return
    reference = _spawn(["--reference"])["rate"]
    common = ["--years", str(args.years), "--load-seconds", str(args.load_seconds), "--users", str(args.users)]
    common += ["--worst-case"] if args.worst_case else []
    common += ["--postgres"] if args.postgres else []
    for size in (int(s) for s in args.sizes.split(",")):
        report(_spawn(["--child", str(size), *common]), reference)


if __name__ == "__main__":
    main()
