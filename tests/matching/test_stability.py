"""Blocking pairs: the count in every result equals a brute-force count, and the listed pairs
are blocking with the gains they say."""
from hypothesis import HealthCheck, given, settings
from mm_reference import instances

from mentormatch.matching import Instance, read_instance, read_result, result_to_dict, solve
from mentormatch.matching.solver import build
from tests.matching.people import E, M


def brute_force_blocking(doc, res) -> dict[tuple[str, str], tuple[int, int, int]]:
    """Every candidate pair, one at a time, against the result's pairs."""
    pb = build(read_instance(doc), threads=1)
    k = (doc.get("rules") or {}).get("mentors_per_mentee", 1)
    cap = {m["id"]: m["capacity"] for m in doc["mentors"]}
    got = {(p.mentee, p.mentor) for p in res.assignment}
    mine: dict[str, list[int]] = {}
    theirs: dict[str, list[int]] = {}
    for p in res.assignment:
        mine.setdefault(p.mentee, []).append(p.score)
        theirs.setdefault(p.mentor, []).append(p.score)
    out = {}
    for c in range(pb.cand.n):
        e = pb.inst.mentees[int(pb.cand.ei[c])].id
        m = pb.inst.mentors[int(pb.cand.mj[c])].id
        s = int(pb.cand.score[c])
        if (e, m) in got:
            continue
        e_has, m_has = mine.get(e, []), theirs.get(m, [])
        e_wants = len(e_has) < k or s > min(e_has)
        m_wants = len(m_has) < cap[m] or (len(m_has) > 0 and s > min(m_has))
        if e_wants and m_wants:
            out[(e, m)] = (s, s - (min(e_has) if len(e_has) >= k else 0),
                           s - (min(m_has) if m_has and len(m_has) >= cap[m] else 0))
    return out


@settings(max_examples=120, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(doc=instances(max_mentees=6, max_mentors=4))
def test_blocking_pairs_match_a_brute_force_count(doc):
    res = solve(read_instance(doc), time_limit=10)
    if res.status == "infeasible":
        return
    expected = brute_force_blocking(doc, res)
    assert res.stats["blocking_pairs"] == len(expected)
    assert len(res.blocking) == min(len(expected), 100)
    for b in res.blocking:
        assert expected[(b.mentee, b.mentor)] == (b.score, b.mentee_gain, b.mentor_gain)
    # The list survives the result file.
    back = read_result(result_to_dict(res))
    assert back.blocking == res.blocking


def test_the_optimum_can_block_where_the_greedy_answer_would_not():
    # e0 and m0 fit each other best, but (e0, m1) + (e1, m0) has the higher total score than
    # (e0, m0) + (e1, m1): the optimum takes it and leaves (e0, m0) blocking.
    es = [E(0, topics=["python", "go"]), E(1, topics=["go", "sql"])]
    ms = [M(0, topics=["python", "go"]), M(1, topics=["python"])]
    res = solve(Instance(es, ms))
    assert {(p.mentee, p.mentor) for p in res.assignment} == {("e0", "m1"), ("e1", "m0")}
    assert res.stats["blocking_pairs"] == 1
    (b,) = res.blocking
    assert (b.mentee, b.mentor) == ("e0", "m0")
    got = {p.mentee: p.score for p in res.assignment}
    assert b.mentee_gain == b.score - got["e0"] > 0
    assert b.mentor_gain == b.score - got["e1"] > 0
