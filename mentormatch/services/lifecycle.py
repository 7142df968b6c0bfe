"""Round pairs after publication: what is special to them beside the answering service.

Answering a proposal (accept / decline / ask for info / answer it) is the shared answering flow
(services/answers/); the mentor and mentee homes list pairings through services/home.py. This
module keeps the pairing-only moves: completing an active pair.
"""
from __future__ import annotations

from ..core import clock
from ..core.events import record
from ..core.transitions import move
from ..extensions import db
from ..models import Pairing, ProgramCoordinator, User
from . import ServiceError


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
