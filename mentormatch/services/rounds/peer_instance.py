"""Database -> matching PeerInstance for peer rounds ('peer': pairs) and circle rounds ('circle').

What instance.py is to a mentor round: the one place that knows how our columns map onto the
core's people (matching/crowd.Person). A mentee is one person: what they want help with (their
goal form's topics, in order), what they can help with (its strengths, in order), the context they
said matters to them (industry, affinity groups), years as stage, time zone (working hours 9-17
local), languages. A circle round that asks for a facilitator per circle adds the program's
available, approved mentors as facilitators. Forbidden pairs are the round's 'forbid' constraints
between two people of the pool; people in a locked group of the proposal under review are kept
out of the solve (their group is copied into the new run as it is).
"""
from __future__ import annotations

from dataclasses import dataclass, field

from ...core import clock, reference
from ...extensions import db
from ...matching.crowd import PeerInstance, PeerRules, Person
from ...models import SEAT_STATES, GoalForm, Membership, MentorProfile, Pairing, User
from ...models.rounds import Round, RoundConstraint, RunGroup, SolveRun
from ..mentor_approval import unapproved_mentor_ids
from .instance import pool_mentee_ids, program_terms, weights_of

PEER_KINDS = ("peer", "circle")
# Round rules a peer or circle round adds to the mentor round's (settings.DEFAULT_RULES).
PEER_DEFAULTS = {"circle_min": 4, "circle_max": 8, "facilitator": False, "peer_overlap": 1}
WORK_HOURS = (9.0, 17.0)


def person_key(membership_id: int) -> str:
    return f"p{membership_id}"


def membership_of_key(key: str) -> int:
    return int(key[1:])


@dataclass
class PeerData:
    """A PeerInstance plus what the site needs to store and explain its result."""

    instance: PeerInstance
    names: dict[int, str] = field(default_factory=dict)          # membership id -> name
    facts: dict[str, dict] = field(default_factory=dict)         # person key -> what a sentence says of them
    locked: list[RunGroup] = field(default_factory=list)         # groups kept as they are


def peer_rules_of(round_: Round) -> PeerRules:
    r = {**PEER_DEFAULTS, **(round_.rules or {})}
    min_score = r.get("min_score")
    return PeerRules(min_overlap=float(r["peer_overlap"] if r.get("peer_overlap") is not None else 1),
                     min_score=float(min_score) if min_score not in (None, "") else None,
                     circle_min=int(r["circle_min"]), circle_max=int(r["circle_max"]),
                     facilitator=bool(r["facilitator"]) and round_.kind == "circle",
                     cluster_size=max(24, int(r["circle_max"])), effort=5.0)


def after_round_seated(round_: Round) -> set[int]:
    """Mixed rounds: mentees who hold a pairing from the approved mentor round this round follows."""
    after = (round_.pool or {}).get("after_round_id")
    if not after:
        return set()
    return {m for (m,) in db.session.execute(db.select(Pairing.mentee_membership_id).where(
        Pairing.round_id == int(after), Pairing.program_id == round_.program_id,
        Pairing.state.in_(SEAT_STATES + ("completed",))))}


def locked_groups(round_: Round, before_run_id: int | None = None) -> list[RunGroup]:
    """The locked groups of the latest finished run (before `before_run_id`): kept in the next run."""
    q = db.select(SolveRun.id).where(SolveRun.round_id == round_.id, SolveRun.status == "done",
                                     SolveRun.kind == "full")
    if before_run_id is not None:
        q = q.where(SolveRun.id < before_run_id)
    last = db.session.scalar(q.order_by(SolveRun.id.desc()).limit(1))
    if last is None:
        return []
    return list(db.session.scalars(db.select(RunGroup).where(RunGroup.run_id == last, RunGroup.locked.is_(True))
                                   .order_by(RunGroup.id)))


def person_facts(p: Person, name: str) -> dict:
    """What a group's sentence says about one person: stored with the group, rendered per reader."""
    return {"name": name, "tz": p.tz, "years": p.years, "wants": list(p.wants), "offers": list(p.offers),
            "context": list(p.context), "hours": list(p.hours), "facilitator": p.facilitator}


def build_peer_data(round_: Round, *, before_run_id: int | None = None) -> PeerData:
    """The round's pool as a PeerInstance ('pairs' for a peer round, 'circles' for a circle round)."""
    now = clock.now()
    topics, groups = program_terms(round_.program_id)
    rules = peer_rules_of(round_)
    data = PeerData(instance=PeerInstance(task="pairs" if round_.kind == "peer" else "circles", people=[],
                                          weights=weights_of(round_), rules=rules))
    data.locked = locked_groups(round_, before_run_id)
    kept = {m.membership_id for g in data.locked for m in g.members}
    wanted = set(pool_mentee_ids(round_)) - after_round_seated(round_) - kept
    rows = db.session.execute(
        db.select(GoalForm, User.name).join(Membership, Membership.id == GoalForm.membership_id)
        .join(User, User.id == Membership.user_id)
        .where(Membership.program_id == round_.program_id, Membership.current())
        .order_by(GoalForm.membership_id))
    for g, name in rows:
        if g.membership_id not in wanted:
            continue
        matters = set(g.context_matters or [])
        context = ([g.industry] if "industry" in matters and g.industry else []) + (
            [groups[t] for t in (g.groups or []) if t in groups] if "groups" in matters else [])
        p = Person(id=person_key(g.membership_id), tz=reference.utc_offset(g.timezone, now), years=float(g.years or 0),
                   wants=[topics[t] for t in (g.topics or []) if t in topics],
                   offers=[topics[t] for t in (g.strengths or []) if t in topics],
                   context=context, languages=list(g.languages or []), hours=WORK_HOURS)
        data.names[g.membership_id] = name
        data.instance.people.append(p)
    if rules.facilitator:
        hidden = unapproved_mentor_ids(round_.program_id)
        rows = db.session.execute(
            db.select(MentorProfile, User.name).join(Membership, Membership.id == MentorProfile.membership_id)
            .join(User, User.id == Membership.user_id)
            .where(Membership.program_id == round_.program_id, Membership.current())
            .order_by(MentorProfile.membership_id))
        for prof, name in rows:
            if prof.membership_id in hidden or prof.membership_id in kept or not prof.is_available(clock.today()):
                continue
            p = Person(id=person_key(prof.membership_id), tz=reference.utc_offset(prof.timezone, now),
                       years=float(prof.years or 0), wants=[],
                       offers=[topics[t] for t in (prof.topics or []) if t in topics],
                       context=([prof.industry] if prof.industry else []) + [groups[t] for t in (prof.groups or [])
                                                                             if t in groups],
                       languages=list(prof.languages or []), hours=WORK_HOURS, facilitator=True)
            data.names[prof.membership_id] = name
            data.instance.people.append(p)
    known = {membership_of_key(p.id) for p in data.instance.people}
    forbidden = set()
    for a, b in db.session.execute(db.select(RoundConstraint.mentee_membership_id, RoundConstraint.mentor_membership_id)
                                   .where(RoundConstraint.round_id == round_.id, RoundConstraint.kind == "forbid")):
        if a in known and b in known and a != b:
            forbidden.add((min(a, b), max(a, b)))
    data.instance.forbidden = [(person_key(a), person_key(b)) for a, b in sorted(forbidden)]
    data.facts = {p.id: person_facts(p, data.names[membership_of_key(p.id)]) for p in data.instance.people}
    return data
