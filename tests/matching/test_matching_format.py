"""Reading and writing the interchange format: valid files round-trip, bad files are rejected
with a message that names the field."""
import copy
import json

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st
from mm_reference import instances

from mentormatch.matching import (
    InstanceError,
    ResultError,
    formats,
    instance_to_dict,
    load_instance,
    read_instance,
    read_result,
    result_to_dict,
    solve,
)

FORMATS_EXAMPLE = {
    "format": "mentormatch-instance",
    "version": 1,
    "weights": {"topics": 40, "context": 20, "stage": 25, "tz": 15},
    "rules": {"min_score": 45, "mentors_per_mentee": 1, "max_same_team": None,
              "group_balance": None},
    "mentees": [
        {"id": "e0000", "industry": "software", "tags": ["first-gen"], "languages": ["es", "en"],
         "tz": -5.0, "years": 3, "topics": ["python", "interviewing"], "preference": "ahead",
         "context_matters": ["industry", "tags"], "team": "platform"},
        {"id": "e0001", "languages": ["en"], "tz": 1, "years": 0, "preference": "senior"},
    ],
    "mentors": [
        {"id": "m000", "industry": "finance", "tags": ["parent"], "languages": ["en"],
         "tz": -6.0, "years": 9, "topics": ["sql", "python", "promotion"], "capacity": 3},
        {"id": "m001", "languages": ["en"], "tz": 0, "years": 12, "capacity": 1},
    ],
    "forbidden": [{"mentee": "e0001", "mentor": "m000"}],
    "locked": [{"mentee": "e0001", "mentor": "m001"}],
}


def example():
    return copy.deepcopy(FORMATS_EXAMPLE)


def errors_of(doc):
    with pytest.raises(InstanceError) as info:
        read_instance(doc)
    assert isinstance(info.value, ValueError)
    return info.value.errors


def test_formats_example_reads_and_round_trips():
    inst = read_instance(example())
    assert [e.id for e in inst.mentees] == ["e0000", "e0001"]
    assert inst.mentees[0].team == "platform"
    assert inst.mentees[1].topics == [] and inst.mentees[1].context_matters == []
    assert inst.forbidden == [("e0001", "m000")] and inst.locked == [("e0001", "m001")]
    again = read_instance(json.loads(json.dumps(instance_to_dict(inst))))
    assert again == inst


def test_unknown_keys_are_ignored():
    doc = example()
    doc["generator"] = "csv export"
    doc["mentees"][0]["favourite_colour"] = "green"
    doc["rules"]["future_rule"] = 3
    assert read_instance(doc).mentees[0].id == "e0000"


