"""A program's data as CSV files (one per kind) and as one .xlsx workbook, for coordinators.

Each kind is a table: a header and rows of plain values. Names come from one lookup of the
program's members, so an export is a handful of queries whatever the program's size. Every text
cell goes through the same formula rule as a round's pair export (services/rounds/export.safe_cell):
a spreadsheet must never run a cell someone typed.
"""
from __future__ import annotations

import contextlib
import csv
import io
import re
from collections.abc import Callable
from dataclasses import dataclass
from datetime import date, datetime

from openpyxl import Workbook
from openpyxl.cell import WriteOnlyCell
from openpyxl.styles import Font

from ..extensions import db
from ..models import (
    CheckIn,
    ClosingSurvey,
    GoalForm,
    Meeting,
    Membership,
    MentorProfile,
    MicroRequest,
    Pairing,
    Program,
    Round,
    Term,
    User,
)
from . import questions
from .rounds.export import safe_cell

# openpyxl refuses control characters other than tab, newline and carriage return.
XLSX_ILLEGAL = re.compile(r"[\x00-\x08\x0b\x0c\x0e-\x1f]")


@dataclass
class Table:
    kind: str
    title: str
    header: list[str]
    rows: list[list]


class _Lookup:
    """The program's members and terms, loaded once for every table of an export."""

    def __init__(self, program: Program):
        self.people = {mid: (name, email, role) for mid, name, email, role in db.session.execute(
            db.select(Membership.id, User.name, User.email, Membership.role).join(User, User.id == Membership.user_id)
            .where(Membership.program_id == program.id))}
        self.terms = dict(db.session.execute(db.select(Term.id, Term.name).where(Term.program_id == program.id)).all())
        self.rounds = dict(db.session.execute(db.select(Round.id, Round.name).where(Round.program_id == program.id)).all())

    def name(self, membership_id) -> str:
        return self.people.get(membership_id, ("", "", ""))[0]

    def email(self, membership_id) -> str:
        return self.people.get(membership_id, ("", "", ""))[1]

    def term_names(self, ids) -> str:
        return "; ".join(self.terms[i] for i in (ids or []) if i in self.terms)


def _people(program: Program, look: _Lookup) -> Table:
    rows = db.session.execute(
        db.select(Membership, User, GoalForm.submitted_at, MentorProfile.id)
        .join(User, User.id == Membership.user_id)
        .outerjoin(GoalForm, GoalForm.membership_id == Membership.id)
        .outerjoin(MentorProfile, MentorProfile.membership_id == Membership.id)
        .where(Membership.program_id == program.id).order_by(Membership.role, User.name, Membership.id))
    out = []
    for m, u, submitted, profile_id in rows:
        if m.role == "mentee":
            form = "submitted" if submitted else "not submitted"
        else:
            form = "profile filled in" if profile_id else "no profile"
        out.append([m.id, u.name, u.email, m.role, m.joined_at, m.approved_at, form])
    return Table("people", "People", ["member_id", "name", "email", "role", "joined_at", "approved_at", "form"], out)


def _context(row, look: _Lookup) -> list:
    return [row.role_level, row.years, row.industry, look.term_names(row.groups), row.background, row.location,
            "; ".join(row.languages or []), row.timezone, look.term_names(row.topics)]


CONTEXT_HEADER = ["role_level", "years", "industry", "groups", "background", "location", "languages", "timezone",
                  "topics"]


def _with_custom(header: list[str], rows: list[tuple[list, object]]) -> tuple[list[str], list[list]]:
    """Add one column per question of the program's own (issue 17) found on any form, in first-seen
    order; answers to changed or deleted questions keep the label they were given under."""
    by_member = questions.labelled_answers_of([form.membership_id for _, form in rows])
    answers = [(row, by_member.get(form.membership_id, {})) for row, form in rows]
    labels = list(dict.fromkeys(label for _, a in answers for label in a))
    return header + labels, [row + [a.get(label, "") for label in labels] for row, a in answers]


def _goal_forms(program: Program, look: _Lookup) -> Table:
    forms = db.session.scalars(db.select(GoalForm).join(Membership, Membership.id == GoalForm.membership_id)
                               .where(Membership.program_id == program.id).order_by(GoalForm.id))
    rows = [([f.membership_id, look.name(f.membership_id), look.email(f.membership_id), f.submitted_at,
              f.near_term_goal, f.long_term_goal, f.power_question, f.preference, f.wants,
              "; ".join(f.context_matters or []), *_context(f, look)], f) for f in forms]
    header, rows = _with_custom(["member_id", "name", "email", "submitted_at", "near_term_goal", "long_term_goal",
                                 "power_question", "preference", "wants", "context_matters", *CONTEXT_HEADER], rows)
    return Table("goal_forms", "Goal forms", header, rows)


def _profiles(program: Program, look: _Lookup) -> Table:
    profiles = db.session.scalars(db.select(MentorProfile).join(Membership, Membership.id == MentorProfile.membership_id)
                                  .where(Membership.program_id == program.id).order_by(MentorProfile.id))
    rows = [([p.membership_id, look.name(p.membership_id), look.email(p.membership_id), p.capacity_round,
              p.capacity_micro, "yes" if p.available else "no", p.away_until, "; ".join(p.prefers_stages or []),
              look.term_names(p.prefers_topics), p.bio, *_context(p, look)], p) for p in profiles]
    header, rows = _with_custom(["member_id", "name", "email", "capacity_round", "capacity_micro", "available",
                                 "away_until", "prefers_stages", "prefers_topics", "bio", *CONTEXT_HEADER], rows)
    return Table("profiles", "Mentor profiles", header, rows)


