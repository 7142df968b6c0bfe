"""Database -> matching Instance: who is in a round's pool, and in the core's terms.

The job runner, the swap view, the objective preview and the benchmark all need it; it is the one place that knows how our columns map onto the core's
plain data (Term ids -> names, IANA zones -> UTC offsets, seats already taken -> capacity).
"""
from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date, datetime

from sqlalchemy import func
from sqlalchemy.orm import aliased

from ...core import clock, reference
from ...extensions import db
from ...matching import GroupBalance, Instance, Mentee, Mentor, Rules, Weights
from ...models import SEAT_STATES, GoalForm, Membership, MentorProfile, Pairing, Term, User
from ...models.rounds import Round, RoundConstraint
from ..mentor_approval import unapproved_mentor_ids
from ..ongoing import good_micro_history
from ..questions import matching_criteria
from . import fairness
from .settings import DEFAULT_RULES, DEFAULT_WEIGHTS, TEAM_ATTRIBUTES

# Our context kinds -> the core's context keys (background and location are shown, not scored: the goal form
# says so).
CONTEXT_MAP = {"industry": "industry", "groups": "tags"}


def mentee_key(membership_id: int) -> str:
    return f"e{membership_id}"


def mentor_key(membership_id: int) -> str:
    return f"m{membership_id}"


def membership_of(key: str) -> int:
    return int(key[1:])


@dataclass
class RoundData:
    """An Instance plus what the site needs to store and explain its result."""

    instance: Instance
    names: dict[int, str] = field(default_factory=dict)            # membership id -> name
    mentee_groups: dict[int, list[str]] = field(default_factory=dict)
    mentee_languages: dict[int, list[str]] = field(default_factory=dict)
    capacity: dict[int, int] = field(default_factory=dict)         # mentor membership -> seats
    group_names: list[str] = field(default_factory=list)


def weights_of(round_: Round) -> Weights:
    w = {**DEFAULT_WEIGHTS, **(round_.weights or {})}
    return Weights(topics=float(w["topics"]), context=float(w["context"]), stage=float(w["stage"]), tz=float(w["tz"]),
                   mentor_pref=float(w["mentor_pref"] or 0))


def rules_of(round_: Round) -> Rules:
    r = {**DEFAULT_RULES, **(round_.rules or {})}
    balance = GroupBalance(by="tags", slack=float(r["balance_slack"]) / 100) if r["group_balance"] else None
    cap = r["max_continued_per_mentor"]
    overlap = r["min_overlap"]
    return Rules(min_score=r["min_score"], mentors_per_mentee=int(r["mentors_per_mentee"]),
                 min_tz_overlap=float(overlap) if overlap not in (None, "") else None,
                 max_same_team=r["max_same_team"], group_balance=balance,
                 objective=r["objective"] if r["objective"] in ("coverage", "quality") else "coverage",
                 continuity_bonus=int(r["continuity_bonus"] or 0), history_bonus=int(r["history_bonus"] or 0),
                 max_continued_per_mentor=int(cap) if cap not in (None, "") else None)


def seats_taken(program_id: int, exclude_round_id: int | None = None) -> dict[int, int]:
    """Mentor membership -> pairings holding one of their seats right now."""
    q = (db.select(Pairing.mentor_membership_id, func.count())
         .where(Pairing.program_id == program_id, Pairing.state.in_(SEAT_STATES))
         .group_by(Pairing.mentor_membership_id))
    if exclude_round_id is not None:
        q = q.where((Pairing.round_id.is_(None)) | (Pairing.round_id != exclude_round_id))
    return dict(db.session.execute(q).all())


def _terms(program_id: int) -> tuple[dict[int, str], dict[int, str]]:
    topics, groups = {}, {}
    for tid, kind, name in db.session.execute(
            db.select(Term.id, Term.kind, Term.name).where(Term.program_id == program_id)):
        (topics if kind == "topic" else groups)[tid] = name
    return topics, groups


def program_terms(program_id: int) -> tuple[dict[int, str], dict[int, str]]:
    """The program's topics and groups by Term id (peer_instance.py builds from them too)."""
    return _terms(program_id)


