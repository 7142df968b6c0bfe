"""Retention: RETENTION_DAYS (config; unset or empty: off) after a program ended, its personal data
is anonymised by the scheduled run: every membership's rows of the declared list (personal.py)
erased, the program's mail log and invitations dropped, and each membership handed from its
account to a stand-in account of its own named "A former member" (no email, no way in), so that
no page of the program (people, rounds, pairings, reports, exports, the audit log) can show who
it was. The person's account and their other programs stay as they are; the figures (states,
counts, scores, dates, who was paired with whom as stand-ins) stay for reports.
`flask retention --dry-run` prints what would happen, changing nothing."""
from __future__ import annotations

from dataclasses import dataclass, field
from datetime import timedelta

from flask import current_app

from ...core import clock
from ...extensions import db
from ...models import Event, Invitation, Membership, OutboxMessage, Pairing, Program, ProgramCoordinator, User
from ...models.imports import ProgramInvitation
from .. import workbook_jobs
from ..accounts import unusable_password_hash
from . import erase
from .personal import FORMER_MEMBER


def retention_days() -> int | None:
    value = current_app.config.get("RETENTION_DAYS")
    if value in (None, ""):
        return None
    try:
        days = int(value)
    except (TypeError, ValueError):
        raise ValueError(f"RETENTION_DAYS must be a whole number of days, not {value!r}") from None
    if days < 0:
        raise ValueError("RETENTION_DAYS cannot be negative")
    return days


@dataclass
class Report:
    dry_run: bool
    days: int | None
    programs: list[tuple[str, int, int]] = field(default_factory=list)  # (name, members, rows)

    def summary(self) -> str:
        if self.days is None:
            return "Retention is off (RETENTION_DAYS is not set)."
        verb = "would anonymise" if self.dry_run else "anonymised"
        lines = [f"Retention {self.days} day(s): {verb} {len(self.programs)} ended program(s)."]
        lines += [f"  {name}: {members} member(s), {rows} row(s) of personal data"
                  for name, members, rows in self.programs]
        return "\n".join(lines)


def due_programs(days: int) -> list[Program]:
    cutoff = clock.now() - timedelta(days=days)
    return list(db.session.scalars(db.select(Program).where(
        Program.ended_at.is_not(None), Program.ended_at <= cutoff, Program.anonymised_at.is_(None))
        .order_by(Program.id)))


def run(dry_run: bool = False) -> Report:
    days = retention_days()
    report = Report(dry_run=dry_run, days=days)
    if days is None:
        return report
    for program in due_programs(days):
        member_ids = list(db.session.scalars(db.select(Membership.id).where(Membership.program_id == program.id)))
        rows = erase.count_memberships(member_ids)
        report.programs.append((program.name, len(member_ids), rows))
        if dry_run:
            continue
        erase.erase_memberships(member_ids)
        detach_members(program)
        workbook_jobs.drop_for_programs([program.id])
        for model in (OutboxMessage, Invitation, ProgramInvitation):
            db.session.execute(db.delete(model).where(model.program_id == program.id)
                               .execution_options(synchronize_session=False))
        program.anonymised_at = clock.now()
        db.session.commit()
    return report


def detach_members(program: Program) -> int:
    """Hand each membership of the program to a stand-in account, and the program's own traces of
    the person (who did what in its audit trail, who ended a pairing) with it. Pages name people
    through their account, so this is what makes every page of the program say "A former member"
    without touching the account's name, which its other programs still show. Coordinators stay:
    they are the ones who may still open the program. Returns the memberships detached."""
    coordinators = set(db.session.scalars(db.select(ProgramCoordinator.user_id)
                                          .where(ProgramCoordinator.program_id == program.id)))
    memberships = [m for m in db.session.scalars(db.select(Membership).where(Membership.program_id == program.id)
                                                 .order_by(Membership.id)) if m.user_id not in coordinators]
    now = clock.now()
    for membership in memberships:
        person = db.session.get(User, membership.user_id)
        if person.erased_at is not None and person.name == FORMER_MEMBER:
            continue  # already nobody
        stand_in = User(role=membership.role, name=FORMER_MEMBER, email=f"former-{program.id}-{membership.id}@erased.invalid",
                        password_hash=unusable_password_hash(), erased_at=now)
        db.session.add(stand_in)
        db.session.flush()
        for column, where in ((Event.actor_user_id, Event.program_id == program.id),
                              (Pairing.ended_by_user_id, Pairing.program_id == program.id)):
            db.session.execute(db.update(column.class_).where(where, column == person.id)
                               .values({column.key: stand_in.id}).execution_options(synchronize_session=False))
        membership.user_id = stand_in.id
    db.session.flush()
    return len(memberships)
