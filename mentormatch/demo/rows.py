"""Row helpers for demo data that carries past timestamps, so it is written directly rather than
through the services (which stamp the present): the members of a role, an audit event at a given
time, a round pairing proposed some days ago."""
from datetime import timedelta

from ..core import clock
from ..extensions import db
from ..models import Event, Membership, Pairing, User

SENTENCE = "shares the context the mentee cares about; a few years ahead, as asked"


def members(program, role: str) -> list[Membership]:
    return list(db.session.scalars(db.select(Membership).join(User).where(
        Membership.program_id == program.id, Membership.role == role).order_by(Membership.id)))


def event(program, kind, subject_id, from_state, to_state, actor_id, at, note=""):
    db.session.add(Event(program_id=program.id, subject_type=kind, subject_id=subject_id, from_state=from_state,
                         to_state=to_state, actor_user_id=actor_id, at=at, note=note))


def pairing(program, mentee, mentor, state, days_ago, answered_days_ago=None, **values) -> Pairing:
    now = clock.now()
    p = Pairing(program_id=program.id, mentee_membership_id=mentee.id, mentor_membership_id=mentor.id, state=state,
                proposed_at=now - timedelta(days=days_ago), sentence=SENTENCE, score=72,
                answered_at=now - timedelta(days=answered_days_ago) if answered_days_ago is not None else None,
                followup_asked_at=now if state in ("active", "completed") else None, **values)
    db.session.add(p)
    db.session.flush()
    return p
