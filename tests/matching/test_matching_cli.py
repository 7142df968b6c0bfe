"""`python -m mentormatch.matching` solves a file with no app and no database."""
import json
import subprocess
import sys
from pathlib import Path

from test_matching_format import example

from mentormatch.matching import read_result

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


def test_the_solve_process_loads_neither_flask_nor_cp_sat_when_the_flow_suffices(tmp_path):
    # Importing the web app (Flask, SQLAlchemy, Alembic) or CP-SAT (pandas) cost more CPU than
    # the whole flow solve of a 1,000-mentee round; the command needs neither.
    src = tmp_path / "in.json"
    src.write_text(json.dumps(example()))
    code = ("import runpy, sys; sys.argv = ['x', '--input', sys.argv[1], '--output', '-'];\n"
            "try:\n    runpy.run_module('mentormatch.matching', run_name='__main__')\n"
            "except SystemExit:\n    pass\n"
            "heavy = sorted(m for m in ('flask', 'sqlalchemy', 'pandas', "
            "'ortools.sat.python.cp_model') if m in sys.modules)\n"
            "print('HEAVY', heavy, file=sys.stderr)")
    proc = subprocess.run([sys.executable, "-c", code, str(src)], cwd=ROOT,
                          capture_output=True, text=True, timeout=120)
    assert "optimal: 2 pairs" in proc.stderr, proc.stderr
    assert "HEAVY []" in proc.stderr, proc.stderr


def test_unsorted_edges_solve_like_sorted_ones(tmp_path):
    import random

    from mentormatch.matching import read_instance, solve
    doc = example()
    n_e, n_m = len(doc["mentees"]), len(doc["mentors"])
    cells = [(i, j) for i in range(n_e) for j in range(n_m)]
    doc["edges"] = {"mentee": [i for i, _ in cells], "mentor": [j for _, j in cells],
                    "score": [(7 * i + 3 * j) % 50 for i, j in cells]}
    shuffled = json.loads(json.dumps(doc))
    order = list(range(len(cells)))
    random.Random(4).shuffle(order)
    for key in ("mentee", "mentor", "score"):
        shuffled["edges"][key] = [doc["edges"][key][k] for k in order]
    a, b = solve(read_instance(doc)), solve(read_instance(shuffled))
    assert a.objective == b.objective
    assert [(p.mentee, p.mentor) for p in a.assignment] == \
        [(p.mentee, p.mentor) for p in b.assignment]
