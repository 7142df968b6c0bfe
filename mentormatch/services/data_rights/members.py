"""A coordinator removes a member from a program.

What waits on them is released the way a mentor going unavailable releases it (answers/release.py:
the same kind email to each mentee); what they wait on as a mentee is withdrawn; a running
mentorship ends early with the other side told. The membership row stays (the other side's
history points at it) with removed_at set, which every "my membership" lookup skips
(Membership.current()), so the member loses access to the program at once.
"""
from __future__ import annotations

from flask_babel import gettext as _

from ...core import clock, links, outbox
from ...core.events import record
from ...core.transitions import move
from ...extensions import db
from ...models import ENDABLE_STATES, Membership, Pairing, Program, User
from .. import ServiceError, meetings
from ..answers import KINDS
from ..answers.release import release

LEFT_REASON = "A member left the program."
WITHDRAWN = {"pairing": "declined", "request": "cancelled"}


def withdraw_as_mentee(member: Membership, actor: User | None, now) -> None:
    for kind in KINDS.values():
        model = kind.model
        for item in db.session.scalars(db.select(model).where(
                model.mentee_membership_id == member.id, model.state.in_(kind.pending)).order_by(model.id)):
            before = item.state
            if move(model, item, kind.pending, WITHDRAWN[kind.name], ended_at=now):
                kind.after_leaving(item)
                record(item.program_id, kind.name, item.id, before, WITHDRAWN[kind.name], actor, LEFT_REASON)


def end_mentorships(member: Membership, actor: User | None, now) -> None:
    for pairing in list(db.session.scalars(db.select(Pairing).where(
            (Pairing.mentee_membership_id == member.id) | (Pairing.mentor_membership_id == member.id),
            Pairing.state.in_(ENDABLE_STATES)).order_by(Pairing.id))):
        before = pairing.state
        if not move(Pairing, pairing, ENDABLE_STATES, "ended_early", ended_at=now, end_reason=LEFT_REASON,
                    ended_by_user_id=actor.id if actor else None):
            continue
        record(pairing.program_id, "pairing", pairing.id, before, "ended_early", actor, LEFT_REASON)
        meetings.call_off(pairing, actor)
        other = pairing.mentor if pairing.mentee_membership_id == member.id else pairing.mentee
        outbox.send(other.user, "member_left", program_id=pairing.program_id, person=other.user,
                    program=other.program, home_url=links.link("public.index"))


def remove(program: Program, member: Membership, actor: User) -> Membership:
    if member.program_id != program.id:
        raise ServiceError(_("This person is not in this program."))
    now = clock.now()
    # Claimed with a conditional UPDATE: two coordinators pressing at once remove (and release) once.
    claimed = db.session.execute(db.update(Membership).where(
        Membership.id == member.id, Membership.removed_at.is_(None)).values(removed_at=now)
        .execution_options(synchronize_session=False)).rowcount
    if not claimed:
        db.session.rollback()
        raise ServiceError(_("This person has already been removed from the program."))
    db.session.refresh(member)
    if member.role == "mentor":
        release(member, "removed", actor)
    withdraw_as_mentee(member, actor, now)
    end_mentorships(member, actor, now)
    record(program.id, "member", member.id, "member", "removed", actor, "")
    db.session.commit()
    return member
