"""A round's audit trail: every coordinator action on a round is a RoundEvent row, written in the
transaction of the action."""
from __future__ import annotations

from ...extensions import db
from ...models import User
from ...models.rounds import Round, RoundEvent


def record(round_: Round, actor: User | None, action: str, **detail) -> None:
    db.session.add(RoundEvent(round_id=round_.id, actor_id=actor.id if actor else None, action=action, detail=detail))


def events_of(round_: Round, limit: int = 50) -> list[RoundEvent]:
    return list(db.session.scalars(db.select(RoundEvent).where(RoundEvent.round_id == round_.id)
                                   .order_by(RoundEvent.id.desc()).limit(limit)))
