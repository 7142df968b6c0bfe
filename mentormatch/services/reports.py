"""The program report a coordinator sends upward: who took part, how rounds matched, who met, what
people said, and how each round compares with the ones before.

Every figure comes from a grouped query over the whole program, so the page costs the same
number of statements for 50 people or 5,000 (tests/web/test_reports.py counts them). The mentor
response figures and the closing surveys come from services/health.py, not a second copy.
"""
from __future__ import annotations

from dataclasses import dataclass, field
from datetime import datetime

from sqlalchemy import func

from ..core import clock
from ..extensions import db
from ..models import (
    CHECKIN_DAYS,
    CheckIn,
    ClosingSurvey,
    GoalForm,
    Meeting,
    Membership,
    MentorProfile,
    Pairing,
    Program,
    Round,
    SolveRun,
    User,
)
from . import health
from .checkins import LOW
from .meetings import met_condition

# A pairing that was accepted at some point: what "matched and started" means for the report.
STARTED = ("accepted", "active", "completed", "ended_early", "inactive")


@dataclass
class People:
    mentees: int = 0
    mentees_submitted: int = 0   # goal form sent
    mentees_started: int = 0     # goal form begun, not sent
    mentors: int = 0
    mentors_with_profile: int = 0
    mentors_approved: int = 0    # only read when the program requires approval

    @property
    def mentees_not_started(self) -> int:
        return self.mentees - self.mentees_submitted - self.mentees_started


@dataclass
class RoundRow:
    """One published round: the cohort the trends compare."""

    round_id: int
    name: str
    state: str
    pool: int = 0          # mentees in the approved run
    matched: int = 0       # mentees the run matched
    published: int = 0     # pairings made from it
    started: int = 0       # accepted at some point
    met: int = 0           # pairings with a meeting both did not deny
    completed: int = 0
    ended_early: int = 0
    recommend: list[int] = field(default_factory=list)

    @property
    def match_rate(self) -> int | None:
        return _percent(self.matched, self.pool)

    @property
    def met_rate(self) -> int | None:
        return _percent(self.met, self.published)

    @property
    def completed_rate(self) -> int | None:
        return _percent(self.completed, self.published)

    @property
    def nps(self) -> int | None:
        return net_promoter(self.recommend)


@dataclass
class CheckInDay:
    day: int
    invited: int = 0
    answered: int = 0
    low: int = 0
    scores: dict[int, int] = field(default_factory=lambda: dict.fromkeys(range(1, 6), 0))

    @property
    def average(self) -> float | None:
        total = sum(self.scores.values())
        return round(sum(s * n for s, n in self.scores.items()) / total, 1) if total else None


@dataclass
class Meetings:
    pairs_met: int = 0       # round pairings with at least one meeting that happened
    requests_met: int = 0    # micro-requests likewise
    meetings_held: int = 0   # meetings that happened, both kinds
    pairs_started: int = 0   # pairings accepted at some point (the denominator)

    @property
    def met_rate(self) -> int | None:
        return _percent(self.pairs_met, self.pairs_started)


@dataclass
class Report:
    program: Program
    people: People
    rounds: list[RoundRow]
    meetings: Meetings
    checkins: list[CheckInDay]
    response: health.Health
    endings: health.Endings
    nps: dict[str, int | None]   # per survey side
    as_of: datetime


def _percent(part: int, whole: int) -> int | None:
    return round(100 * part / whole) if whole else None


def net_promoter(scores: list[int]) -> int | None:
    """The net-promoter figure of 0-10 'would you recommend' answers: % of 9-10 minus % of 0-6."""
    if not scores:
        return None
    promoters = sum(1 for s in scores if s >= 9)
    detractors = sum(1 for s in scores if s <= 6)
    return round(100 * (promoters - detractors) / len(scores))


def program_report(program: Program) -> Report:
    endings = health.endings(program)
    return Report(program=program, people=people_figures(program), rounds=round_rows(program),
                  meetings=meeting_figures(program), checkins=checkin_days(program),
                  response=health.response_figures(program), endings=endings,
                  nps={side.role: net_promoter(side.scores) for side in endings.sides}, as_of=clock.now())


def people_figures(program: Program) -> People:
    p = People()
    rows = db.session.execute(
        db.select(Membership.role, GoalForm.submitted_at.is_not(None), GoalForm.id.is_not(None), MentorProfile.id.is_not(None),
                  Membership.approved_at.is_not(None), func.count())
        .select_from(Membership).join(User, User.id == Membership.user_id)
        .outerjoin(GoalForm, GoalForm.membership_id == Membership.id)
        .outerjoin(MentorProfile, MentorProfile.membership_id == Membership.id)
        .where(Membership.program_id == program.id)
        .group_by(Membership.role, GoalForm.submitted_at.is_not(None), GoalForm.id.is_not(None),
                  MentorProfile.id.is_not(None), Membership.approved_at.is_not(None)))
    for role, submitted, has_form, has_profile, approved, count in rows:
        if role == "mentee":
            p.mentees += count
            if submitted:
                p.mentees_submitted += count
            elif has_form:
                p.mentees_started += count
        elif role == "mentor":
            p.mentors += count
            p.mentors_with_profile += count if has_profile else 0
            p.mentors_approved += count if approved else 0
    return p


