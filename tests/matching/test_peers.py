"""Peer pairs: feasible, the reported objective recomputed, optimal against brute force,
sentences and reasons in words; the LP with blossom cuts, its certified bound, and the CP-SAT
fallback."""
from itertools import combinations

import numpy as np
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from peer_people import best_matching, people_docs

from mentormatch.matching.crowd import pair_fit, read_peer_instance, table
from mentormatch.matching.peers import (
    best_pairs,
    candidate_pairs,
    certified_bound,
    greedy_pairs,
    odd_sets_exact,
    relax,
    search_pairs,
    solve_pairs,
)

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


def edges(weight: dict[tuple[int, int], int]):
    keys = sorted(weight)
    return (np.array([k[0] for k in keys], dtype=np.int64), np.array([k[1] for k in keys], dtype=np.int64),
            np.array([weight[k] for k in keys], dtype=np.int64))


@st.composite
def graphs(draw, n_max=9):
    """A general graph with few distinct weights, so ties make the degree LP fractional."""
    n = draw(st.integers(2, n_max))
    pairs = [(i, j) for i in range(n) for j in range(i + 1, n)]
    kept = draw(st.lists(st.sampled_from(pairs), unique=True, max_size=len(pairs)))
    return n, {e: draw(st.integers(1, 4)) for e in kept}


def pairing(a, b, chosen, n):
    """The chosen pairs' people, each at most once."""
    degree = np.bincount(np.concatenate([a[chosen], b[chosen]]), minlength=n)
    assert degree.max(initial=0) <= 1, "one pair per person"


def cycle(k: int, w: int) -> dict[tuple[int, int], int]:
    return {(min(i, (i + 1) % k), max(i, (i + 1) % k)): w for i in range(k)}


@SETTINGS
@given(graphs())
def test_the_lp_with_blossom_cuts_is_optimal_on_general_graphs(g):
    n, weight = g
    a, b, s = edges(weight)
    chosen, bound, how = best_pairs(a, b, s, n, greedy_pairs(a, b, s, n), effort=10)
    pairing(a, b, chosen, n)
    assert int(s[chosen].sum()) == bound == best_matching(n, weight)


@SETTINGS
@given(graphs(), st.data())
def test_the_certified_bound_holds_for_any_nonnegative_duals(g, data):
    n, weight = g
    a, b, s = edges(weight)
    lp = relax(a, b, s, n)
    dual = st.floats(-2, 6, allow_nan=False)  # negative ones are clipped to 0
    y = np.array(data.draw(st.lists(dual, min_size=n, max_size=n)))
    z = np.array(data.draw(st.lists(dual, min_size=len(lp.cuts), max_size=len(lp.cuts))))
    assert certified_bound(a, b, s, y, lp.cuts, z) >= best_matching(n, weight)


@SETTINGS
@given(graphs(), st.integers(0, 2))
def test_the_exact_separation_finds_a_violated_odd_set_whenever_there_is_one(g, rounds):
    n, weight = g
    a, b, s = edges(weight)
    x = relax(a, b, s, n, rounds).x
    violated = any(x[np.isin(a, S) & np.isin(b, S)].sum() > (k - 1) / 2 + 1e-6
                   for k in range(3, n + 1, 2) for S in combinations(range(n), k))
    cuts = odd_sets_exact(a, b, x, n)
    assert bool(cuts) == violated
    assert all(x[es].sum() > rhs for es, rhs in cuts)


def test_odd_cycles_need_a_blossom_cut_and_get_it():
    for k in (3, 5):
        weight = cycle(k, 3)
        a, b, s = edges(weight)
        plain = relax(a, b, s, k, rounds=0)
        assert not plain.integral and plain.bound == 3 * k // 2  # all halves: 1.5 per pair, floored
        lp = relax(a, b, s, k)
        assert lp.integral and len(lp.cuts) == 1 and lp.bound == 3 * (k // 2)
        chosen, bound, how = best_pairs(a, b, s, k, greedy_pairs(a, b, s, k), effort=10)
        assert how["method"] == "lp" and int(s[chosen].sum()) == bound == 3 * (k // 2)


def test_with_no_cut_rounds_cp_sat_takes_over_and_proves_the_optimum():
    weight = cycle(5, 3) | {(5, 6): 2, (4, 6): 1}  # a 5-cycle beside a path: the LP splits the cycle
    a, b, s = edges(weight)
    chosen, bound, how = best_pairs(a, b, s, 7, greedy_pairs(a, b, s, 7), effort=10, rounds=0)
    assert how["method"] == "cpsat" and how["cpsat_status"] == "OPTIMAL" and how["cuts"] == 0
    assert how["lp_bound"] == 9  # 7.5 over the cycle + 2, floored
    pairing(a, b, chosen, 7)
    assert int(s[chosen].sum()) == bound == best_matching(7, weight) == 8


def test_the_lp_agrees_with_cp_sat_on_a_larger_random_graph():
    rng = np.random.default_rng(7)
    n = 120
    weight = {(int(min(i, j)), int(max(i, j))): int(rng.integers(1, 6))
              for i, j in rng.integers(0, n, size=(1500, 2)) if i != j}
    a, b, s = edges(weight)
    greedy = greedy_pairs(a, b, s, n)
    chosen, bound, how = best_pairs(a, b, s, n, greedy, effort=60)
    pairing(a, b, chosen, n)
    assert how["method"] == "lp" and how["cuts"] > 0 and int(s[chosen].sum()) == bound
    alone, cp_bound, status, _ = search_pairs(a, b, s, n, greedy, [], effort=60)
    assert status == "OPTIMAL" and int(s[alone].sum()) == cp_bound == bound
