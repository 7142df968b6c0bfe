"""`python -m mentormatch.matching` solves a file with no app and no database."""
import json
import subprocess
import sys
from pathlib import Path

from mentormatch.matching import read_result
from test_matching_format import example

ROOT = Path(__file__).resolve().parents[2]


def run(*args):
    return subprocess.run([sys.executable, "-m", "mentormatch.matching", *args], cwd=ROOT,
                          capture_output=True, text=True, timeout=120)


def test_cli_solves_a_file_and_writes_a_valid_result(tmp_path):
    src, out = tmp_path / "in.json", tmp_path / "out.json"
    src.write_text(json.dumps(example()))
    proc = run("--input", str(src), "--output", str(out), "--time-limit", "5")
    assert proc.returncode == 0, proc.stderr
    res = read_result(json.loads(out.read_text()))
    assert res.status == "optimal"
    assert {(p.mentee, p.mentor) for p in res.assignment} == {("e0000", "m000"),
                                                              ("e0001", "m001")}
    assert "optimal: 2 pairs" in proc.stderr


def test_cli_rejects_a_bad_file_on_stderr_with_nonzero_exit(tmp_path):
    doc = example()
    doc["mentees"][1]["tz"] = 20
    doc["mentors"][0]["capacity"] = -1
    src, out = tmp_path / "in.json", tmp_path / "out.json"
    src.write_text(json.dumps(doc))
    proc = run("--input", str(src), "--output", str(out))
    assert proc.returncode == 2
    assert "mentees[1].tz: must be a number in [-12, 14]" in proc.stderr
    assert "mentors[0].capacity: must be an integer in [0, 10000]" in proc.stderr
    assert not out.exists() and proc.stdout == ""


def test_cli_reports_a_missing_file_and_broken_json(tmp_path):
    proc = run("--input", str(tmp_path / "nope.json"), "--output", str(tmp_path / "o.json"))
    assert proc.returncode == 2 and "cannot read" in proc.stderr
    bad = tmp_path / "bad.json"
    bad.write_text("{")
    proc = run("--input", str(bad), "--output", str(tmp_path / "o.json"))
    assert proc.returncode == 2 and "not valid JSON" in proc.stderr


def test_cli_progress_lines_are_json(tmp_path):
    src = tmp_path / "in.json"
    src.write_text(json.dumps(example()))
    proc = run("--input", str(src), "--output", "-", "--progress")
    assert proc.returncode == 0
    phases = [json.loads(line)["phase"] for line in proc.stderr.splitlines()
              if line.startswith("{")]
    assert phases[0] == "scoring" and phases[-1] == "done" and "flow" in phases
    assert json.loads(proc.stdout)["format"] == "mentormatch-result"
