"""Peer pairs: feasible, the reported objective recomputed, optimal against brute force,
sentences and reasons in words."""
import numpy as np
from hypothesis import HealthCheck, given, settings
from peer_people import best_matching, people_docs

from mentormatch.matching.crowd import pair_fit, read_peer_instance, table
from mentormatch.matching.peers import candidate_pairs, solve_pairs

SETTINGS = settings(max_examples=40, deadline=None,
                    suppress_health_check=[HealthCheck.too_slow])


@SETTINGS
@given(people_docs(n_max=9))
def test_pairs_are_feasible_and_the_objective_is_recomputed(doc):
    inst = read_peer_instance(doc)
    res = solve_pairs(inst)
    T = table(inst)
    seen, total = set(), 0
    for p in res.pairs:
        i, j = T.index[p.a], T.index[p.b]
        assert i != j, "no self-pair"
        assert i not in seen and j not in seen, "one pair per person"
        seen |= {i, j}
        assert (min(i, j), max(i, j)) not in T.forbidden
        assert (T.masks[i] & T.masks[j]).bit_count() / 4 >= inst.rules.min_overlap
        assert p.score == pair_fit(T, inst.weights, i, j)
        total += p.score
    assert total == res.objective
    assert {x.id for x in res.left_out} == {p.id for p in inst.people} - \
        {T.people[i].id for i in seen}
    assert all(x.reason.startswith("Not paired: ") for x in res.left_out)


@SETTINGS
@given(people_docs(n_max=9))
def test_pairs_are_optimal_against_brute_force(doc):
    inst = read_peer_instance(doc)
    a, b, s, _ = candidate_pairs(inst)
    res = solve_pairs(inst)
    weight = {(int(x), int(y)): int(w) for x, y, w in zip(a, b, s)}
    assert res.status == "optimal"
    assert res.objective == res.bound == best_matching(len(inst.people), weight)


def person(pid, tz=0, **kw):
    return {"id": pid, "tz": tz, "years": kw.pop("years", 2), **kw}


def doc(people, **rules):
    return {"format": "mentormatch-peers", "version": 1, "task": "pairs", "rules": rules,
            "people": people}


def test_give_and_take_beats_one_sided_help_and_the_sentence_says_who_helps_whom():
    people = [person("Ana", wants=["sql"], offers=["interviews"], context=["career-changer"]),
              person("Ben", wants=["interviews"], offers=["sql"], context=["career-changer"]),
              person("Cy", wants=["sql"], offers=[]), person("Di", wants=["design"], offers=["sql"])]
    res = solve_pairs(read_peer_instance(doc(people)))
    pairs = {(p.a, p.b): p for p in res.pairs}
    assert ("Ana", "Ben") in pairs
    s = pairs[("Ana", "Ben")].sentence
    assert "you both share career-changer" in s
    assert "Ana can help Ben with interviews, Ben can help Ana with sql" in s
    assert "8 h working-time overlap" in s


def test_people_left_out_get_a_reason_that_names_the_cause():
    en = {"languages": ["en"]}
    people = [person("a", **en), person("b", **en), person("far", tz=12, hours=[9, 11], **en),
              person("odd", languages=["fi"]), person("x", **en)]
    inst = read_peer_instance(doc(people, min_overlap=4))
    res = solve_pairs(inst)
    reasons = {x.id: x.reason for x in res.left_out}
    assert "4 have too little working time in common" in reasons["far"]
    assert "share no language" in reasons["odd"]
    assert len(res.pairs) == 1  # a, b and x fit equally: one of them waits
    odd_one = ({"a", "b", "x"} - {res.pairs[0].a, res.pairs[0].b}).pop()
    assert reasons[odd_one] == ("Not paired: all 2 candidate peers went to others "
                                "(a higher total fit).")


def test_the_greedy_baseline_is_reported_and_never_better():
    rng = np.random.default_rng(3)
    topics = ["a", "b", "c", "d", "e", "f"]
    people = [person(f"p{i}", tz=int(rng.integers(-3, 4)), years=int(rng.integers(0, 10)),
                     wants=list(rng.choice(topics, 2, replace=False)),
                     offers=list(rng.choice(topics, 2, replace=False))) for i in range(40)]
    res = solve_pairs(read_peer_instance(doc(people, candidates=5)))
    assert res.status == "optimal"
    assert res.stats["greedy_objective"] <= res.objective
