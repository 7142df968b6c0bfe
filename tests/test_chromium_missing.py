"""Without Chromium the browser tests stop the run with one sentence: no traceback, no skip, a non-zero exit."""
import os
import subprocess
import sys
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[1]
SENTENCE = "Chromium is missing: install Debian's package with `apt-get install chromium`"


def run_pytest(*args: str) -> subprocess.CompletedProcess:
    env = {**os.environ, "MENTORMATCH_CHROMIUM": str(ROOT / "no-such-dir" / "chromium")}
    env.pop("PYTEST_XDIST_WORKER", None)
    env.pop("PYTEST_ADDOPTS", None)
    return subprocess.run([sys.executable, "-m", "pytest", *args], cwd=ROOT, env=env, capture_output=True,
                          text=True, timeout=120)


@pytest.mark.parametrize("args", [["tests/e2e"], ["tests/e2e/test_journey_round.py", "-n", "2"], ["-n", "2"]],
                         ids=["browser tests", "one file in parallel", "the whole suite in parallel"])
def test_a_run_with_browser_tests_and_no_chromium_stops_with_one_sentence(args):
    done = run_pytest(*args)
    output = done.stdout + done.stderr
    assert done.returncode != 0
    assert output.count(SENTENCE) == 1, output[-3000:]
    assert "no-such-dir/chromium" in output
    assert "Traceback" not in output and "SKIPPED" not in output and " passed" not in output, output[-3000:]


def test_a_run_without_browser_tests_does_not_need_chromium():
    done = run_pytest("tests/matching/test_matching_format.py", "-q")
    assert done.returncode == 0, (done.stdout + done.stderr)[-3000:]
    assert SENTENCE not in done.stdout + done.stderr
