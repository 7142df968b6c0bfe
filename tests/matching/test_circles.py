"""Peer circles: feasible (sizes, one circle per person, facilitator rule, common working time,
shared language), the objective recomputed, optimal against brute force on small instances,
every circle and everyone left out explained."""
from hypothesis import HealthCheck, given, settings
from peer_people import best_partition, people_docs

from mentormatch.matching.circles import BASE, BIG, check_circles, compatible, solve_circles
from mentormatch.matching.crowd import pair_fit, read_peer_instance, table

SETTINGS = settings(max_examples=30, deadline=None,
                    suppress_health_check=[HealthCheck.too_slow])


@SETTINGS
@given(people_docs(n_min=3, n_max=12, task="circles"))
def test_circles_are_feasible_and_the_objective_is_recomputed(doc):
    # Feasibility and the recomputed objective do not depend on how long CP-SAT searches, so
    # a small deterministic effort keeps this cheap (the brute-force test keeps effort 30).
    doc["rules"]["effort"] = 1
    inst = read_peer_instance(doc)
    res = solve_circles(inst)
    assert check_circles(inst, res) == []
    placed = [m for c in res.circles for m in c.members]
    assert len(placed) == len(set(placed))
    assert {x.id for x in res.left_out} == {p["id"] for p in doc["people"]} - set(placed)
    assert all(x.reason.startswith("Not placed: ") for x in res.left_out)
    assert res.objective <= res.bound


@SETTINGS
@given(people_docs(n_min=4, n_max=12, task="circles", facilitator=True))
def test_each_circle_has_exactly_one_facilitator_when_asked(doc):
    inst = read_peer_instance(doc)
    res = solve_circles(inst)
    assert check_circles(inst, res) == []
    facs = {p["id"] for p in doc["people"] if p["facilitator"]}
    for c in res.circles:
        assert [m for m in c.members if m in facs] == [c.facilitator]


@SETTINGS
@given(people_docs(n_min=3, n_max=8, same_hours=True, task="circles"))
def test_circles_are_optimal_against_brute_force(doc):
    inst = read_peer_instance(doc)
    T = table(inst)
    n, r = len(inst.people), inst.rules
    ok = compatible(T, inst, list(range(n)))
    fit = {(i, j): pair_fit(T, inst.weights, i, j) for i in range(n) for j in range(n)}

    def allowed(c):
        return r.circle_min <= len(c) <= r.circle_max and all(
            ok[i, j] for i in c for j in c if i < j)

    def value(c):
        return BIG * len(c) + sum(fit[i, j] - BASE for i in c for j in c if i < j)
    res = solve_circles(inst)
    best = best_partition(n, value, allowed)
    assert res.objective == best
    assert res.bound >= best


@SETTINGS
@given(people_docs(n_min=3, n_max=8, task="circles"))
def test_the_bound_is_never_below_the_best_circles_with_any_working_hours(doc):
    doc["rules"]["effort"] = 1
    inst = read_peer_instance(doc)
    T = table(inst)
    n, r = len(inst.people), inst.rules
    ok = compatible(T, inst, list(range(n)))
    fit = {(i, j): pair_fit(T, inst.weights, i, j) for i in range(n) for j in range(n)}

    def allowed(c):
        common = (1 << 96) - 1
        for i in c:
            common &= T.masks[i]
        return (r.circle_min <= len(c) <= r.circle_max and common.bit_count() / 4 >= r.min_overlap
                and all(ok[i, j] for i in c for j in c if i < j))

    def value(c):
        return BIG * len(c) + sum(fit[i, j] - BASE for i in c for j in c if i < j)
    res = solve_circles(inst)
    assert res.objective <= best_partition(n, value, allowed) <= res.bound


@SETTINGS
@given(people_docs(n_min=8, n_max=16, task="circles"))
def test_circles_stay_feasible_when_clusters_cut_people_apart(doc):
    # Clusters as small as a circle: people left out of theirs are placed across borders.
    doc["rules"].update(cluster_size=4, effort=1)
    inst = read_peer_instance(doc)
    res = solve_circles(inst)
    assert check_circles(inst, res) == []
    placed = [m for c in res.circles for m in c.members]
    assert len(placed) == len(set(placed))
    assert {x.id for x in res.left_out} == {p["id"] for p in doc["people"]} - set(placed)
    assert res.objective <= res.bound


def person(pid, tz=1, **kw):
    return {"id": pid, "tz": tz, "years": kw.pop("years", 1), "wants": ["sql", "python"],
            "context": ["career-changer"], **kw}


def test_a_circle_is_explained_in_words_and_the_far_away_person_gets_a_reason():
    people = [person("a", tz=1), person("b", tz=2), person("c", tz=3), person("d", tz=1),
              person("far", tz=-8)]
    doc = {"format": "mentormatch-peers", "version": 1, "task": "circles",
           "rules": {"min_overlap": 2}, "people": people}
    inst = read_peer_instance(doc)
    res = solve_circles(inst)
    assert [c.members for c in res.circles] == [["a", "b", "c", "d"]]
    assert res.circles[0].sentence == (
        "four people, all career-changer; into python (4) and sql (4); UTC+1 to UTC+3; "
        "working hours overlap 08:00-14:00 UTC; all 1 year of experience")
    assert [(x.id, x.reason) for x in res.left_out] == [
        ("far", "Not placed: fewer than 4 people share 2 h of working time with them.")]
    assert res.status == "optimal" and res.gap == 0


def test_the_same_input_gives_the_same_circles_and_pairs():
    from peer_people import CONTEXT, TOPICS

    from mentormatch.matching.peers import solve_pairs
    people = [person(f"p{i}", tz=i % 4, years=i % 7, wants=[TOPICS[i % 5], TOPICS[(i * 3) % 5]],
                     offers=[TOPICS[(i + 2) % 5]], context=[CONTEXT[i % 4]]) for i in range(30)]
    doc = {"format": "mentormatch-peers", "version": 1, "task": "circles",
           "rules": {"cluster_size": 10, "effort": 2}, "people": people}
    runs = [solve_circles(read_peer_instance(doc)) for _ in range(2)]
    assert [c.members for c in runs[0].circles] == [c.members for c in runs[1].circles]
    assert runs[0].objective == runs[1].objective and runs[0].circles
    doc["task"] = "pairs"
    pairs = [solve_pairs(read_peer_instance(doc)) for _ in range(2)]
    assert [(p.a, p.b) for p in pairs[0].pairs] == [(p.a, p.b) for p in pairs[1].pairs]


def test_people_who_speak_only_a_rare_language_meet_across_cluster_borders():
    people = [person(f"en{i}", years=i % 5, languages=["en"],
                     context=["finance" if i % 2 else "parent"]) for i in range(20)]
    people += [person(f"pt{i}", years=i, languages=["pt"], context=[c])
               for i, c in enumerate(["finance", "parent", "first-gen", "zoo"])]
    doc = {"format": "mentormatch-peers", "version": 1, "task": "circles",
           "rules": {"cluster_size": 8, "effort": 1}, "people": people}
    res = solve_circles(read_peer_instance(doc))
    assert ["pt0", "pt1", "pt2", "pt3"] in [c.members for c in res.circles]
    assert res.left_out == []
