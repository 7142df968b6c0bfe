"""The load test in its short form: gunicorn serving real pages to locust users, no errors.

The full form (PostgreSQL, 1,000 mentees, 300 mentors, 5,000 requests, 50 users) is a benchmark:
`python bench/load/run.py`, figures in the README.
"""
import json
import os
import subprocess
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]


def test_short_load_run_has_no_failed_requests():
    database = os.environ.get("TEST_DATABASE_URL") or "sqlite://"
    result = subprocess.run([sys.executable, "bench/load/run.py", "--short", "--database", database],
                            cwd=ROOT, capture_output=True, text=True, timeout=300)
    assert result.returncode == 0, result.stdout[-3000:] + result.stderr[-3000:]
    stats = json.loads((ROOT / "bench" / "out" / "load-result.json").read_text())
    assert stats["failures"] == {}
    for page in ("mentee home", "directory search", "mentor home", "round review"):
        assert stats[page]["requests"] > 0, f"no {page} requests were made"
