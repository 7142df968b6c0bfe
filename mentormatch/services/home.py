"""What the mentee and mentor home pages show, built in one query plan (docs/architecture.md).

Each function runs a fixed number of set-based queries, whatever the number of mentees, mentors,
requests or programs, and loads every row the templates touch (relationships included), so the
templates only display: no template queries the database. tests/web/test_home_queries.py counts
the statements.
"""
from collections import defaultdict
from datetime import date

from sqlalchemy import func
from sqlalchemy.orm import joinedload

from ..extensions import db
from ..models import (
    ENDED_STATES,
    MAX_OPEN_REQUESTS,
    PENDING_REQUEST,
    SEAT_STATES,
    CheckIn,
    ContinueWish,
    FollowUp,
    GoalForm,
    GoalStep,
    Membership,
    MentorProfile,
    MicroRequest,
    Pairing,
    Program,
    User,
)
from . import groups, threads
from .answers import PENDING_PAIRING  # a proposal waiting for the mentor's answer
from .micro_requests import FOLLOWUP_STATES as FOLLOWUP_REQUEST  # a request the mentee can follow up on
from .people import goal_forms, mentorships, profiles

CURRENT_PAIRING = mentorships.CURRENT_STATES  # a mentor may read the mentee's goal form
FOLLOWUP_PAIRING = mentorships.FOLLOWUP_STATES  # a conversation has happened or can
MENTEE_PAIRING = ("proposed", "accepted", "active", "completed")  # what a mentee may report or continue

_WITH_MENTOR = joinedload(Pairing.mentor).joinedload(Membership.user)
_WITH_MENTEE = joinedload(Pairing.mentee).joinedload(Membership.user)


def mentor_home(user: User, today: date) -> dict:
    """Per program: profile, seats, availability, current mentees with their goal form and
    follow-ups; plus the due check-ins, the proposals panel and the continue wishes."""
    memberships = _memberships_of(user, "mentor")
    ids = [m.id for m in memberships]
    profile_rows = {p.membership_id: p for p in db.session.scalars(
        db.select(MentorProfile).where(MentorProfile.membership_id.in_(ids)))} if ids else {}
    taken = dict(db.session.execute(
        db.select(Pairing.mentor_membership_id, func.count()).where(
            Pairing.mentor_membership_id.in_(ids), Pairing.state.in_(SEAT_STATES))
        .group_by(Pairing.mentor_membership_id)).all()) if ids else {}
    current = list(db.session.scalars(
        db.select(Pairing).where(Pairing.mentor_membership_id.in_(ids), Pairing.state.in_(CURRENT_PAIRING))
        .order_by(Pairing.proposed_at, Pairing.id).options(_WITH_MENTEE))) if ids else []
    goals = _goal_forms([p.mentee_membership_id for p in current])
    followups: dict[int, list[FollowUp]] = {p.id: [] for p in current}
    if current:
        for f in db.session.scalars(db.select(FollowUp).where(FollowUp.pairing_id.in_(list(followups)))
                                    .order_by(FollowUp.created_at.desc(), FollowUp.id.desc())):
            followups[f.pairing_id].append(f)
    programs = []
    for membership in memberships:
        profile = profile_rows.get(membership.id)
        seats = taken.get(membership.id, 0)
        pairings = [p for p in current if p.mentor_membership_id == membership.id]
        programs.append({
            "membership": membership,
            "program": membership.program,
            "profile": profile,
            "taken": seats,
            "seats": profiles.seats_label(seats, profile.capacity_round) if profile else None,
            "availability": profiles.availability_label(profile, today),
            "available_now": profiles.available_now(profile, today),
            "mentees": [(p, goals.get(p.mentee_membership_id)) for p in pairings],
            "followups": {p.id: followups[p.id] for p in pairings},
        })
    unread = threads.unread_counts(user)
    return {"programs": programs, "due": due_checkins(user), "lc": mentor_proposals(user),
            "wishes": _wishes(ids), "unread": unread, "unread_requests": _requests_by_id(
                sorted(i for kind, i in unread if kind == "request")), "circles": groups.my_circles(user, unread)}


