"""A person's own data, from the same declared list the erasure uses (personal.py): one JSON
document and the readable page built from it. Secrets (password hash, session and invitation
tokens) are left out: they are not about the person and would let a copy of the file log in."""
from __future__ import annotations

from datetime import date, datetime

from ...extensions import db
from ...models import Membership, Program, User
from .personal import PERSONAL

SECRET_COLUMNS = {"password_hash", "token_hash", "token"}
FORMAT = "mentormatch-personal-data"
VERSION = 1


def _value(value):
    if isinstance(value, datetime | date):
        return value.isoformat()
    return value


def _row(row) -> dict:
    return {c.key: _value(getattr(row, c.key)) for c in row.__table__.columns if c.key not in SECRET_COLUMNS}


def collect(user: User) -> dict:
    memberships = list(db.session.scalars(db.select(Membership).where(Membership.user_id == user.id)
                                          .order_by(Membership.id)))
    names = dict(db.session.execute(db.select(Program.id, Program.name).where(
        Program.id.in_([m.program_id for m in memberships] or [-1]))).all())
    owners = {"user": [user.id], "membership": [m.id for m in memberships]}
    sections = []
    for entry in (e for e in PERSONAL if e.exported):
        rows = list(db.session.scalars(db.select(entry.model).where(entry.whose(owners[entry.by]))
                                       .order_by(*entry.model.__table__.primary_key.columns)))
        sections.append({"title": entry.title, "table": entry.model.__tablename__,
                         "rows": [_row(r) for r in rows]})
    return {
        "format": FORMAT, "version": VERSION,
        "account": _row(user),
        "memberships": [{**_row(m), "program": names.get(m.program_id, "")} for m in memberships],
        "sections": sections,
    }
