"""Run every benchmark in turn with its default (full-size) arguments; `make benchmarks`.

Each prints its own figures against its target. The full set takes a while (the rules
benchmark builds 5,000 patients); pass the scripts smaller arguments to try them quickly.
"""

import subprocess
import sys
from pathlib import Path

HERE = Path(__file__).resolve().parent
BENCHMARKS = ("import_labs.py", "rules_eval.py", "patient_page.py", "export_research.py", "export_fhir.py")


def main() -> int:
    failed = []
    for name in BENCHMARKS:
        print(f"== {name}", flush=True)
        if subprocess.run([sys.executable, str(HERE / name)], check=False).returncode != 0:
            failed.append(name)
    if failed:
        print(f"failed: {', '.join(failed)}")
    return 1 if failed else 0


if __name__ == "__main__":
    sys.exit(main())
