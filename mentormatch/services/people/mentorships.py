"""Memberships, and the pairings that decide who may see whose goal form."""
from ...extensions import db
from ...models import ENDED_STATES, SEAT_STATES, Membership, Pairing, Program, User

CURRENT_STATES = ("accepted", "active")        # a mentor may read the mentee's goal form
FOLLOWUP_STATES = ("accepted", "active") + ENDED_STATES  # a conversation has happened or can


def memberships_of(user: User) -> list[Membership]:
    return list(db.session.scalars(
        db.select(Membership).join(Program).where(Membership.user_id == user.id, Membership.current()).order_by(Program.name)))


def mentee_pairings(membership: Membership) -> list[Pairing]:
    return list(db.session.scalars(db.select(Pairing).where(
        Pairing.mentee_membership_id == membership.id,
        Pairing.state.in_(SEAT_STATES + ENDED_STATES)).order_by(Pairing.proposed_at.desc())))


def current_mentee_pairings(mentor: Membership) -> list[Pairing]:
    return list(db.session.scalars(db.select(Pairing).where(
        Pairing.mentor_membership_id == mentor.id, Pairing.state.in_(CURRENT_STATES)).order_by(Pairing.proposed_at)))


def current_pairing(mentor: Membership, mentee_membership_id: int) -> Pairing | None:
    """The pairing that lets this mentor read this mentee's goal form, if there is one."""
    return db.session.scalar(db.select(Pairing).where(
        Pairing.mentor_membership_id == mentor.id, Pairing.mentee_membership_id == mentee_membership_id,
        Pairing.state.in_(CURRENT_STATES)).order_by(Pairing.id.desc()).limit(1))


def mentee_pairing(user: User, pairing_id: int) -> Pairing | None:
    """A pairing of this mentee's own that has reached a conversation."""
    return db.session.scalar(db.select(Pairing).join(Membership, Pairing.mentee_membership_id == Membership.id).where(
        Pairing.id == pairing_id, Membership.user_id == user.id, Membership.role == "mentee", Membership.current(),
        Pairing.state.in_(FOLLOWUP_STATES)))