def _requests_by_id(request_ids: list[int]) -> list[MicroRequest]:
    """The requests whose threads have unread messages, with both people's names."""
    if not request_ids:
        return []
    return list(db.session.scalars(
        db.select(MicroRequest).where(MicroRequest.id.in_(request_ids)).order_by(MicroRequest.id)
        .options(joinedload(MicroRequest.mentee).joinedload(Membership.user),
                 joinedload(MicroRequest.mentor).joinedload(Membership.user))))


def mentor_proposals(user: User) -> dict:
    """The proposals panel: proposals waiting for this mentor's answer (oldest first), what each
    mentee already has (other current mentors, open requests), and the open micro-requests."""
    proposals = list(db.session.scalars(
        db.select(Pairing).join(Membership, Pairing.mentor_membership_id == Membership.id)
        .where(Membership.user_id == user.id, Membership.current(), Pairing.state.in_(PENDING_PAIRING))
        .order_by(Pairing.proposed_at, Pairing.id)
        .options(_WITH_MENTEE, joinedload(Pairing.mentee).joinedload(Membership.program))))
    mentee_ids = sorted({p.mentee_membership_id for p in proposals})
    others: dict[int, list[Pairing]] = defaultdict(list)
    open_counts: dict[int, int] = {}
    if mentee_ids:
        for other in db.session.scalars(
                db.select(Pairing).where(Pairing.mentee_membership_id.in_(mentee_ids),
                                         Pairing.state.in_(CURRENT_PAIRING))
                .order_by(Pairing.id).options(_WITH_MENTOR)):
            others[other.mentee_membership_id].append(other)
        open_counts = dict(db.session.execute(
            db.select(MicroRequest.mentee_membership_id, func.count())
            .where(MicroRequest.mentee_membership_id.in_(mentee_ids), MicroRequest.state.in_(PENDING_REQUEST))
            .group_by(MicroRequest.mentee_membership_id)).all())
    incoming = list(db.session.scalars(
        db.select(MicroRequest).join(Membership, MicroRequest.mentor_membership_id == Membership.id)
        .where(Membership.user_id == user.id, Membership.current(), MicroRequest.state == "open")
        .order_by(MicroRequest.created_at.desc(), MicroRequest.id.desc())))
    return {
        "max_open": MAX_OPEN_REQUESTS,
        "proposals": proposals,
        # Context for the decision: does the mentee already have other mentors or open requests?
        "mentee_context": {
            p.id: {"mentors": [o.mentor.user.name for o in others[p.mentee_membership_id] if o.id != p.id],
                   "open_requests": open_counts.get(p.mentee_membership_id, 0)}
            for p in proposals},
        "incoming": incoming,
        # The mentee's goal form (what they chose to share), read before deciding.
        "goals": goal_forms.submitted_goals(mentee_ids),
        "names": goal_forms.term_names_of({p.program_id for p in proposals}),
        "labels": goal_forms.summary_labels(),
    }


def mentee_home(user: User) -> dict:
    """Per program: the goal form and how complete it is, the matches, the goal steps; plus the
    due check-ins, the requests panel and the continue wishes."""
    memberships = _memberships_of(user, "mentee")
    ids = [m.id for m in memberships]
    goals = _goal_forms(ids)
    pairings = _pairings_of_mentee(ids)
    steps = {membership_id: {"done": done or 0, "total": total} for membership_id, total, done in db.session.execute(
        db.select(GoalStep.membership_id, func.count(), func.count(GoalStep.done_at))
        .where(GoalStep.membership_id.in_(ids)).group_by(GoalStep.membership_id)).all()} if ids else {}
    matches = sorted((p for p in pairings if p.state in SEAT_STATES + ENDED_STATES),
                     key=lambda p: p.proposed_at, reverse=True)
    programs = []
    for membership in memberships:
        goal = goals.get(membership.id)
        programs.append({
            "membership": membership,
            "program": membership.program,
            "goal": goal,
            "completeness": goal_forms.goal_completeness(goal_forms.values_of(goal, goal_forms.GOAL_FIELDS)),
            "pairings": [p for p in matches if p.mentee_membership_id == membership.id],
            "steps": steps.get(membership.id, {"done": 0, "total": 0}),
        })
    unread = threads.unread_counts(user)
    return {"programs": programs, "due": due_checkins(user), "lc": _mentee_requests(ids, pairings, unread),
            "wishes": _wishes(ids), "unread": unread, "circles": groups.my_circles(user, unread)}


