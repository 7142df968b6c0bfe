"""Explanations: every pair has a breakdown and a sentence; every unmatched mentee has reason
codes with counts that account for every mentor, and a sentence."""
import numpy as np
import pytest
from hypothesis import HealthCheck, given, settings
from mm_reference import instances

from mentormatch.matching import GroupBalance, Instance, Rules, Weights, explain_pair, read_instance, solve
from mentormatch.matching.explain import REASONS, reason_text
from mentormatch.matching.solver import build, unmatched_reasons
from tests.matching.people import E, M


def reasons_of(res, mentee="e0"):
    return dict(next(u for u in res.unmatched if u.mentee == mentee).reasons)


def test_pair_sentence_reads_like_the_issue_example():
    e = E(0, industry="fintech", tags=["first-gen", "parent"], context_matters=["industry", "tags"],
          topics=["python", "sql", "go"], years=2, tz=0)
    m = M(0, industry="fintech", tags=["first-gen"], topics=["python", "go"], years=6, tz=2)
    res = solve(Instance([e], [m]))
    p = res.assignment[0]
    assert p.sentence == ("shares fintech and first-gen; 4 years ahead, as asked; covers 2 of 3 "
                          "topics (python, go); 6 h working-time overlap")
    assert set(p.why) == {"topics", "context", "stage", "tz"}
    assert p.why["tz"] == 0.75 and p.why["stage"] == 1.0


def test_stage_outside_the_preference_is_said_so():
    res = solve(Instance([E(0, preference="peer", years=1)], [M(0, years=13)]))
    assert "12 years ahead (asked for a peer)" in res.assignment[0].sentence


def test_reason_no_shared_language_and_below_min_score_and_capacity_full():
    es = [E(0, topics=["python", "go"]), E(1, topics=["python", "go"])]
    ms = [M(0, topics=["python", "go"]), M(1, languages=["pt"]), M(2, languages=["pt"]),
          M(3, topics=["art"], tz=10)]
    res = solve(Instance(es, ms, rules=Rules(min_score=50)))
    assert len(res.unmatched) == 1
    u = res.unmatched[0]
    assert u.reasons == [("no_shared_language", 2), ("below_min_score", 1), ("capacity_full", 1)]
    assert u.sentence == ("No mentor: 2 mentors have no shared language with them; the fit with 1 mentor is below "
                          "the round's minimum score; the only candidate's seat went to someone else. "
                          "To fix: ask a candidate mentor for one more seat, or swap this mentee in by hand.")


def test_reason_mentor_unavailable_forbidden_and_min_overlap():
    ms = [M(0, capacity=0), M(1), M(2, tz=9)]
    res = solve(Instance([E(0)], ms, forbidden=[("e0", "m1")], rules=Rules(min_tz_overlap=4)))
    assert reasons_of(res) == {"mentor_unavailable": 1, "forbidden": 1, "below_min_overlap": 1}
    assert res.unmatched[0].sentence == (
        "No mentor: 1 mentor offers no seats; you ruled out the pair with 1 mentor; 1 mentor's working hours "
        "overlap too little with theirs; so no mentor could take them. "
        "To fix: lower the minimum working-time overlap in the round's rules.")


@pytest.mark.parametrize("code, n, text", [
    ("mentor_unavailable", 1, "1 mentor offers no seats"), ("mentor_unavailable", 2, "2 mentors offer no seats"),
    ("no_shared_language", 1, "1 mentor has no shared language with them"),
    ("capacity_full", 3, "the seats of 3 candidates went to others"),
    ("not_chosen", 1, "1 candidate was not chosen before the solve stopped"),
    ("team_cap", 1, "1 candidate already has the most mentees allowed from the same team"),
])
def test_reason_sentences_agree_with_their_count(code, n, text):
    assert reason_text(code, n) == text


def test_every_reason_reads_for_one_and_for_many():
    for code in REASONS:
        one, many = reason_text(code, 1), reason_text(code, 7)
        assert "1 " in one and "7 " in many and "{" not in one + many and one != many.replace("7", "1")


