"""Property tests of what a peer or circle run stores (issue 15): whatever the people, the stored
groups are feasible (sizes within bounds, one group per person, no one paired with themselves, each
pair once) and the run's stored objective is the one recomputed from the stored groups alone."""
from itertools import combinations

from hypothesis import HealthCheck, example, given, settings
from hypothesis import strategies as st

from mentormatch.extensions import db
from mentormatch.matching import circles as core_circles
from mentormatch.matching.crowd import PeerInstance, PeerRules, Person, pair_fit, table
from mentormatch.models import Round
from mentormatch.models.rounds import RunGroup, RunUnmatched, SolveRun
from mentormatch.services.rounds import peer_results
from mentormatch.services.rounds.peer_instance import PeerData, person_facts, person_key
from tests.web.test_rounds_support import add_people

TOPICS = ["sql", "python", "interviews", "design", "cloud"]
CONTEXT = ["career-changer", "parents", "fintech"]
N = 10

person = st.fixed_dictionaries({
    "tz": st.sampled_from([-5.0, 0.0, 1.0, 5.5, 9.0]),
    "years": st.integers(0, 12),
    "wants": st.lists(st.sampled_from(TOPICS), max_size=3, unique=True),
    "offers": st.lists(st.sampled_from(TOPICS), max_size=3, unique=True),
    "context": st.lists(st.sampled_from(CONTEXT), max_size=2, unique=True),
    "languages": st.sampled_from([[], ["en"], ["pt"], ["en", "pt"]]),
})
HYPO = settings(max_examples=12, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])


def pool(app, world):
    names = [f"Peer {i}" for i in range(N)]
    people = add_people(app, world.program.id, mentees=[{"name": n, "years": 1} for n in names])
    return [people.ids[n] for n in names]


def run_and_store(app, world, members, specs, task, forbid_pairs, circle=(3, 5)):
    people = [Person(id=person_key(m), **spec) for m, spec in zip(members, specs)]
    forbidden = [(person_key(members[a]), person_key(members[b])) for a, b in forbid_pairs]
    inst = PeerInstance(task=task, people=people, forbidden=forbidden,
                        rules=PeerRules(circle_min=circle[0], circle_max=circle[1], cluster_size=24, effort=2.0))
    data = PeerData(instance=inst, names={m: f"Peer {i}" for i, m in enumerate(members)},
                    facts={p.id: person_facts(p, p.id) for p in people})
    with app.app_context():
        r = Round(program_id=world.program.id, name="p", kind="peer" if task == "pairs" else "circle")
        db.session.add(r)
        db.session.flush()
        run = SolveRun(round_id=r.id, status="done")
        db.session.add(run)
        db.session.flush()
        peer_results.store_peer_result(run, data, peer_results.solve(data))
        db.session.commit()
        groups = [[m.membership_id for m in g.members]
                  for g in db.session.scalars(db.select(RunGroup).where(RunGroup.run_id == run.id))]
        left = [u.mentee_membership_id for u in db.session.scalars(
            db.select(RunUnmatched).where(RunUnmatched.run_id == run.id))]
        return inst, groups, left, run.objective["value"], run.bound["value"], run.gap, run.matched_count


def check_common(members, groups, left, forbidden_ids):
    placed = [m for g in groups for m in g]
    assert len(placed) == len(set(placed)), "someone is in two groups"
    assert sorted(placed + left) == sorted(members), "everyone is placed or left out with a reason, once"
    for g in groups:
        assert len(set(g)) == len(g), "no one grouped with themselves"
        for a, b in combinations(g, 2):
            assert (min(a, b), max(a, b)) not in forbidden_ids, "a forbidden pair was grouped"


@given(specs=st.lists(person, min_size=N, max_size=N),
       forbid=st.lists(st.tuples(st.integers(0, N - 1), st.integers(0, N - 1)).filter(lambda t: t[0] != t[1]),
                       max_size=3))
@HYPO
def test_stored_peer_pairs_are_feasible_and_their_objective_recomputes(app, world, specs, forbid):
    if not hasattr(world, "pool"):
        world.pool = pool(app, world)
    members = world.pool
    inst, groups, left, objective, bound, gap, matched = run_and_store(app, world, members, specs, "pairs", forbid)
    check_common(members, groups, left, {tuple(sorted((members[a], members[b]))) for a, b in forbid})
    assert all(len(g) == 2 for g in groups)
    assert len({frozenset(g) for g in groups}) == len(groups), "each pair once"
    T = table(inst)
    recomputed = sum(pair_fit(T, inst.weights, T.index[person_key(a)], T.index[person_key(b)]) for a, b in groups)
    assert recomputed == objective
    assert objective <= bound and 0 <= gap < 1 and matched == 2 * len(groups)


@given(specs=st.lists(person, min_size=N, max_size=N),
       forbid=st.lists(st.tuples(st.integers(0, N - 1), st.integers(0, N - 1)).filter(lambda t: t[0] != t[1]),
                       max_size=3),
       bounds=st.sampled_from([(3, 4), (3, 5), (4, 6)]))
# Found by CI: two working-time groups, neither able to seat four (a ruled-out pair in each, and
# English and Portuguese speakers apart), so nobody is placed while the bound still counts them.
@example(specs=[{"tz": tz, "years": 0, "wants": [], "offers": [], "context": [], "languages": lang}
                for tz, lang in [(5.5, []), (-5.0, []), (-5.0, []), (5.5, []), (-5.0, ["en"]), (-5.0, ["en"]),
                                 (-5.0, ["pt"]), (-5.0, ["pt"]), (5.5, []), (5.5, [])]],
         forbid=[(0, 3), (1, 2)], bounds=(4, 6))
@HYPO
def test_stored_circles_are_feasible_and_their_objective_recomputes(app, world, specs, forbid, bounds):
    if not hasattr(world, "pool"):
        world.pool = pool(app, world)
    members = world.pool
    inst, groups, left, objective, bound, gap, _ = run_and_store(app, world, members, specs, "circles", forbid,
                                                                  circle=bounds)
    check_common(members, groups, left, {tuple(sorted((members[a], members[b]))) for a, b in forbid})
    assert all(bounds[0] <= len(g) <= bounds[1] for g in groups)
    T = table(inst)
    total = 0
    for g in groups:
        idx = [T.index[person_key(m)] for m in g]
        fit = core_circles.circle_fit(T, inst, idx)
        pos = {p: k for k, p in enumerate(idx)}
        total += core_circles.circle_value(lambda p, q, f=fit, at=pos: int(f[at[p], at[q]]), idx)[0]
    assert total == objective
    # With nobody placed the objective is 0, and the certified bound may still count people whose
    # compatible others cannot all sit together: a gap of 1 (not proven), never more.
    assert objective <= bound and (0 <= gap < 1 if groups else gap in (0.0, 1.0))
