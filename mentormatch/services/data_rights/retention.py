"""Retention: RETENTION_DAYS (config; unset or empty: off) after a program ended, its personal data
is anonymised by the scheduled run: every membership's rows of the declared list (personal.py)
erased, the program's mail log and invitations dropped. Accounts themselves stay (a person may be
in other programs); the figures (states, counts, scores, dates) stay for reports.
`flask retention --dry-run` prints what would happen, changing nothing."""
from __future__ import annotations

from dataclasses import dataclass, field
from datetime import timedelta

from flask import current_app

from ...core import clock
from ...extensions import db
from ...models import Invitation, Membership, OutboxMessage, Program
from ...models.imports import ProgramInvitation
from . import erase


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
        for model in (OutboxMessage, Invitation, ProgramInvitation):
            db.session.execute(db.delete(model).where(model.program_id == program.id)
                               .execution_options(synchronize_session=False))
        program.anonymised_at = clock.now()
        db.session.commit()
    return report