def round_rows(program: Program) -> list[RoundRow]:
    """Published rounds, oldest first, with what became of their pairs."""
    rows = {r.id: RoundRow(r.id, r.name, r.state) for r in db.session.scalars(
        db.select(Round).where(Round.program_id == program.id, Round.approved_run_id.is_not(None))
        .order_by(Round.approved_at, Round.id))}
    if not rows:
        return []
    for round_id, pool, matched in db.session.execute(
            db.select(Round.id, SolveRun.mentee_count, SolveRun.matched_count)
            .join(SolveRun, SolveRun.id == Round.approved_run_id).where(Round.id.in_(rows))):
        rows[round_id].pool, rows[round_id].matched = pool, matched
    in_rounds = db.and_(Pairing.program_id == program.id, Pairing.round_id.in_(rows))
    for round_id, state, count in db.session.execute(
            db.select(Pairing.round_id, Pairing.state, func.count()).where(in_rounds)
            .group_by(Pairing.round_id, Pairing.state)):
        row = rows[round_id]
        row.published += count
        row.started += count if state in STARTED else 0
        row.completed += count if state == "completed" else 0
        row.ended_early += count if state == "ended_early" else 0
    for round_id, count in db.session.execute(
            db.select(Pairing.round_id, func.count(func.distinct(Meeting.pairing_id)))
            .join(Meeting, Meeting.pairing_id == Pairing.id).where(in_rounds, met_condition())
            .group_by(Pairing.round_id)):
        rows[round_id].met = count
    for round_id, score in db.session.execute(
            db.select(Pairing.round_id, ClosingSurvey.recommend).join(Pairing, Pairing.id == ClosingSurvey.pairing_id)
            .where(in_rounds, ClosingSurvey.recommend.is_not(None))):
        rows[round_id].recommend.append(score)
    return list(rows.values())


def meeting_figures(program: Program) -> Meetings:
    m = Meetings()
    held = db.select(Meeting).where(Meeting.program_id == program.id, met_condition()).subquery()
    m.meetings_held = db.session.scalar(db.select(func.count()).select_from(held)) or 0
    m.pairs_met = db.session.scalar(db.select(func.count(func.distinct(held.c.pairing_id)))) or 0
    m.requests_met = db.session.scalar(db.select(func.count(func.distinct(held.c.request_id)))) or 0
    m.pairs_started = db.session.scalar(db.select(func.count()).select_from(Pairing).where(
        Pairing.program_id == program.id, Pairing.state.in_(STARTED))) or 0
    return m


def checkin_days(program: Program) -> list[CheckInDay]:
    days = {d: CheckInDay(d) for d in CHECKIN_DAYS}
    for day, score, count in db.session.execute(
            db.select(CheckIn.day, CheckIn.score, func.count()).where(CheckIn.program_id == program.id)
            .group_by(CheckIn.day, CheckIn.score)):
        d = days[day]
        d.invited += count
        if score is not None:
            d.answered += count
            d.scores[score] += count
            d.low += count if score <= LOW else 0
    return list(days.values())


# -- charts: geometry for server-rendered SVG, the way services/health.chart draws its weeks ------

def bar_chart(categories: list[str], series: list[tuple[str, list[int | None]]], *, top: int | None = None,
              width: int = 640, height: int = 220) -> dict:
    """Grouped bars, one group per category, one bar per series (None draws nothing). The template
    (templates/health/_report_chart.html) draws it with classes only: the CSP forbids style attributes."""
    values = [v for _, vs in series for v in vs if v is not None]
    top = top or max(values + [1])
    pad_l, pad_b, pad_t = 36, 28, 10
    plot_h = height - pad_b - pad_t
    group = (width - pad_l) / max(len(categories), 1)
    bar = min(group / (len(series) + 1), 48)
    bars, labels = [], []
    for i, name in enumerate(categories):
        x0 = pad_l + i * group + (group - bar * len(series)) / 2
        for j, (key, vs) in enumerate(series):
            value = vs[i]
            h = plot_h * (value or 0) / top
            bars.append({"x": round(x0 + j * bar, 1), "y": round(pad_t + plot_h - h, 1), "w": round(bar - 2, 1),
                         "h": round(h, 1), "series": key, "value": value, "category": name, "index": j})
        labels.append({"x": round(pad_l + i * group + group / 2, 1), "text": name if len(name) <= 14 else name[:13] + "…"})
    ticks = [{"y": round(pad_t + plot_h - plot_h * v / top, 1), "value": v} for v in sorted({0, top // 2, top})]
    return {"width": width, "height": height, "bars": bars, "labels": labels, "ticks": ticks, "pad_l": pad_l,
            "base": pad_t + plot_h, "series": [key for key, _ in series]}


def charts(report: Report) -> dict[str, dict]:
    names = [r.name for r in report.rounds]
    days = report.checkins
    return {
        "rounds": bar_chart(names, [("matched", [r.match_rate for r in report.rounds]),
                                    ("met", [r.met_rate for r in report.rounds]),
                                    ("completed", [r.completed_rate for r in report.rounds])], top=100),
        "checkins": bar_chart([str(s) for s in range(1, 6)],
                              [(f"day{d.day}", [d.scores[s] for s in range(1, 6)]) for d in days]),
    }