def pool_mentee_ids(round_: Round) -> list[int]:
    """Membership ids of the mentees in the round's pool: those with a goal form who asked for a round mentor
    (not "micro-requests only")."""
    pool = round_.pool or {}
    tags = set(pool.get("tag_ids") or [])
    # The JSON tag columns are read only when the pool filters by tag: the round page asks on every view.
    q = (db.select(GoalForm.membership_id, *((GoalForm.groups, GoalForm.topics) if tags else ()))
         .join(Membership, Membership.id == GoalForm.membership_id)
         .join(User, User.id == Membership.user_id)
         .where(Membership.program_id == round_.program_id, Membership.current(), Membership.role == "mentee", GoalForm.wants != "micro"))
    if pool.get("joined_after"):
        q = q.where(Membership.joined_at >= datetime.fromisoformat(pool["joined_after"]))
    if pool.get("joined_before"):
        q = q.where(Membership.joined_at < datetime.fromisoformat(pool["joined_before"]))
    if pool.get("unmatched_only"):
        seated = (db.select(Pairing.mentee_membership_id)
                  .where(Pairing.program_id == round_.program_id, Pairing.state.in_(SEAT_STATES + ("completed",))))
        q = q.where(GoalForm.membership_id.not_in(seated))
    if not tags:
        return sorted(db.session.scalars(q))
    return sorted(mid for mid, groups, topics in db.session.execute(q)
                  if tags & set(groups or []) or tags & set(topics or []))


def build_round_data(round_: Round, *, mentee_ids: list[int] | None = None,
                     extra_forbidden: list[tuple[int, int]] = (), today: date | None = None,
                     exclude_round_seats: bool = True) -> RoundData:
    """The round's pool as an Instance.

    Mentor capacity is their seats per round minus seats held by live pairings from other
    rounds (and, when ``exclude_round_seats`` is False, this one: the repair case).
    Unavailable mentors stay in with no seats, so that unmatched reasons can say so.
    """
    today = today or clock.today()
    now = clock.now()  # for the zones' UTC offsets
    topics, groups = _terms(round_.program_id)
    wanted = set(mentee_ids) if mentee_ids is not None else set(pool_mentee_ids(round_))
    data = RoundData(instance=Instance(mentees=[], mentors=[], weights=weights_of(round_), rules=rules_of(round_)))
    data.group_names = sorted(groups.values())
    team_by = (round_.rules or {}).get("team_by") or DEFAULT_RULES["team_by"]
    if team_by not in TEAM_ATTRIBUTES:
        team_by = "industry"

    rows = db.session.execute(
        db.select(GoalForm, User.name)
        .join(Membership, Membership.id == GoalForm.membership_id)
        .join(User, User.id == Membership.user_id)
        .where(Membership.program_id == round_.program_id, Membership.current(), Membership.role == "mentee")
        .order_by(GoalForm.membership_id))
    for g, name in rows:
        if g.membership_id not in wanted:
            continue
        tags = [groups[t] for t in (g.groups or []) if t in groups]
        data.names[g.membership_id] = name
        data.mentee_groups[g.membership_id] = tags
        data.mentee_languages[g.membership_id] = list(g.languages or [])
        data.instance.mentees.append(Mentee(
            id=mentee_key(g.membership_id), languages=list(g.languages or []), tz=reference.utc_offset(g.timezone, now),
            years=float(g.years or 0), preference=g.preference or "ahead",
            topics=[topics[t] for t in (g.topics or []) if t in topics], industry=g.industry or None,
            tags=tags, context_matters=sorted({CONTEXT_MAP[c] for c in (g.context_matters or []) if c in CONTEXT_MAP}),
            team=(getattr(g, team_by) or None)))

    taken = seats_taken(round_.program_id, round_.id if exclude_round_seats else None)
    hidden = unapproved_mentor_ids(round_.program_id)  # mentors waiting for approval are not in pools
    rows = db.session.execute(
        db.select(MentorProfile, User.name)
        .join(Membership, Membership.id == MentorProfile.membership_id)
        .join(User, User.id == Membership.user_id)
        .where(Membership.program_id == round_.program_id, Membership.current(), Membership.role == "mentor")
        .order_by(MentorProfile.membership_id))
    for p, name in rows:
        if p.membership_id in hidden:
            continue
        seats = max(0, p.capacity_round - taken.get(p.membership_id, 0)) if p.is_available(today) else 0
        data.names[p.membership_id] = name
        data.capacity[p.membership_id] = seats
        data.instance.mentors.append(Mentor(
            id=mentor_key(p.membership_id), languages=list(p.languages or []), tz=reference.utc_offset(p.timezone, now),
            years=float(p.years or 0), capacity=seats,
            topics=[topics[t] for t in (p.topics or []) if t in topics], industry=p.industry or None,
            tags=[groups[t] for t in (p.groups or []) if t in groups],
            prefers_topics=[topics[t] for t in (p.prefers_topics or []) if t in topics],
            prefers_stages=list(p.prefers_stages or [])))

    mentees = {membership_of(m.id) for m in data.instance.mentees}
    mentors = set(data.capacity)
    forbidden, locked = set(extra_forbidden), []
    # A pair that was declined before is never proposed again.
    forbidden |= set(db.session.execute(
        db.select(Pairing.mentee_membership_id, Pairing.mentor_membership_id)
        .where(Pairing.program_id == round_.program_id, Pairing.state == "declined")))
    # Someone on both sides of the program (Program.allows_both_sides) is never their own mentor.
    as_mentor = aliased(Membership)
    forbidden |= set(db.session.execute(
        db.select(Membership.id, as_mentor.id)
        .join(as_mentor, (as_mentor.user_id == Membership.user_id) & (as_mentor.program_id == Membership.program_id))
        .where(Membership.program_id == round_.program_id, Membership.role == "mentee", as_mentor.role == "mentor")))
    for c in db.session.scalars(db.select(RoundConstraint).where(RoundConstraint.round_id == round_.id)
                                .order_by(RoundConstraint.id)):
        if c.mentee_membership_id not in mentees or c.mentor_membership_id not in mentors:
            continue  # a constraint on someone outside this pool has nothing to act on
        if c.kind == "forbid":
            forbidden.add((c.mentee_membership_id, c.mentor_membership_id))
        else:
            locked.append((c.mentee_membership_id, c.mentor_membership_id))
    data.instance.forbidden = sorted((mentee_key(e), mentor_key(m)) for e, m in forbidden
                                     if e in mentees and m in mentors and (e, m) not in set(locked))
    data.instance.locked = [(mentee_key(e), mentor_key(m)) for e, m in locked]
    _apply_fairness(round_, data)
    _apply_criteria(round_, data)
    return data


