"""`python -m mentormatch.matching` on hostile numbers and nesting: exit 2 (bad input) with a line
naming the field, never a traceback and exit 1 (which means "infeasible")."""
import json
import subprocess
import sys
from pathlib import Path

import pytest

from tests.security.test_fuzz_instance_reader import VALID

ROOT = Path(__file__).resolve().parents[2]


def document(**changes) -> str:
    d = json.loads(json.dumps(VALID))
    for path, value in changes.items():
        *parents, key = path.split("__")
        target = d
        for p in parents:
            target = target[int(p)] if p.isdigit() else target[p]
        target[key] = value
    return json.dumps(d)


CASES = {
    "capacity 10**30": (document(mentors__0__capacity=10**30), "mentors[0].capacity"),
    "capacity of 100,000 digits": (document(mentors__0__capacity=1).replace('"capacity": 1', '"capacity": ' + "9" * 100_000),
                                   "mentors[0].capacity"),
    "years 1e308": (document(mentees__0__years=1e308), "mentees[0].years"),
    "mentors_per_mentee 10**30": (document(rules__mentors_per_mentee=10**30), "rules.mentors_per_mentee"),
    "max_same_team 2**63": (document(rules__max_same_team=2**63), "rules.max_same_team"),
    "max_continued_per_mentor 10**30": (document(rules__max_continued_per_mentor=10**30),
                                        "rules.max_continued_per_mentor"),
    "min_score 1e308": (document(rules__min_score=1e308), "rules.min_score"),
    "nested 100,000 deep": (document()[:-1] + ', "x": ' + "[" * 100_000 + "]" * 100_000 + "}", "(file)"),
    "nested 500 deep": (document()[:-1] + ', "x": ' + "[" * 500 + "]" * 500 + "}", "(file)"),
}


@pytest.mark.parametrize("name", sorted(CASES))
def test_bad_numbers_and_nesting_exit_2_naming_the_field(name, tmp_path):
    text, field = CASES[name]
    src = tmp_path / "in.json"
    src.write_text(text)
    proc = subprocess.run([sys.executable, "-m", "mentormatch.matching", "--input", str(src),
                           "--output", str(tmp_path / "out.json")], cwd=ROOT, capture_output=True, text=True)
    assert proc.returncode == 2, proc.stderr[-2000:]
    assert "Traceback" not in proc.stderr
    problems = [line.strip() for line in proc.stderr.splitlines()[1:]]
    assert len(problems) == 1 and problems[0].startswith(field + ":"), proc.stderr


def test_the_largest_documented_values_still_solve(tmp_path):
    src = tmp_path / "in.json"
    src.write_text(document(mentors__0__capacity=10_000, mentees__0__years=100, rules__mentors_per_mentee=10_000,
                            rules__min_score=-10**7, rules__max_same_team=10_000))
    proc = subprocess.run([sys.executable, "-m", "mentormatch.matching", "--input", str(src), "--output", "-"],
                          cwd=ROOT, capture_output=True, text=True)
    assert proc.returncode == 0, proc.stderr
    assert json.loads(proc.stdout)["objective"]["pairs"] == 1
