"""A program's own questions as matching criteria (format version 2): the reader, the three
kinds in the core, and the pair's "why"."""
import copy

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from mentormatch.matching import InstanceError, instance_to_dict, read_instance, score_pair, solve


def person(pid, answers=None, mentor=False):
    d = {"id": pid, "languages": ["en"], "tz": 0, "years": 10 if mentor else 3}
    if mentor:
        d["capacity"] = 1
    else:
        d["preference"] = "ahead"
    if answers:
        d["answers"] = answers
    return d


def doc(kind="same", weight=30, mentees=(), mentors=()):
    return {"format": "mentormatch-instance", "version": 2,
            "criteria": [{"key": "campus", "label": "Campus", "kind": kind, "weight": weight}],
            "mentees": list(mentees), "mentors": list(mentors)}


V1 = {"format": "mentormatch-instance", "version": 1,
      "mentees": [person("e1")], "mentors": [person("m1", mentor=True)]}


def test_version_1_is_still_read_and_written_as_version_1():
    inst = read_instance(copy.deepcopy(V1))
    assert inst.criteria == [] and inst.mentees[0].answers == {}
    assert instance_to_dict(inst)["version"] == 1


def test_version_2_round_trips():
    d = doc(mentees=[person("e1", {"campus": "Lisbon"})],
            mentors=[person("m1", {"campus": "Porto"}, mentor=True)])
    inst = read_instance(d)
    assert inst.criteria[0].label == "Campus" and inst.mentees[0].answers == {"campus": "Lisbon"}
    out = instance_to_dict(inst)
    assert out["version"] == 2 and out["criteria"] == d["criteria"]
    assert read_instance(out) == inst


@pytest.mark.parametrize("change, message", [
    (lambda d: d.__setitem__("version", 1), "criteria: needs version 2"),
    (lambda d: d["criteria"][0].__setitem__("kind", "similar"), "criteria[0].kind: must be one of"),
    (lambda d: d["criteria"][0].__setitem__("weight", -1), "criteria[0].weight: must be a number"),
    (lambda d: d["criteria"][0].pop("key"), "criteria[0].key: is required"),
    (lambda d: d["criteria"].append(dict(d["criteria"][0])),
     "criteria[1].key: \"campus\" is already used"),
    (lambda d: d.__setitem__("criteria", [{"key": f"k{i}", "kind": "same"} for i in range(21)]),
     "criteria: has 21 entries; at most 20"),
    (lambda d: d["mentees"][0].__setitem__("answers", {"team": "x"}),
     "mentees[0].answers.team: is not the key of any criterion"),
    (lambda d: d["mentors"][0].__setitem__("answers", {"campus": ""}),
     "mentors[0].answers.campus: must be a non-empty string"),
    (lambda d: d["mentors"][0].__setitem__("answers", ["Lisbon"]),
     "mentors[0].answers: must be an object"),
    (lambda d: d.__setitem__("criteria", {"campus": "same"}), "criteria: must be a list"),
])
def test_every_bad_criterion_field_is_named(change, message):
    d = doc(mentees=[person("e1", {"campus": "Lisbon"})],
            mentors=[person("m1", {"campus": "Lisbon"}, mentor=True)])
    change(d)
    with pytest.raises(InstanceError) as e:
        read_instance(d)
    assert any(x.startswith(message) for x in e.value.errors), e.value.errors


def test_answers_in_a_version_1_file_are_named():
    d = copy.deepcopy(V1)
    d["mentees"][0]["answers"] = {"campus": "Lisbon"}
    with pytest.raises(InstanceError) as e:
        read_instance(d)
    assert "mentees[0].answers: needs version 2 (version 1 has no answers)" in e.value.errors


def two_by_two(kind, weight=30):
    # Without the criterion the mentee would take m1 (listed first, same score otherwise).
    return read_instance(doc(kind, weight, mentees=[person("e1", {"campus": "Lisbon"})],
                             mentors=[person("m1", {"campus": "Porto"}, mentor=True),
                                      person("m2", {"campus": "Lisbon"}, mentor=True)]))


