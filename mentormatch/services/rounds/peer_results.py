"""Solving a peer or circle round and storing its result on the run: what results.py is to a
mentor round. The groups (RunGroup + RunGroupMember) and the people left out (RunUnmatched) are
written with their sentences as parts (services/why.py renders them in the reader's language), and
the run gets the solver's status, objective, bound and gap. Groups the coordinator locked on the
proposal under review are copied in first, as they were."""
from __future__ import annotations

from collections import Counter

from ...extensions import db
from ...matching import circles as core_circles
from ...matching import peers as core_peers
from ...matching.crowd import PeerResult, table
from ...models.rounds import RunGroup, RunGroupMember, RunUnmatched, SolveRun
from ..why import peer_left_parts
from .peer_instance import PeerData, membership_of_key

# The English reasons a circle solve gives someone it could not place (matching/circles.py).
CIRCLE_LEFT_MSGIDS = (
    "Not placed: the circles around their working hours already have a facilitator each.",
    "Not placed: too few people who share their working hours (%(window)s) share a language with them.",
    "Not placed: no circle of %(low)d-%(high)d among the %(num)d people sharing their working hours "
    "(%(window)s) could take them with a facilitator.",
    "Not placed: no circle of %(low)d-%(high)d among the %(num)d people sharing their working hours "
    "(%(window)s) could take them.",
    "Not placed: fewer than %(num)d people share %(hours)s h of working time with them.",
)


def solve(data: PeerData) -> PeerResult:
    """The core's solver for the round's kind, in English (the worker has no reader)."""
    if data.instance.task == "pairs":
        return core_peers.solve_pairs(data.instance)
    return core_circles.solve_circles(data.instance)


def group_parts(data: PeerData, keys: list[str], *, hours: float | None = None,
                facilitator: str | None = None) -> list:
    """A group's sentence as parts: the facts about each member (see why.render_group)."""
    people = [data.facts[k] for k in keys]
    if data.instance.task == "pairs":
        return [["peer_pair", {"people": people, "hours": hours}]]
    return [["peer_circle", {"people": people,
                             "facilitator": keys.index(facilitator) if facilitator is not None else None}]]


def store_peer_result(run: SolveRun, data: PeerData, result: PeerResult) -> None:
    """Write the groups, their members and the people left out; fill the run's figures."""
    names = data.names
    groups: list[tuple[RunGroup, list[tuple[int, bool]]]] = []
    for old in data.locked:  # kept as they were on the proposal the coordinator reviewed
        groups.append((RunGroup(run_id=run.id, score=old.score, sentence=old.sentence,
                                sentence_parts=old.sentence_parts, locked=True),
                       [(m.membership_id, m.facilitator) for m in old.members]))
    T = table(data.instance) if data.instance.task == "pairs" else None
    for p in result.pairs:
        hours = (T.masks[T.index[p.a]] & T.masks[T.index[p.b]]).bit_count() / 4
        groups.append((RunGroup(run_id=run.id, score=p.score, sentence=p.sentence,
                                sentence_parts=group_parts(data, [p.a, p.b], hours=hours)),
                       [(membership_of_key(p.a), False), (membership_of_key(p.b), False)]))
    for c in result.circles:
        groups.append((RunGroup(run_id=run.id, score=c.compatibility, sentence=c.sentence,
                                sentence_parts=group_parts(data, c.members, facilitator=c.facilitator)),
                       [(membership_of_key(k), k == c.facilitator) for k in c.members]))
    extra_names = {m.membership_id: m.name for g in data.locked for m in g.members}
    for group, members in groups:
        group.members = [RunGroupMember(membership_id=mid, name=names.get(mid) or extra_names.get(mid, ""),
                                        facilitator=fac) for mid, fac in members]
        db.session.add(group)

    left_rows = []
    if result.left_out:
        reasons = _pair_reasons(data, result) if data.instance.task == "pairs" else {}
        for x in result.left_out:
            mid = membership_of_key(x.id)
            parts = reasons.get(x.id) or peer_left_parts(x.reason, CIRCLE_LEFT_MSGIDS)
            left_rows.append({"run_id": run.id, "mentee_membership_id": mid, "mentee_name": names.get(mid, ""),
                              "reasons": parts, "sentence": x.reason, "help": ""})
        db.session.execute(db.insert(RunUnmatched), left_rows)
    db.session.flush()

    placed = [mid for _, members in groups for mid, _ in members]
    run.mentee_count = len(placed) + len(left_rows)
    run.mentor_count = sum(1 for _, members in groups for _, fac in members if fac)
    run.candidate_count = int(result.stats.get("candidate_pairs", 0))
    run.pair_count = len(groups)
    run.matched_count = len(set(placed))
    run.unmatched_count = len(left_rows)
    run.total_score = sum(g.score for g, _ in groups)
    run.result_status = result.status
    run.objective = {"value": result.objective}
    run.bound = {"value": result.bound}
    run.gap = result.gap
    run.message = ""
    sizes = Counter(len(members) for _, members in groups)
    run.charts = {"score_hist": _hist([g.score for g, _ in groups]), "group_sizes": sorted(sizes.items()),
                  "stats": {k: v for k, v in result.stats.items() if isinstance(v, (int, float, str))}}


def _hist(scores: list[int]) -> list:
    bins = [[lo, lo + 10, 0] for lo in range(0, 100, 10)]
    for s in scores:
        bins[min(9, max(0, int(s) // 10))][2] += 1
    return bins


def _pair_reasons(data: PeerData, result: PeerResult) -> dict[str, list]:
    """Why each person is in no pair, as parts the core renders in any language (peers.left_out_reason)."""
    a, b, _, why = core_peers.candidate_pairs(data.instance)
    T = table(data.instance)
    degree = Counter(int(i) for i in list(a) + list(b))
    out = {}
    for x in result.left_out:
        i = T.index[x.id]
        out[x.id] = [["peer_left", {"candidates": int(degree.get(i, 0)), "why": [int(k) for k in why[i]],
                                    "optimal": result.status == "optimal"}]]
    return out