def _apply_criteria(round_: Round, data: RoundData) -> None:
    """The program's one-choice questions that steer the match, and everyone's answers to them."""
    people = data.instance.mentees + data.instance.mentors
    criteria, answers = matching_criteria(round_.program_id, [membership_of(p.id) for p in people])
    data.instance.criteria = criteria
    for p in people:
        p.answers = answers.get(membership_of(p.id), {})


def _apply_fairness(round_: Round, data: RoundData) -> None:
    """Fill the core's extras (priorities, must-match, continuing pairs) from services/rounds/fairness.py."""
    mentee_ids = [membership_of(m.id) for m in data.instance.mentees]
    prio = fairness.priorities(round_, mentee_ids)
    for m in data.instance.mentees:
        bonus, must = prio.get(membership_of(m.id), (0, False))
        m.priority, m.must_match = bonus, must
    mentors = {membership_of(m.id) for m in data.instance.mentors}
    forbidden = set(data.instance.forbidden)
    data.instance.continuing = [(mentee_key(e), mentor_key(m)) for e, m in fairness.continuing_pairs(round_)
                                if e in set(mentee_ids) and m in mentors
                                and (mentee_key(e), mentor_key(m)) not in forbidden]
    # Micro -> macro: pairs with good micro-request history get rules.history_bonus and say so in their why.
    data.instance.history = [(mentee_key(e), mentor_key(m)) for e, m in good_micro_history(round_.program_id)
                             if e in set(mentee_ids) and m in mentors and (mentee_key(e), mentor_key(m)) not in forbidden]