def test_same_answer_scores_its_weight_and_says_so():
    inst = two_by_two("same")
    res = solve(inst)
    assert [(p.mentee, p.mentor) for p in res.assignment] == [("e1", "m2")]
    same, other = score_pair(inst, "e1", "m2"), score_pair(inst, "e1", "m1")
    assert same["score"] - other["score"] == 30
    assert same["why"]["criteria"] == 1.0 and other["why"].get("criteria", 0) == 0
    assert "both answered Campus: Lisbon" in res.assignment[0].sentence


def test_different_answer_scores_the_other_side():
    res = solve(two_by_two("different"))
    assert [(p.mentee, p.mentor) for p in res.assignment] == [("e1", "m1")]
    assert "different answers to Campus (Lisbon / Porto)" in res.assignment[0].sentence


def test_must_match_rules_out_another_answer_with_a_reason():
    inst = read_instance(doc("must_match", 0, mentees=[person("e1", {"campus": "Lisbon"})],
                             mentors=[person("m1", {"campus": "Porto"}, mentor=True)]))
    res = solve(inst)
    assert res.assignment == []
    assert res.unmatched[0].reasons == [("criterion_mismatch", 1)]
    assert "gave another answer to a question that must match" in res.unmatched[0].sentence
    assert score_pair(inst, "e1", "m1")["reason"] == "criterion_mismatch"


def test_a_missing_answer_never_counts_as_the_same():
    inst = read_instance(doc("same", 30, mentees=[person("e1")],
                             mentors=[person("m1", mentor=True)]))
    assert score_pair(inst, "e1", "m1")["why"].get("criteria", 0) == 0


CAMPUSES = ["Lisbon", "Porto", "Faro"]


@settings(max_examples=60, deadline=None)
@given(st.lists(st.one_of(st.none(), st.sampled_from(CAMPUSES)), min_size=1, max_size=8),
       st.lists(st.tuples(st.one_of(st.none(), st.sampled_from(CAMPUSES)),
                          st.integers(0, 3)), min_size=1, max_size=6),
       st.lists(st.sampled_from(["same", "different"]), max_size=2))
def test_a_must_match_is_never_broken(mentee_answers, mentors, others):
    criteria = [{"key": "campus", "label": "Campus", "kind": "must_match", "weight": 5}]
    criteria += [{"key": f"q{i}", "label": f"Q{i}", "kind": k, "weight": 20}
                 for i, k in enumerate(others)]

    def answers(a, i):
        out = {f"q{k}": CAMPUSES[(i + k) % 3] for k in range(len(others))}
        if a is not None:
            out["campus"] = a
        return out

    d = {"format": "mentormatch-instance", "version": 2, "criteria": criteria,
         "mentees": [person(f"e{i}", answers(a, i)) for i, a in enumerate(mentee_answers)],
         "mentors": [dict(person(f"m{j}", answers(a, j), mentor=True), capacity=cap)
                     for j, (a, cap) in enumerate(mentors)]}
    inst = read_instance(d)
    res = solve(inst, time_limit=10)
    by_id = {p.id: p for p in inst.mentees + inst.mentors}
    for p in res.assignment:
        want = by_id[p.mentee].answers.get("campus")
        assert want is None or by_id[p.mentor].answers.get("campus") == want
    # The rule removes only what it must: a mentee who answered nothing still gets a free seat.
    free = sum(c for _, c in mentors)
    if all(a is None for a in mentee_answers):
        assert len(res.assignment) == min(len(mentee_answers), free)


def test_the_pruned_path_falls_back_to_the_full_one_when_there_are_criteria():
    from mentormatch.matching import pruned

    assert pruned.supported(read_instance(copy.deepcopy(V1)))
    assert not pruned.supported(two_by_two("same"))
    assert pruned.choose_keep(two_by_two("same"), 5) is None
