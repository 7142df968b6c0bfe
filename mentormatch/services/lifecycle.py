"""Round pairs after publication: what is special to them beside the answering service.

Answering a proposal (accept / decline / ask-for-info / answer-info) is the shared answering
flow (services/answers/), re-exported here under the names routes and tests use; this module
keeps the pairing-only moves and lists (complete, the mentor's and the mentee's pairings).
"""
from __future__ import annotations

from ..core import clock
from ..core.events import record
from ..core.transitions import move
from ..extensions import db
from ..models import Membership, Pairing, ProgramCoordinator, User
from . import ServiceError
from .answers import (
    DECLINE_LABELS,
    MAX_INFO,
    MAX_NOTE,
    MIN_INFO,
    PAUSE_CHOICES,
    PENDING_PAIRING,
    WAITING_FOR_MENTOR,
    accept,
    answer_info,
    ask_info,
    check_pause,
    clean_info,
    decline,
    mentee_context,
    pause_mentor,
)

__all__ = [
    "DECLINE_LABELS", "MAX_INFO", "MAX_NOTE", "MIN_INFO", "PAUSE_CHOICES", "PENDING_PAIRING", "WAITING_FOR_MENTOR",
    "accept", "answer_info", "ask_info", "check_pause", "clean_info", "decline", "mentee_context", "pause_mentor",
    "pending_proposals", "complete", "questions_for_mentee", "pairings_of_mentee",
]


def pending_proposals(mentor_user: User) -> list[Pairing]:
    """Proposals waiting for this mentor's answer, oldest first."""
    return list(db.session.scalars(
        db.select(Pairing).join(Membership, Pairing.mentor_membership_id == Membership.id)
        .where(Membership.user_id == mentor_user.id, Pairing.state.in_(PENDING_PAIRING))
        .order_by(Pairing.proposed_at, Pairing.id)))


def complete(pairing: Pairing, user: User) -> Pairing:
    """The mentor or a coordinator of the program closes an active pair."""
    mentors = pairing.mentor is not None and pairing.mentor.user_id == user.id
    coordinates = user.role == "coordinator" and db.session.scalar(db.select(ProgramCoordinator.id).where(
        ProgramCoordinator.program_id == pairing.program_id, ProgramCoordinator.user_id == user.id)) is not None
    if not (mentors or coordinates):
        raise ServiceError("Only the mentor or a coordinator can close this pairing.")
    if not move(Pairing, pairing, ("accepted", "active"), "completed", ended_at=clock.now()):
        db.session.rollback()
        raise ServiceError("Only an active pairing can be completed.")
    record(pairing.program_id, "pairing", pairing.id, "active", "completed", user)
    db.session.commit()
    return pairing


def questions_for_mentee(mentee_user: User) -> list[Pairing]:
    """Proposals where the mentor asked this mentee a question that is not answered yet."""
    return list(db.session.scalars(
        db.select(Pairing).join(Membership, Pairing.mentee_membership_id == Membership.id)
        .where(Membership.user_id == mentee_user.id, Pairing.state == "info_requested").order_by(Pairing.id)))


def pairings_of_mentee(mentee_user: User) -> list[Pairing]:
    """The mentee's proposed and current pairings (what they may report or continue)."""
    return list(db.session.scalars(
        db.select(Pairing).join(Membership, Pairing.mentee_membership_id == Membership.id)
        .where(Membership.user_id == mentee_user.id, Pairing.state.in_(("proposed", "accepted", "active", "completed")))
        .order_by(Pairing.id)))
