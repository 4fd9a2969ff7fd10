"""Benchmark: the patient page of a patient with ten years of monthly data.

    .venv/bin/python benchmarks/patient_page.py [--years 10] [--requests 30] [--loads 5]

Builds a throwaway SQLite database and, through the services (evaluate=False, then one
evaluation, as an import does), one patient with monthly labs (VEGF, blood count, paraprotein,
light chains, immunofixation), visits and symptom reports, six-monthly nerve conduction,
yearly imaging and three treatments. Then measures:

1. the server time of the patient page with Django's test client (p50 and p95 over
   `--requests` requests after a warm-up), target p50 under 150 ms, with its query count and
   the share spent building the timeline figures;
2. the time until the charts are visible in headless Chromium against `manage.py runserver`:
   charts.js stamps when it starts, when the first chart (those on screen come first) is
   drawn and when all are, in milliseconds since navigation started; the first load has an
   empty cache, the median of the later loads is printed too. Target under 1 s.
"""

import argparse
import datetime
import math
import os
import socket
import statistics
import subprocess
import sys
import tempfile
import time
import urllib.request
from decimal import Decimal
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))
SETTINGS = "poems_site.settings_test"
PASSWORD = "bench-consultant-password-7"  # noqa: S105 (a throwaway database, deleted on exit)
CHROMIUM = os.environ.get("POEMS_CHROMIUM", "/usr/bin/chromium")


def setup_django(db_path: Path) -> None:
    os.environ["DATABASE_URL"] = f"sqlite:///{db_path}"
    os.environ["DJANGO_SETTINGS_MODULE"] = SETTINGS
    import django

    django.setup()
    from django.core.management import call_command

    call_command("migrate", verbosity=0)


def build(years: int):
    """One consultant and one patient with `years` of monthly follow-up; returns both."""
    from tracker.models import Clinic
    from tracker.services.flags import flags_refresh
    from tracker.services.labs import lab_result_record
    from tracker.services.patients import patient_create
    from tracker.services.records import (
        imaging_record,
        ncs_study_record,
        symptom_report_record,
        treatment_record,
        visit_record,
    )
    from tracker.services.users import user_create

    clinic = Clinic.objects.create(code="bench", name="Benchmark clinic")
    consultant = user_create(username="consultant", role="consultant", password=PASSWORD, clinics=[clinic])
    patient = patient_create(
        actor=consultant, clinic=clinic, mrn="BENCH-1", given_name="Bench", family_name="Patient",
        birth_date=datetime.date(1960, 1, 1), sex="female",
    )  # fmt: skip
    quiet = {"patient": patient, "actor": consultant, "evaluate": False}
    today = datetime.date.today()
    start = today - datetime.timedelta(days=365 * years)
    t0 = start + datetime.timedelta(days=45)
    treatment_record(**quiet, category="systemic_anti_plasma_cell", regimen="Cy mobilisation", intent="mobilisation",
                     line=1, agents=["cyclophosphamide"], start_date=start + datetime.timedelta(days=10),
                     end_date=start + datetime.timedelta(days=30))  # fmt: skip
    treatment_record(**quiet, category="asct", regimen="HDM-ASCT", intent="conditioning", line=1,
                     agents=["melphalan"], start_date=t0 - datetime.timedelta(days=2), end_date=t0)  # fmt: skip
    relapse_t0 = start + datetime.timedelta(days=365 * years * 2 // 3)
    treatment_record(**quiet, category="systemic_anti_plasma_cell", regimen="Rd", intent="salvage", line=2,
                     agents=["lenalidomide", "dexamethasone"], start_date=relapse_t0 - datetime.timedelta(days=180),
                     end_date=relapse_t0, anchor_date=relapse_t0)  # fmt: skip
    for month in range(years * 12):
        day = start + datetime.timedelta(days=30 * month + 5)
        months = max(0.0, (day - t0).days / 30.4)
        vegf = 650 + 4500 * math.exp(-months / 2.5) + 30 * math.sin(month)
        for analyte, value, extra in (
            ("vegf", f"{vegf:.1f}", {"specimen": "serum", "assay": "ELISA"}),
            ("platelets", str(230 + month % 7 * 20), {}),
            ("hemoglobin", str(125 + month % 5 * 4), {}),
            ("wbc", "6.1", {}),
            ("m_protein", "0.15", {"specimen": "serum"}),
            ("flc_kappa", "12.5", {}),
            ("flc_lambda", str(20 + month % 6), {}),
        ):
            lab_result_record(**quiet, analyte=analyte, collected_on=day, value=value, lab="Bench lab", **extra)
        lab_result_record(**quiet, analyte="ife", specimen="serum", collected_on=day, value="negative", lab="Bench lab")
        visit_record(**quiet, visit_date=day, onls_arm=1, onls_leg=2 + month % 2, incat_arm=1, incat_leg=2, mrs=1,
                     ecog=1, weight_kg=Decimal("70.5"))  # fmt: skip
        symptom_report_record(**quiet, reported_on=day + datetime.timedelta(days=2), numbness_tingling=3,
                              swelling=month % 3, fatigue=2, weight_kg=Decimal("70"))  # fmt: skip
        if month % 6 == 0:
            rows = [
                {"kind": "motor", "nerve": "peroneal", "side": side, "site": "ankle", "cmap_amp_mv": Decimal("2.4")}
                for side in ("left", "right")
            ] + [{"kind": "sensory", "nerve": "sural", "side": "right", "absent": True}]
            ncs_study_record(**quiet, study_date=day, lab="Bench neuro", rows=rows)
        if month % 12 == 6:
            imaging_record(**quiet, study_date=day, modality="pet_ct", response_category="SD")
    flags_refresh(patient)
    return consultant, patient


def percentile(values: list[float], pct: float) -> float:
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, math.ceil(pct / 100 * len(ordered)) - 1)]


