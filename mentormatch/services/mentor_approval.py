"""Mentor approval: a program can require a coordinator to approve each mentor before they appear
in the directory (micro-requests) or in round pools."""
from __future__ import annotations

from flask_babel import gettext as _

from ..core import clock, links, outbox
from ..core.events import record
from ..extensions import db
from ..models import Membership, Program, User
from . import ServiceError


def mentor_approved(membership: Membership) -> bool:
    return not membership.program.requires_mentor_approval or membership.approved_at is not None


def unapproved_mentor_ids(program_id: int) -> set[int]:
    """Mentor memberships hidden from the directory and from round pools."""
    program = db.session.get(Program, program_id)
    if program is None or not program.requires_mentor_approval:
        return set()
    return set(db.session.scalars(db.select(Membership.id).join(User, User.id == Membership.user_id).where(
        Membership.program_id == program_id, Membership.current(), Membership.role == "mentor", Membership.approved_at.is_(None))))


def pending_mentors(program: Program) -> list[Membership]:
    if not program.requires_mentor_approval:
        return []
    return list(db.session.scalars(db.select(Membership).join(User, User.id == Membership.user_id).where(
        Membership.program_id == program.id, Membership.current(), Membership.role == "mentor", Membership.approved_at.is_(None))
        .order_by(User.name)))


def approve_mentor(program: Program, membership: Membership, coordinator: User) -> None:
    if membership.program_id != program.id or membership.role != "mentor":
        raise ServiceError(_("Only a mentor of this program can be approved."))
    moved = db.session.execute(db.update(Membership).where(Membership.id == membership.id,
                                                           Membership.approved_at.is_(None))
                               .values(approved_at=clock.now()).execution_options(synchronize_session=False))
    if moved.rowcount != 1:
        db.session.rollback()
        raise ServiceError(f"{membership.user.name} is already approved.")
    record(program.id, "mentor", membership.id, None, "approved", coordinator)
    user = membership.user
    outbox.send(user, "mentor_approved", program_id=program.id, name=user.name, program_name=program.name,
                coordinator_name=coordinator.name, home_url=links.link("mentor.home"))
    db.session.commit()