def _pairings(program: Program, look: _Lookup) -> Table:
    rows = [[p.id, look.rounds.get(p.round_id, "from a micro-request" if p.from_request_id else ""),
             look.name(p.mentee_membership_id), look.name(p.mentor_membership_id), p.state, p.score, p.sentence,
             p.proposed_at, p.answered_at, p.ended_at, p.decline_reason, p.end_reason]
            for p in db.session.scalars(db.select(Pairing).where(Pairing.program_id == program.id).order_by(Pairing.id))]
    return Table("pairings", "Pairings", ["pairing_id", "round", "mentee", "mentor", "state", "score", "why",
                                          "proposed_at", "answered_at", "ended_at", "decline_reason", "end_reason"], rows)


def _requests(program: Program, look: _Lookup) -> Table:
    rows = [[r.id, r.kind, look.name(r.mentee_membership_id), look.name(r.mentor_membership_id), r.state, r.question,
             r.created_at, r.answered_at, r.ended_at, r.decline_reason]
            for r in db.session.scalars(db.select(MicroRequest).where(MicroRequest.program_id == program.id)
                                        .order_by(MicroRequest.id))]
    return Table("micro_requests", "Micro-requests", ["request_id", "kind", "mentee", "mentor", "state", "question",
                                                      "created_at", "answered_at", "ended_at", "decline_reason"], rows)


def _meetings(program: Program, look: _Lookup) -> Table:
    rows = [[m.id, m.pairing_id, m.request_id, m.state, m.starts_at, m.duration, m.mentee_met, m.mentor_met,
             m.created_at]
            for m in db.session.scalars(db.select(Meeting).where(Meeting.program_id == program.id).order_by(Meeting.id))]
    return Table("meetings", "Meetings", ["meeting_id", "pairing_id", "request_id", "state", "starts_at_utc",
                                          "minutes", "mentee_met", "mentor_met", "created_at"], rows)


def _checkins(program: Program, look: _Lookup) -> Table:
    rows = [[c.id, c.pairing_id, look.name(c.membership_id), look.people.get(c.membership_id, ("", "", ""))[2],
             c.day, c.score, c.comment, c.invited_at, c.answered_at]
            for c in db.session.scalars(db.select(CheckIn).where(CheckIn.program_id == program.id).order_by(CheckIn.id))]
    return Table("checkins", "Check-ins", ["checkin_id", "pairing_id", "person", "side", "day", "score", "comment",
                                           "invited_at", "answered_at"], rows)


def _surveys(program: Program, look: _Lookup) -> Table:
    rows = [[s.id, s.pairing_id, look.name(s.membership_id), s.role, s.recommend, s.changed, s.created_at]
            for s in db.session.scalars(db.select(ClosingSurvey).join(Pairing, Pairing.id == ClosingSurvey.pairing_id)
                                        .where(Pairing.program_id == program.id).order_by(ClosingSurvey.id))]
    return Table("surveys", "Closing surveys", ["survey_id", "pairing_id", "person", "role", "recommend_0_10",
                                                "what_changed", "answered_at"], rows)


KINDS: dict[str, Callable[[Program, _Lookup], Table]] = {
    "people": _people, "goal_forms": _goal_forms, "profiles": _profiles, "pairings": _pairings,
    "micro_requests": _requests, "meetings": _meetings, "checkins": _checkins, "surveys": _surveys,
}


def member_count(program: Program) -> int:
    return db.session.scalar(db.select(db.func.count()).select_from(Membership)
                             .where(Membership.program_id == program.id)) or 0


def table(program: Program, kind: str, look: _Lookup | None = None) -> Table:
    return KINDS[kind](program, look or _Lookup(program))


def _text(value) -> str:
    if value is None:
        return ""
    if isinstance(value, datetime):
        return value.strftime("%Y-%m-%d %H:%M")
    if isinstance(value, date):
        return value.isoformat()
    return str(value)


def export_csv(program: Program, kind: str) -> str:
    t = table(program, kind)
    out = io.StringIO()
    writer = csv.writer(out)
    writer.writerow(t.header)
    for row in t.rows:
        writer.writerow([safe_cell(_text(v)) for v in row])
    return out.getvalue()


def _xlsx_cell(value):
    """Numbers and dates stay typed; text takes the formula rule and loses what openpyxl refuses."""
    if value is None or isinstance(value, bool):
        return _text(value)
    if isinstance(value, int | float | datetime | date):
        return value
    return XLSX_ILLEGAL.sub("", safe_cell(value))


def export_workbook(program: Program, progress: Callable[[int, str], None] | None = None) -> bytes:
    """One sheet per kind, in the order of KINDS, a bold frozen header row on each. Write-only mode
    streams the rows: a 5,000-person program is some 200,000 cells. `progress(sheets_done, title)`
    is told before each sheet (the background job's heartbeat and progress bar)."""
    look = _Lookup(program)
    book = Workbook(write_only=True)
    try:
        for done, kind in enumerate(KINDS):
            t = table(program, kind, look)
            if progress:
                progress(done, t.title)
            sheet = book.create_sheet(t.title)
            sheet.freeze_panes = "A2"
            header = []
            for name in t.header:
                cell = WriteOnlyCell(sheet, value=_xlsx_cell(name))
                cell.font = Font(bold=True)
                header.append(cell)
            sheet.append(header)
            for row in t.rows:
                sheet.append([_xlsx_cell(v) for v in row])
    except BaseException:
        # A write-only sheet streams through an open generator: left half-written, it fails later, when the
        # garbage collector closes it, far from here. Finish the abandoned book into nothing instead.
        with contextlib.suppress(Exception):
            book.save(io.BytesIO())
        raise
    out = io.BytesIO()
    book.save(out)
    return out.getvalue()