def test_reason_not_a_candidate_with_edges():
    doc = {"format": "mentormatch-instance", "version": 1,
           "mentees": [{"id": "a", "languages": ["en"], "tz": 0, "years": 1, "preference": "peer"},
                       {"id": "b", "languages": ["en"], "tz": 0, "years": 1, "preference": "peer"}],
           "mentors": [{"id": "x", "languages": ["en"], "tz": 0, "years": 1, "capacity": 1},
                       {"id": "y", "languages": ["en"], "tz": 0, "years": 1, "capacity": 1},
                       {"id": "z", "languages": ["en"], "tz": 0, "years": 1, "capacity": 1}],
           "forbidden": [{"mentee": "b", "mentor": "y"}],
           "edges": {"mentee": [0, 1], "mentor": [0, 0], "score": [10, 5]}}
    res = solve(read_instance(doc))
    assert res.unmatched[0].mentee == "b"
    assert dict(res.unmatched[0].reasons) == {"forbidden": 1, "not_a_candidate": 1,
                                              "capacity_full": 1}


def test_reason_team_cap():
    es = [E(0, team="t"), E(1, team="t")]
    res = solve(Instance(es, [M(0, capacity=2)], rules=Rules(max_same_team=1)))
    assert len(res.assignment) == 1
    assert dict(res.unmatched[0].reasons) == {"team_cap": 1}
    assert "same team" in res.unmatched[0].sentence


def test_reason_continued_cap():
    es = [E(0), E(1)]
    inst = Instance(es, [M(0, capacity=2)], continuing=[("e0", "m0"), ("e1", "m0")],
                    rules=Rules(max_continued_per_mentor=1))
    res = solve(inst)
    # Both pairs exist only as continuing ones, and the mentor keeps at most one.
    assert len(res.assignment) == 1
    assert dict(res.unmatched[0].reasons) == {"continued_cap": 1}


def test_reason_no_gain_under_the_quality_objective():
    doc = {"format": "mentormatch-instance", "version": 1, "rules": {"objective": "quality"},
           "mentees": [{"id": "a", "languages": ["en"], "tz": 0, "years": 1, "preference": "peer"}],
           "mentors": [{"id": "x", "languages": ["en"], "tz": 0, "years": 1, "capacity": 1}],
           "edges": {"mentee": [0], "mentor": [0], "score": [0]}}
    res = solve(read_instance(doc))
    assert res.assignment == [] and dict(res.unmatched[0].reasons) == {"no_gain": 1}


def test_reason_group_balance():
    # Two "rare" mentees can never be matched (no shared language), so balance with slack 0
    # keeps the overall rate down to theirs: nobody else may be matched either.
    es = [E(0, tags=["rare"], languages=["xx"]), E(1, tags=["common"]), E(2, tags=["common"])]
    res = solve(Instance(es, [M(0, capacity=2)],
                         rules=Rules(group_balance=GroupBalance(by="tags", slack=0.0))))
    assert res.status == "optimal" and res.assignment == []
    assert dict(reasons_of(res, "e1")) == {"group_balance": 1}
    assert "groups stay balanced" in next(u for u in res.unmatched if u.mentee == "e1").sentence


def test_reason_not_chosen_when_a_free_seat_was_left():
    pb = build(Instance([E(0)], [M(0)]))
    out = unmatched_reasons(pb, np.zeros(pb.cand.n, dtype=bool), False)
    assert out[0].reasons == [("not_chosen", 1)]
    assert "before the solve stopped" in out[0].sentence


def test_no_mentors_at_all():
    res = solve(Instance([E(0)], []))
    assert res.unmatched[0].reasons == [] and "no mentors" in res.unmatched[0].sentence


@settings(max_examples=60, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(doc=instances())
def test_reason_counts_account_for_every_mentor(doc):
    res = solve(read_instance(doc), time_limit=10)
    if res.status == "infeasible":
        return
    for u in res.unmatched:
        assert sum(n for _, n in u.reasons) == len(doc["mentors"])
        assert all(n > 0 for _, n in u.reasons)
        assert u.sentence.startswith("No mentor")
    for p in res.assignment:
        assert p.sentence
        if "edges" not in doc:
            assert {"topics", "context", "stage", "tz"} <= set(p.why)


def test_explain_pair_for_a_pair_and_a_non_pair():
    inst = Instance([E(0)], [M(0), M(1, languages=["de"])], weights=Weights())
    assert explain_pair(inst, "e0", "m0").startswith("Score ")
    assert explain_pair(inst, "e0", "m1").startswith("Not a candidate (no_shared_language")