def server_time(consultant, patient, requests: int) -> None:
    from django.db import connection
    from django.test import Client
    from django.test.utils import CaptureQueriesContext

    from tracker import selectors
    from tracker.presenters.timeline import timeline_context

    client = Client()
    client.force_login(consultant)
    url = f"/patients/{patient.pk}/"
    for _ in range(3):
        assert client.get(url).status_code == 200
    timings = []
    for _ in range(requests):
        started = time.perf_counter()
        response = client.get(url)
        timings.append((time.perf_counter() - started) * 1000)
    with CaptureQueriesContext(connection) as captured:
        client.get(url)
    record = selectors.patient_record(patient)
    charts = []
    for _ in range(requests):
        started = time.perf_counter()
        timeline_context(patient, record)
        charts.append((time.perf_counter() - started) * 1000)
    print(f"  records: {patient.lab_results.count()} lab results, {patient.visits.count()} visits, "
          f"{patient.symptom_reports.count()} symptom reports, {patient.nerve_studies.count()} nerve studies")  # fmt: skip
    print(f"  page size: {len(response.content) / 1024:.0f} KiB; queries per request: {len(captured.captured_queries)}")
    print(f"  server time over {requests} requests: p50 {statistics.median(timings):.0f} ms, "
          f"p95 {percentile(timings, 95):.0f} ms (target p50 < 150 ms)")  # fmt: skip
    print(f"  of which building the timeline figures: p50 {statistics.median(charts):.1f} ms")


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def wait_for(url: str, seconds: float = 30) -> None:
    deadline = time.monotonic() + seconds
    while time.monotonic() < deadline:
        try:
            urllib.request.urlopen(url, timeout=2)  # noqa: S310 (our own local server)
            return
        except OSError:
            time.sleep(0.2)
    raise SystemExit(f"the server at {url} did not start")


STAMPS = """(() => {
  const root = document.documentElement.dataset;
  const nav = performance.getEntriesByType("navigation")[0];
  return {server: Math.round(nav.responseStart), start: Number(root.chartsStartMs),
          first: Number(root.chartsFirstMs), ready: Number(root.chartsReadyMs)};
})()"""
"""Time to first byte, and charts.js's stamps: drawing began, first chart drawn, all drawn."""


def browser_time(db_path: Path, patient, loads: int) -> None:
    if not Path(CHROMIUM).exists():
        print(f"  skipped: no Chromium at {CHROMIUM}")
        return
    from playwright.sync_api import sync_playwright

    port = free_port()
    env = {**os.environ, "DATABASE_URL": f"sqlite:///{db_path}", "DJANGO_SETTINGS_MODULE": SETTINGS}
    server = subprocess.Popen(
        [sys.executable, str(ROOT / "manage.py"), "runserver", "--noreload", f"127.0.0.1:{port}"],
        env=env,
        stdout=subprocess.DEVNULL,
        stderr=subprocess.DEVNULL,
    )
    base = f"http://127.0.0.1:{port}"
    try:
        wait_for(f"{base}/accounts/login/")
        with sync_playwright() as playwright:
            browser = playwright.chromium.launch(
                executable_path=CHROMIUM,
                headless=True,
                args=["--no-sandbox", "--disable-gpu", "--disable-background-networking"],
            )
            page = browser.new_page(viewport={"width": 1366, "height": 900})
            page.goto(f"{base}/accounts/login/")
            page.get_by_label("Username").fill("consultant")
            page.get_by_label("Password").fill(PASSWORD)
            page.get_by_role("button", name="Sign in").click()
            page.wait_for_load_state("networkidle")
            loads_ms = []
            for _ in range(loads):
                page.goto(f"{base}/patients/{patient.pk}/")
                page.wait_for_selector("html[data-charts-ready=true]", timeout=30_000)
                loads_ms.append(page.evaluate(STAMPS))
                plots = page.locator(".js-plotly-plot").count()
            browser.close()
    finally:
        server.terminate()
        server.wait(timeout=10)
    print(f"  {plots} charts; milliseconds from navigation (target: charts visible < 1,000 ms):")
    print("  load         server  scripts run  first chart on screen  all charts drawn")
    for i, stamp in enumerate(loads_ms):
        label = "first (cold)" if i == 0 else f"repeat {i}"
        print(f"  {label:<12} {stamp['server']:>6} {stamp['start']:>12} {stamp['first']:>22} {stamp['ready']:>17}")
    if len(loads_ms) > 1:
        warm = loads_ms[1:]
        print(
            f"  repeat loads, median: first chart {statistics.median(s['first'] for s in warm):.0f} ms,"
            f" all charts {statistics.median(s['ready'] for s in warm):.0f} ms"
        )


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--years", type=int, default=10)
    parser.add_argument("--requests", type=int, default=30)
    parser.add_argument("--loads", type=int, default=5)
    args = parser.parse_args()
    with tempfile.TemporaryDirectory() as tmp:
        db_path = Path(tmp) / "bench.sqlite3"
        setup_django(db_path)
        started = time.perf_counter()
        consultant, patient = build(args.years)
        print(f"Patient page, {args.years} years of monthly data (built in {time.perf_counter() - started:.0f} s)")
        print("Server (Django test client):")
        server_time(consultant, patient, args.requests)
        print("Browser (headless Chromium against runserver):")
        browser_time(db_path, patient, args.loads)


if __name__ == "__main__":
    main()
