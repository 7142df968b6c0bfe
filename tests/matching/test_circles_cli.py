"""`python -m mentormatch.circles` and the "mentormatch-peers" format: every bad field named."""
import json
import subprocess
import sys
from pathlib import Path

import pytest

from mentormatch.matching import InstanceError
from mentormatch.matching.crowd import peer_instance_to_dict, read_peer_instance

ROOT = Path(__file__).resolve().parents[2]
EXAMPLES = ROOT / "docs" / "examples"


def run(*args):
    return subprocess.run([sys.executable, "-m", "mentormatch.circles", *args], cwd=ROOT,
                          capture_output=True, text=True, timeout=300)


def test_cli_forms_circles_from_the_documented_example(tmp_path):
    out = tmp_path / "out.json"
    proc = run("--input", str(EXAMPLES / "peers-circles.json"), "--output", str(out))
    assert proc.returncode == 0, proc.stderr
    res = json.loads(out.read_text())
    assert res["format"] == "mentormatch-peers-result" and res["task"] == "circles"
    assert [c["members"] for c in res["circles"]] == [["Ana", "Ben", "Cleo", "Dev", "Eli"]]
    assert res["circles"][0]["facilitator"] == "Eli"
    assert res["left_out"] == [{"id": "Fay", "reason": "Not placed: fewer than 4 people share "
                                "2 h of working time with them."}]
    assert res["objective"] <= res["bound"]
    assert "1 circles" in proc.stderr


def test_cli_pairs_peers_from_the_documented_example(tmp_path):
    out = tmp_path / "out.json"
    proc = run("--input", str(EXAMPLES / "peers-pairs.json"), "--output", str(out))
    assert proc.returncode == 0, proc.stderr
    res = json.loads(out.read_text())
    assert res["status"] == "optimal" and res["gap"] == 0
    assert [(p["a"], p["b"]) for p in res["pairs"]] == [("Ana", "Ben")]
    assert "Ben can help Ana with SQL" in res["pairs"][0]["sentence"]


def test_cli_names_every_bad_field_and_writes_nothing(tmp_path):
    doc = json.loads((EXAMPLES / "peers-circles.json").read_text())
    doc["people"][0]["tz"] = 20
    doc["people"][1]["hours"] = [9, 9]
    doc["people"][2]["id"] = "Ana"
    doc["rules"]["circle_min"] = 9
    src, out = tmp_path / "in.json", tmp_path / "out.json"
    src.write_text(json.dumps(doc))
    proc = run("--input", str(src), "--output", str(out))
    assert proc.returncode == 2
    for line in ("people[0].tz: must be a number in [-12, 14]",
                 "people[1].hours: must be [start, end]: two different local hours in [0, 24]",
                 "people[2].id: 'Ana' is also people[0]",
                 "rules.circle_min: must not exceed rules.circle_max (8)"):
        assert line in proc.stderr
    assert not out.exists()


def test_cli_rejects_a_file_that_is_not_json(tmp_path):
    src = tmp_path / "in.json"
    src.write_text("{not json")
    proc = run("--input", str(src), "--output", str(tmp_path / "o.json"))
    assert proc.returncode == 2 and "(file): not valid JSON" in proc.stderr


def base():
    return json.loads((EXAMPLES / "peers-pairs.json").read_text())


@pytest.mark.parametrize("change, error", [
    (lambda d: d.update(format="x"), 'format: must be "mentormatch-peers"'),
    (lambda d: d.update(version=2), "version: must be 1"),
    (lambda d: d.update(task="groups"), 'task: must be "pairs" or "circles"'),
    (lambda d: d.update(people={}), "people: must be a list"),
    (lambda d: d["people"].append(3), "people[3]: must be an object"),
    (lambda d: d["people"][0].pop("years"), "people[0].years: is required"),
    (lambda d: d["people"][0].update(years=True), "people[0].years: must be a number in [0, 100]"),
    (lambda d: d["people"][1].update(wants="sql"), "people[1].wants: must be a list of non-empty strings"),
    (lambda d: d["people"][1].update(offers=[""]), "people[1].offers: must be a list of non-empty strings"),
    (lambda d: d["people"][2].update(facilitator="yes"), "people[2].facilitator: must be true or false"),
    (lambda d: d["people"][2].update(id=""), "people[2].id: must be a non-empty string"),
    (lambda d: d["rules"].update(candidates=0), "rules.candidates: must be an integer in [1, 1000]"),
    (lambda d: d["rules"].update(min_overlap=9), "rules.min_overlap: must be a number in [0, 8]"),
    (lambda d: d["rules"].update(effort=0), "rules.effort: must be a number in [0.1, 10000]"),
    (lambda d: d["rules"].update(cluster_size=5), "rules.cluster_size: must be at least rules.circle_max (8)"),
    (lambda d: d.update(weights={"topics": -1}),
     "weights.topics: must be a number in [0, 1000]"),
    (lambda d: d.update(forbidden=[{"a": "Ana", "b": "Zed"}]), "forbidden[0].b: 'Zed' is not a person's id"),
    (lambda d: d.update(forbidden=[{"a": "Ana", "b": "Ana"}]),
     "forbidden[0]: a person cannot be ruled out with themselves"),
])
def test_each_bad_field_is_named(change, error):
    doc = base()
    change(doc)
    with pytest.raises(InstanceError) as e:
        read_peer_instance(doc)
    assert error in e.value.errors


def test_the_writer_round_trips():
    inst = read_peer_instance(base())
    again = read_peer_instance(peer_instance_to_dict(inst))
    assert again == inst
