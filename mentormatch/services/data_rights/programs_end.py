"""A program's coordinators and its end: removing a co-coordinator (never the last one), and
marking the program ended, which starts the retention clock (retention.py)."""
from __future__ import annotations

from flask_babel import gettext as _

from ...core import clock
from ...extensions import db
from ...models import Program, ProgramCoordinator, User
from .. import ServiceError
from . import deletion


def remove_coordinator(program: Program, user_id: int, actor: User) -> None:
    link = db.session.scalar(db.select(ProgramCoordinator).where(
        ProgramCoordinator.program_id == program.id, ProgramCoordinator.user_id == user_id))
    if link is None:
        raise ServiceError(_("That person does not coordinate this program."))
    if not deletion.staying_coordinators(program.id, but=user_id):
        raise ServiceError(_("A program needs at least one coordinator: appoint another one first."))
    db.session.delete(link)
    db.session.commit()


def end(program: Program, actor: User) -> Program:
    if program.ended_at is not None:
        raise ServiceError(_("This program has already ended."))
    program.ended_at = clock.now()
    db.session.commit()
    return program


def coordinators_of(program: Program) -> list[User]:
    return list(db.session.scalars(db.select(User).join(ProgramCoordinator, ProgramCoordinator.user_id == User.id)
                                   .where(ProgramCoordinator.program_id == program.id).order_by(User.name, User.id)))
