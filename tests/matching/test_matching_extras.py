"""Optional instance extras: mentor preferences, priority, must-match, continuing pairs and
the quality objective.  Each defaults to off, so plain version-1 files score as specified."""
from mentormatch.matching import Instance, Rules, Weights, instance_to_dict, read_instance, score_pair, solve
from tests.matching.people import E, M, pairs


def test_extras_are_off_by_default_and_absent_from_written_files():
    d = instance_to_dict(Instance([E(0)], [M(0)]))
    assert "mentor_pref" not in d["weights"]
    assert not {"objective", "continuity_bonus", "max_continued_per_mentor",
                "min_tz_overlap"} & set(d["rules"])
    assert "priority" not in d["mentees"][0] and "must_match" not in d["mentees"][0]
    assert "continuing" not in d


def test_mentor_preferences_feed_the_mentor_pref_weight():
    e = E(0, topics=["python", "go"], years=2)
    likes = M(0, prefers_topics=["go"], prefers_stages=["ahead"])
    dislikes = M(1, prefers_topics=["rust"], prefers_stages=["senior"])
    neutral = M(2)
    w = Weights(mentor_pref=20)
    inst = Instance([e], [likes, dislikes, neutral], weights=w)
    assert score_pair(inst, "e0", "m0")["why"]["mentor_pref"] == 1.0
    assert score_pair(inst, "e0", "m1")["why"]["mentor_pref"] == 0.0
    assert score_pair(inst, "e0", "m2")["why"]["mentor_pref"] == 1.0  # no stated preference
    assert score_pair(inst, "e0", "m0")["score"] - score_pair(inst, "e0", "m1")["score"] == 20
    # with the default weight 0 the preference changes nothing
    plain = Instance([e], [likes, dislikes])
    assert score_pair(plain, "e0", "m0")["score"] == score_pair(plain, "e0", "m1")["score"]
    assert "mentor_pref" not in score_pair(plain, "e0", "m0")["why"]


def test_priority_adds_to_every_pair_of_the_mentee_and_wins_the_seat():
    es = [E(0), E(1, priority=5)]
    res = solve(Instance(es, [M(0)]))
    assert pairs(res) == {("e1", "m0")}
    assert res.assignment[0].why["priority"] == 5
    assert res.assignment[0].score == score_pair(Instance([E(0)], [M(0)]), "e0", "m0")["score"] + 5


def test_must_match_mentee_is_matched_even_at_the_cost_of_a_pair():
    # e0 can only take m0; e1 can take m0 or m1 but is forced; without must-match both match.
    es = [E(0), E(1, must_match=True, languages=["en", "fr"])]
    ms = [M(0), M(1, languages=["fr"])]
    assert len(solve(Instance(es, ms)).assignment) == 2
    es2 = [E(0), E(1, must_match=True)]
    res = solve(Instance(es2, [M(0)]))
    assert pairs(res) == {("e1", "m0")} and res.objective["must_match"] == 1


def test_must_match_beats_more_pairs():
    # e0 (must) and e1 both only fit m0 (one seat): e0 wins though e1 scores higher.
    es = [E(0, must_match=True, topics=["art"]), E(1)]
    res = solve(Instance(es, [M(0)]))
    assert pairs(res) == {("e0", "m0")}


def test_continuity_bonus_keeps_last_rounds_pair():
    es = [E(0), E(1, topics=["python", "go"])]
    ms = [M(0, topics=["python", "go"]), M(1)]
    base = solve(Instance(es, ms))
    assert ("e1", "m0") in pairs(base)
    cont = solve(Instance(es, ms, continuing=[("e0", "m0")], rules=Rules(continuity_bonus=50)))
    assert ("e0", "m0") in pairs(cont)
    p = next(p for p in cont.assignment if p.mentee == "e0")
    assert p.why["continuity"] == 50 and "continuing from last round" in p.sentence


def test_max_continued_per_mentor_caps_continued_pairs():
    es = [E(i) for i in range(3)]
    ms = [M(0, capacity=3)]
    inst = Instance(es, ms, continuing=[("e0", "m0"), ("e1", "m0"), ("e2", "m0")],
                    rules=Rules(continuity_bonus=10, max_continued_per_mentor=2))
    res = solve(inst)
    assert len(res.assignment) == 2


def test_quality_objective_leaves_people_unmatched_rather_than_add_nothing():
    doc = {"format": "mentormatch-instance", "version": 1,
           "rules": {"objective": "quality"},
           "mentees": [{"id": f"e{i}", "languages": ["en"], "tz": 0, "years": 1,
                        "preference": "peer"} for i in range(3)],
           "mentors": [{"id": "m0", "languages": ["en"], "tz": 0, "years": 1, "capacity": 2},
                       {"id": "m1", "languages": ["en"], "tz": 0, "years": 1, "capacity": 1}],
           "edges": {"mentee": [0, 1, 2, 0], "mentor": [0, 0, 1, 1], "score": [50, 40, 0, 45]}}
    res = solve(read_instance(doc))
    assert pairs(res) == {("e0", "m0"), ("e1", "m0")}  # e2's only pair adds 0
    assert res.objective == {"pairs": 2, "score": 90}
    doc["rules"]["objective"] = "coverage"
    cov = solve(read_instance(doc))
    assert cov.objective["pairs"] == 3


def test_min_tz_overlap_rule():
    res = solve(Instance([E(0, tz=0)], [M(0, tz=6), M(1, tz=2)], rules=Rules(min_tz_overlap=4)))
    assert pairs(res) == {("e0", "m1")}


def test_extras_round_trip_through_the_format():
    inst = Instance([E(0, priority=3, must_match=True)],
                    [M(0, prefers_topics=["python"], prefers_stages=["peer", "ahead"])],
                    weights=Weights(mentor_pref=5), continuing=[("e0", "m0")],
                    rules=Rules(continuity_bonus=7, max_continued_per_mentor=1,
                                objective="quality", min_tz_overlap=2))
    assert read_instance(instance_to_dict(inst)) == inst