def mentee_requests(user: User) -> dict:
    """The requests panel of the mentee home on its own."""
    ids = [m.id for m in _memberships_of(user, "mentee")]
    return _mentee_requests(ids, _pairings_of_mentee(ids), threads.unread_counts(user))


def due_checkins(user: User) -> list[dict]:
    """Check-ins waiting for this user's answer, oldest first: what the home pages list."""
    due = db.session.scalars(
        db.select(CheckIn).join(Membership, Membership.id == CheckIn.membership_id)
        .where(Membership.user_id == user.id, Membership.current(), CheckIn.answered_at.is_(None))
        .order_by(CheckIn.invited_at, CheckIn.id)
        .options(joinedload(CheckIn.pairing).options(_WITH_MENTOR, _WITH_MENTEE)))
    return [{"id": c.id, "day": c.day,
             "with_name": (c.pairing.mentor if c.membership_id == c.pairing.mentee_membership_id
                           else c.pairing.mentee).user.name}
            for c in due]


def _memberships_of(user: User, role: str) -> list[Membership]:
    """The user's current memberships on one side: a home page shows only the programs of its side."""
    return list(db.session.scalars(
        db.select(Membership).join(Program).where(Membership.user_id == user.id, Membership.role == role,
                                                  Membership.current()).order_by(Program.name)
        .options(joinedload(Membership.program))))


def _goal_forms(membership_ids: list[int]) -> dict[int, GoalForm]:
    if not membership_ids:
        return {}
    return {g.membership_id: g for g in db.session.scalars(
        db.select(GoalForm).where(GoalForm.membership_id.in_(sorted(set(membership_ids)))))}


def _pairings_of_mentee(membership_ids: list[int]) -> list[Pairing]:
    if not membership_ids:
        return []
    return list(db.session.scalars(db.select(Pairing).where(Pairing.mentee_membership_id.in_(membership_ids))
                                   .order_by(Pairing.id).options(_WITH_MENTOR)))


def _wishes(membership_ids: list[int]) -> dict[int, bool]:
    """pairing id -> this user's "continue next round?" answer (absent: not said yet)."""
    if not membership_ids:
        return {}
    return {w.pairing_id: w.wants for w in db.session.scalars(
        db.select(ContinueWish).where(ContinueWish.membership_id.in_(membership_ids)))}


def _mentee_requests(membership_ids: list[int], pairings: list[Pairing], unread: dict) -> dict:
    mine = list(db.session.scalars(
        db.select(MicroRequest).where(MicroRequest.mentee_membership_id.in_(membership_ids))
        .order_by(MicroRequest.created_at.desc(), MicroRequest.id.desc())
        .options(joinedload(MicroRequest.mentor).joinedload(Membership.user)))) if membership_ids else []
    done_requests, done_pairings = set(), set()
    if membership_ids:
        for request_id, pairing_id in db.session.execute(
                db.select(FollowUp.request_id, FollowUp.pairing_id)
                .where(FollowUp.mentee_membership_id.in_(membership_ids), FollowUp.kind == "followup")).all():
            done_requests.add(request_id)
            done_pairings.add(pairing_id)
    done_requests.discard(None)
    done_pairings.discard(None)
    return {
        "max_open": MAX_OPEN_REQUESTS,
        "unread": unread,  # ("request" | "pairing", id) -> unread messages (services/threads.py)
        "open_requests": [r for r in mine if r.state in PENDING_REQUEST],
        "questions": [r for r in mine if r.state == "info_requested"]
                     + [p for p in pairings if p.state == "info_requested"],
        "my_pairings": [p for p in pairings if p.state in MENTEE_PAIRING],
        "accepted_requests": [r for r in mine if r.state == "accepted"],
        "prompts": [r for r in mine if r.state in FOLLOWUP_REQUEST and r.id not in done_requests]
                   + [p for p in pairings if p.state in FOLLOWUP_PAIRING and p.id not in done_pairings],
    }
