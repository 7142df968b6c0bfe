"""The program audit log: who did what, when, read from the one audit trail (core/events.py's
Event rows, and RoundEvent for rounds), with filters and a CSV export. Nothing is written here."""
from __future__ import annotations

import csv
import io
from dataclasses import dataclass
from datetime import date, datetime, time, timedelta

from flask_babel import lazy_gettext as _l

from ...extensions import db
from ...models import Event, Membership, Program, Round, RoundEvent, User
from ..rounds.export import safe_cell

KINDS = {"pairing": _l("Pairings"), "request": _l("Micro-requests"), "mentor": _l("Mentors"), "member": _l("Members"),
         "round": _l("Rounds")}
LIMIT = 500  # rows on the page; the CSV has them all


@dataclass(frozen=True)
class Entry:
    at: datetime
    actor: str
    kind: str
    subject: str
    what: str
    note: str


@dataclass
class Filters:
    actor_id: int | None = None
    kind: str = ""
    since: date | None = None
    until: date | None = None


def actors(program: Program) -> list[tuple[int, str]]:
    """Everyone who did something in the program, for the actor filter."""
    ids = set(db.session.scalars(db.select(Event.actor_user_id).where(
        Event.program_id == program.id, Event.actor_user_id.is_not(None)).distinct()))
    ids |= set(db.session.scalars(db.select(RoundEvent.actor_id).join(Round, Round.id == RoundEvent.round_id).where(
        Round.program_id == program.id, RoundEvent.actor_id.is_not(None)).distinct()))
    users = db.session.scalars(db.select(User).where(User.id.in_(ids))) if ids else []
    return sorted(((u.id, u.name) for u in users), key=lambda pair: (pair[1].lower(), pair[0]))


def _window(query, column, filters: Filters):
    if filters.since:
        query = query.where(column >= datetime.combine(filters.since, time.min))
    if filters.until:
        query = query.where(column < datetime.combine(filters.until + timedelta(days=1), time.min))
    return query


def entries(program: Program, filters: Filters, limit: int | None = LIMIT) -> list[Entry]:
    names = dict(db.session.execute(db.select(User.id, User.name).where(User.id.in_(
        [a for a, _ in actors(program)] or [-1]))).all())
    rows: list[Entry] = []
    if filters.kind != "round":
        q = db.select(Event).where(Event.program_id == program.id)
        if filters.kind:
            q = q.where(Event.subject_type == filters.kind)
        if filters.actor_id:
            q = q.where(Event.actor_user_id == filters.actor_id)
        q = _window(q, Event.at, filters).order_by(Event.at.desc(), Event.id.desc())
        if limit:
            q = q.limit(limit)
        events = list(db.session.scalars(q))
        # A member's or mentor's event names the person (as they are now: an erased account reads
        # "A former member"); pairings and requests keep their number.
        people = dict(db.session.execute(db.select(Membership.id, User.name).join(User, User.id == Membership.user_id)
                                          .where(Membership.id.in_([e.subject_id for e in events
                                                                    if e.subject_type in ("member", "mentor")] or [-1]))
                                          ).all())
        rows += [Entry(e.at, names.get(e.actor_user_id, "the system"), e.subject_type,
                       f"{e.subject_type}: {people[e.subject_id]}" if e.subject_id in people
                       and e.subject_type in ("member", "mentor") else f"{e.subject_type} {e.subject_id}",
                       f"{e.from_state or '—'} → {e.to_state}", e.note)
                 for e in events]
    if filters.kind in ("", "round"):
        q = (db.select(RoundEvent, Round.name).join(Round, Round.id == RoundEvent.round_id)
             .where(Round.program_id == program.id))
        if filters.actor_id:
            q = q.where(RoundEvent.actor_id == filters.actor_id)
        q = _window(q, RoundEvent.at, filters).order_by(RoundEvent.at.desc(), RoundEvent.id.desc())
        if limit:
            q = q.limit(limit)
        rows += [Entry(e.at, names.get(e.actor_id, "the system"), "round", name, e.action.replace("_", " "), "")
                 for e, name in db.session.execute(q)]
    rows.sort(key=lambda entry: entry.at, reverse=True)
    return rows[:limit] if limit else rows


def as_csv(program: Program, filters: Filters) -> str:
    out = io.StringIO()
    writer = csv.writer(out)
    writer.writerow(["at", "actor", "kind", "subject", "what", "note"])
    for e in entries(program, filters, limit=None):
        writer.writerow([safe_cell(v) for v in (e.at.isoformat(sep=" ", timespec="seconds"), e.actor, e.kind,
                                                e.subject, e.what, e.note)])
    return out.getvalue()