@pytest.mark.parametrize("mutate, expected", [
    (lambda d: d["mentees"][1].__setitem__("tz", 20), "mentees[1].tz: must be a number in [-12, 14]"),
    (lambda d: d["mentees"][0].__setitem__("tz", "-5"), "mentees[0].tz: must be a number in [-12, 14]"),
    (lambda d: d["mentors"][0].__setitem__("years", -1), "mentors[0].years: must be a number in [0, 100]"),
    (lambda d: d["mentors"][1].__setitem__("capacity", 1.5), "mentors[1].capacity: must be an integer in [0, 10000]"),
    (lambda d: d["mentors"][1].pop("capacity"), "mentors[1].capacity: is required"),
    (lambda d: d["mentees"][0].__setitem__("preference", "boss"), 'mentees[0].preference: must be one of "peer", "ahead", "senior"'),
    (lambda d: d["mentees"][0].__setitem__("context_matters", ["industry", "age"]), "mentees[0].context_matters[1]: must be one of"),
    (lambda d: d["mentees"][0].__setitem__("languages", "en"), "mentees[0].languages: must be a list of strings"),
    (lambda d: d["mentees"][0].__setitem__("topics", ["python", 3]), "mentees[0].topics[1]: must be a non-empty string"),
    (lambda d: d["mentors"][1].__setitem__("id", "e0000"), 'mentors[1].id: "e0000" is already used by mentees[0]'),
    (lambda d: d["mentees"][1].__setitem__("id", ""), "mentees[1].id: must be a non-empty string"),
    (lambda d: d.__setitem__("version", 3), "version: must be 1 or 2"),
    (lambda d: d.__setitem__("format", "other"), 'format: must be "mentormatch-instance"'),
    (lambda d: d.__setitem__("mentees", {}), "mentees: must be a list"),
    (lambda d: d.pop("mentors"), "mentors: is required"),
    (lambda d: d["weights"].__setitem__("tz", -1), "weights.tz: must be a number in [0, 1000]"),
    (lambda d: d["rules"].__setitem__("mentors_per_mentee", 0), "rules.mentors_per_mentee: must be an integer in [1, 10000]"),
    (lambda d: d["rules"].__setitem__("max_same_team", 0), "rules.max_same_team: must be an integer in [1, 10000]"),
    (lambda d: d["rules"].__setitem__("min_score", "high"), "rules.min_score: must be a number"),
    (lambda d: d["rules"].__setitem__("group_balance", {"by": "shoe", "slack": 0.1}), "rules.group_balance.by: must be one of"),
    (lambda d: d["rules"].__setitem__("group_balance", {"by": "tags", "slack": 2}), "rules.group_balance.slack: must be a number in [0, 1]"),
    (lambda d: d["rules"].__setitem__("objective", "speed"), "rules.objective: must be one of"),
    (lambda d: d["forbidden"].append({"mentee": "e9", "mentor": "m000"}), 'forbidden[1].mentee: unknown mentee id "e9"'),
    (lambda d: d["locked"].append({"mentee": "e0000", "mentor": "x"}), 'locked[1].mentor: unknown mentor id "x"'),
    (lambda d: d["locked"].append({"mentee": "e0001", "mentor": "m000"}), "locked[1]: pair (e0001, m000) is also forbidden"),
    (lambda d: d["locked"].append({"mentee": "e0001", "mentor": "m001"}), "locked[1]: pair (e0001, m001) is listed twice"),
    (lambda d: d["locked"].append({"mentee": "e0000", "mentor": "m001"}), 'mentors[1].capacity: "m001" has 2 locked mentees but capacity 1'),
    (lambda d: (d["mentors"][0].__setitem__("capacity", 5), d["locked"].append({"mentee": "e0001", "mentor": "m000"}), d["forbidden"].clear()),
     'mentees[1]: "e0001" is locked to 2 mentors but rules.mentors_per_mentee is 1'),
    (lambda d: d.__setitem__("edges", {"mentee": [0, 1], "mentor": [0], "score": [1, 2]}), "edges: mentee, mentor and score must have the same length"),
    (lambda d: d.__setitem__("edges", {"mentee": [0, 2], "mentor": [0, 0], "score": [1, 2]}), "edges.mentee[1]: 2 is not a position in mentees (0..1)"),
    (lambda d: d.__setitem__("edges", {"mentee": [0, 1], "mentor": [0, 1], "score": [1, 2.5]}), "edges.score[1]: must be an integer"),
    (lambda d: d.__setitem__("edges", {"mentee": [0, 0], "mentor": [1, 1], "score": [1, 2]}), "appears more than once in edges"),
    (lambda d: d.__setitem__("edges", [1, 2]), "edges: must be an object"),
    (lambda d: d["mentees"][0].__setitem__("priority", "high"), "mentees[0].priority: must be an integer"),
    (lambda d: d["mentees"][0].__setitem__("must_match", "yes"), "mentees[0].must_match: must be true or false"),
    (lambda d: d["mentors"][0].__setitem__("prefers_stages", ["junior"]), "mentors[0].prefers_stages[0]: must be one of"),
    (lambda d: d.__setitem__("continuing", [{"mentee": "e0000"}]), "continuing[0].mentor: is required"),
    (lambda d: d["rules"].__setitem__("min_tz_overlap", 9), "rules.min_tz_overlap: must be a number in [0, 8]"),
])
def test_each_kind_of_bad_file_is_rejected_with_the_field_named(mutate, expected):
    doc = example()
    mutate(doc)
    errors = errors_of(doc)
    assert any(expected in e for e in errors), errors


def test_all_errors_are_collected_not_just_the_first():
    doc = example()
    doc["mentees"][0]["tz"] = 99
    doc["mentors"][1]["capacity"] = -2
    doc["weights"]["stage"] = "a lot"
    errors = errors_of(doc)
    assert len(errors) == 3
    assert errors[0].startswith("weights.stage: ")
    assert any(e.startswith("mentees[0].tz: ") for e in errors)
    assert any(e.startswith("mentors[1].capacity: ") for e in errors)


def test_root_must_be_an_object():
    assert errors_of([1, 2]) == ["(root): must be a JSON object"]


