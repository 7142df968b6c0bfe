"""The audit trail: every state change of a pairing or request is an Event row, written in the
transaction of the change."""
from ..extensions import db
from ..models import Event, User
from . import clock


def record(program_id: int, subject_type: str, subject_id: int, from_state: str | None, to_state: str,
           actor: User | None, note: str = "") -> Event:
    event = Event(program_id=program_id, subject_type=subject_type, subject_id=subject_id,
                  from_state=from_state, to_state=to_state, actor_user_id=actor.id if actor else None,
                  note=note, at=clock.now())
    db.session.add(event)
    return event


def events_of(subject_type: str, subject_id: int) -> list[Event]:
    return list(db.session.scalars(db.select(Event).where(
        Event.subject_type == subject_type, Event.subject_id == subject_id).order_by(Event.at, Event.id)))