def test_load_instance_rejects_a_file_that_is_not_json(tmp_path):
    path = tmp_path / "bad.json"
    path.write_text("{not json")
    with pytest.raises(InstanceError) as info:
        load_instance(path)
    assert info.value.errors[0].startswith("(file): not valid JSON")


BAD_VALUES = {
    "tz": [15, -13, "0", None, True, float("nan")],
    "years": [-0.5, "3", None, [1]],
    "languages": ["en", [""], [1], None],
    "preference": ["", "mentor", 1],
    "id": [3, "", None],
}


@settings(max_examples=60, deadline=None)
@given(doc=instances(max_mentees=3, max_mentors=2, extras=False, balance=False, edges=False),
       data=st.data())
def test_any_single_bad_field_is_named_in_the_errors(doc, data):
    key = data.draw(st.sampled_from(sorted(BAD_VALUES)))
    value = data.draw(st.sampled_from(BAD_VALUES[key]))
    side = "mentees" if key == "preference" else data.draw(st.sampled_from(["mentees", "mentors"]))
    i = data.draw(st.integers(0, len(doc[side]) - 1))
    doc[side][i][key] = value
    errors = errors_of(doc)
    assert any(e.startswith(f"{side}[{i}].{key}") for e in errors), errors


@settings(max_examples=40, deadline=None)
@given(doc=instances())
def test_valid_random_instances_round_trip(doc):
    inst = read_instance(doc)
    assert read_instance(json.loads(json.dumps(instance_to_dict(inst)))) == inst


def test_result_round_trips_through_json():
    res = solve(read_instance(example()))
    d = json.loads(json.dumps(result_to_dict(res)))
    assert d["format"] == "mentormatch-result" and d["version"] == 1
    back = read_result(d)
    assert back.assignment == res.assignment
    assert back.unmatched == res.unmatched
    assert back.objective == res.objective and back.status == res.status


def test_read_result_rejects_bad_reasons_and_status():
    d = result_to_dict(solve(read_instance(example())))
    d["status"] = "great"
    d["unmatched"] = [{"mentee": "e1", "reasons": ["no_shared_language"]}]
    with pytest.raises(ResultError) as info:
        read_result(d)
    assert any(e.startswith("status:") for e in info.value.errors)
    assert any(e.startswith("unmatched[0].reasons[0]") for e in info.value.errors)


def test_load_instance_finds_deep_nesting_behind_plain_numbers_and_long_digits_in_a_string(
        tmp_path):
    # The depth walk skips lists of plain values in one C call; a list that mixes numbers
    # with a deeply nested one is still walked.  A long digit run inside a string only
    # switches the reader to its per-number check, and the file still reads.
    doc = example()
    text = json.dumps(doc)[:-1] + ', "x": [1, 2, ' + "[" * 70 + "]" * 70 + "]}"
    path = tmp_path / "deep.json"
    path.write_text(text)
    with pytest.raises(InstanceError) as e:
        load_instance(path)
    assert "nested deeper" in e.value.errors[0]
    doc["mentees"][0]["id"] = "1" * 40
    path.write_text(json.dumps(doc))
    assert load_instance(path).mentees[0].id == "1" * 40


def _depth(v) -> int:
    if isinstance(v, dict):
        return 1 + max(map(_depth, v.values()), default=0)
    if isinstance(v, list):
        return 1 + max(map(_depth, v), default=0)
    return 0


_tricky = st.text(alphabet='[]{}"\\\\ a1é', max_size=8)
_json = st.recursive(st.none() | st.integers() | _tricky,
                     lambda kids: st.lists(kids, max_size=3) | st.dictionaries(_tricky, kids, max_size=3),
                     max_leaves=30)


@settings(max_examples=300, deadline=None)
@given(_json, st.booleans())
def test_the_byte_scan_finds_the_depth_json_parsed_whatever_the_strings_hold(value, ascii_only):
    # Brackets, quotes and backslashes inside strings must not count; the scan reads the text.
    text = json.dumps(value, ensure_ascii=ascii_only)
    assert formats.json_depth(formats.json_bytes(text)) == _depth(value)


@settings(max_examples=300, deadline=None)
@given(st.lists(st.integers(min_value=0, max_value=10 ** 40) | st.text(alphabet="0123456789x", max_size=40)))
def test_the_block_check_never_misses_a_long_digit_run(items):
    text = json.dumps(items)
    if formats.LONG_NUMBER.search(text):
        assert formats.may_hold_long_number(formats.json_bytes(text))
