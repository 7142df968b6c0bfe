"""Program health for coordinators: are mentors answering, and does every mentee have a way forward?"""
from __future__ import annotations

from dataclasses import dataclass, field
from datetime import datetime, timedelta
from statistics import median

from flask_babel import format_date
from flask_babel import gettext as _
from sqlalchemy import func
from sqlalchemy.orm import aliased

from ..core import clock, links, outbox
from ..core.events import record
from ..extensions import db
from ..models import (
    ENDED_STATES,
    SEAT_STATES,
    ClosingSurvey,
    Event,
    Membership,
    MentorProfile,
    MentorReport,
    MicroRequest,
    OpenRequestCounter,
    Pairing,
    Program,
    User,
)
from . import ServiceError, answers
from .micro_requests import hours_label
from .reminders import set_availability, setting

WEEKS = 12
RECENT = timedelta(weeks=8)  # expiries older than this no longer make a mentor 'silent'


@dataclass
class SilentMentor:
    membership_id: int
    name: str
    email: str
    waiting: int
    oldest_days: int
    expired: int
    available: bool
    why_unavailable: str = ""


@dataclass
class Week:
    start: datetime
    sent: int = 0
    answered: int = 0
    expired: int = 0


@dataclass
class Health:
    items: int = 0
    answered: int = 0
    accepted: int = 0
    expired: int = 0
    median_hours: float | None = None
    silent: list[SilentMentor] = field(default_factory=list)
    no_path: list[tuple[int, str]] = field(default_factory=list)  # (membership id, name)
    open_histogram: dict[int, int] = field(default_factory=dict)  # open requests -> mentees
    weeks: list[Week] = field(default_factory=list)

    @property
    def response_rate(self) -> int | None:
        total = self.answered + self.expired
        return round(100 * self.answered / total) if total else None

    @property
    def acceptance_rate(self) -> int | None:
        return round(100 * self.accepted / self.answered) if self.answered else None

    @property
    def median_label(self) -> str:
        return hours_label(self.median_hours)


def _rows(program_id: int):
    """(kind, mentor id, state, started, answered_at, ended_at) for requests and pairings."""
    reqs = db.session.execute(db.select(
        MicroRequest.mentor_membership_id, MicroRequest.state, MicroRequest.created_at, MicroRequest.answered_at,
        MicroRequest.ended_at).where(MicroRequest.program_id == program_id))
    pairs = db.session.execute(db.select(
        Pairing.mentor_membership_id, Pairing.state, Pairing.proposed_at, Pairing.answered_at, Pairing.ended_at)
        .where(Pairing.program_id == program_id))
    return [("request", *r) for r in reqs] + [("pairing", *p) for p in pairs]


def program_health(program: Program) -> Health:
    now = clock.now()
    rows = _rows(program.id)
    h = response_figures(program, rows)
    h.silent = silent_mentors(program, rows, now)
    h.no_path = mentees_without_path(program)
    h.open_histogram = open_histogram(program)
    h.weeks = trends(rows, now)
    return h


def response_figures(program: Program, rows=None) -> Health:
    """The mentor response figures alone (answered, accepted, expired, median wait) in two queries
    whatever the program's size: the program report uses them without the per-mentor lists."""
    h = Health()
    waits = []
    for _kind, _mentor, state, started, answered, _ended in (rows if rows is not None else _rows(program.id)):
        h.items += 1
        if answered is not None:
            h.answered += 1
            waits.append((answered - started).total_seconds() / 3600)
            if state != "declined":
                h.accepted += 1
        elif state == "expired":
            h.expired += 1
    h.median_hours = median(waits) if waits else None
    return h


def silent_mentors(program: Program, rows, now: datetime) -> list[SilentMentor]:
    """Mentors with items waiting longer than the reminder delay, or with expiries, or paused
    by the system for them."""
    days = setting("REMINDER_DAYS")
    late: dict[int, list[datetime]] = {}
    for _kind, mentor, state, started, _answered, _ended in rows:
        # not info_requested: then the mentee owes the answer
        if state in ("open", "proposed") and now - started >= timedelta(days=days):
            late.setdefault(mentor, []).append(started)
    out = []
    mentors = db.session.execute(
        db.select(MentorProfile, User).join(Membership, Membership.id == MentorProfile.membership_id)
        .join(User, User.id == Membership.user_id).where(Membership.program_id == program.id)
        .order_by(User.name))
    for profile, user in mentors:
        mid = profile.membership_id
        expired = _expired_total(mid, now - RECENT)
        last = db.session.scalar(db.select(Event).where(Event.subject_type == "mentor", Event.subject_id == mid,
                                        Event.to_state.in_(("available", "unavailable")))
                                 .order_by(Event.at.desc(), Event.id.desc()).limit(1))
        paused_by_system = (not profile.available and last is not None and last.to_state == "unavailable")
        if not (late.get(mid) or expired or paused_by_system):
            continue
        oldest = min(late.get(mid) or [now])
        out.append(SilentMentor(mid, user.name, user.email, len(late.get(mid, [])), (now - oldest).days, expired,
                                profile.available, last.note if paused_by_system else ""))
    out.sort(key=lambda s: (-s.waiting, -s.expired, s.name))
    return out


def _expired_total(mentor_id: int, since: datetime) -> int:
    """Recent expiries only: a mentor who has answered well since then is not silent any more."""
    return sum(db.session.scalar(db.select(func.count()).select_from(model).where(
        model.mentor_membership_id == mentor_id, model.state == "expired", model.ended_at >= since,
        # not those that expired waiting for the mentee's answer to the mentor's question
        db.or_(model.info_asked_at.is_(None), model.info_answered_at.is_not(None)))) or 0
        for model in (MicroRequest, Pairing))


def mentees_without_path(program: Program) -> list[tuple[int, str]]:
    """Mentees with nothing open or running: no pending/active request, no seat-holding pairing."""
    busy_req = db.select(MicroRequest.mentee_membership_id).where(
        MicroRequest.program_id == program.id, MicroRequest.state.in_(("open", "info_requested", "accepted")))
    busy_pair = db.select(Pairing.mentee_membership_id).where(
        Pairing.program_id == program.id, Pairing.state.in_(SEAT_STATES))
    return list(db.session.execute(
        db.select(Membership.id, User.name).join(User, User.id == Membership.user_id)
        .where(Membership.program_id == program.id, Membership.current(), Membership.role == "mentee",
               Membership.id.not_in(busy_req), Membership.id.not_in(busy_pair))
        .order_by(User.name)))


def open_histogram(program: Program) -> dict[int, int]:
    mentees = db.session.execute(
        db.select(Membership.id, func.coalesce(OpenRequestCounter.open_requests, 0))
        .join(User, User.id == Membership.user_id)
        .outerjoin(OpenRequestCounter, OpenRequestCounter.membership_id == Membership.id)
        .where(Membership.program_id == program.id, Membership.current(), Membership.role == "mentee")).all()
    hist = {n: 0 for n in range(6)}
    for _mid, n in mentees:
        hist[n] = hist.get(n, 0) + 1
    return hist


def trends(rows, now: datetime, weeks: int = WEEKS) -> list[Week]:
    """Per week (Monday to Sunday), over the last `weeks` weeks: sent, answered, expired."""
    monday = (now - timedelta(days=now.weekday())).replace(hour=0, minute=0, second=0, microsecond=0)
    out = [Week(monday - timedelta(weeks=weeks - 1 - i)) for i in range(weeks)]
    first = out[0].start

    def slot(moment):
        if moment is None or moment < first:
            return None
        i = (moment - first).days // 7
        return out[i] if 0 <= i < weeks else None

    for _kind, _mentor, state, started, answered, ended in rows:
        if (w := slot(started)) is not None:
            w.sent += 1
        if (w := slot(answered)) is not None:
            w.answered += 1
        if state == "expired" and (w := slot(ended)) is not None:
            w.expired += 1
    return out


def chart(weeks: list[Week], width: int = 640, height: int = 200) -> dict:
    """Geometry for the server-rendered SVG: grouped bars per week, no inline styles."""
    top = max([max(w.sent, w.answered, w.expired) for w in weeks] + [1])
    pad_l, pad_b, pad_t = 32, 24, 10
    plot_h = height - pad_b - pad_t
    group = (width - pad_l) / max(len(weeks), 1)
    bar = group / 4
    bars, labels = [], []
    for i, w in enumerate(weeks):
        x0 = pad_l + i * group + bar / 2
        for j, (series, value) in enumerate((("sent", w.sent), ("answered", w.answered), ("expired", w.expired))):
            h = plot_h * value / top
            bars.append({"x": round(x0 + j * bar, 1), "y": round(pad_t + plot_h - h, 1), "w": round(bar - 1, 1),
                         "h": round(h, 1), "series": series, "value": value, "week": format_date(w.start, "d MMM")})
        labels.append({"x": round(x0 + 1.5 * bar, 1), "text": w.start.strftime("%d %b")})
    ticks = [{"y": round(pad_t + plot_h - plot_h * v / top, 1), "value": v} for v in sorted({0, top // 2, top})]
    return {"width": width, "height": height, "bars": bars, "labels": labels, "ticks": ticks, "pad_l": pad_l,
            "base": pad_t + plot_h}


def mentor_in(program: Program, membership_id: int) -> MentorProfile:
    profile = db.session.scalar(db.select(MentorProfile).join(Membership, Membership.id == MentorProfile.membership_id)
                                .where(MentorProfile.membership_id == membership_id,
                                       Membership.program_id == program.id))
    return profile


def nudge(program: Program, profile: MentorProfile, coordinator: User) -> int:
    """Email the mentor the list of what waits for them; returns how many items."""
    mentor = profile.membership.user
    waiting = db.session.scalar(db.select(func.count()).select_from(MicroRequest).where(
        MicroRequest.mentor_membership_id == profile.membership_id, MicroRequest.state == "open")) or 0
    waiting += db.session.scalar(db.select(func.count()).select_from(Pairing).where(
        Pairing.mentor_membership_id == profile.membership_id, Pairing.state == "proposed")) or 0
    if not waiting:
        raise ServiceError(_("%(name)s has nothing waiting for an answer.", name=mentor.name))
    record(program.id, "mentor", profile.membership_id, None, "nudged", coordinator, f"{waiting} waiting")
    outbox.send(mentor, "mentor_nudge", program_id=program.id, name=mentor.name, waiting=waiting,
                coordinator_name=coordinator.name, program_name=program.name, home_url=links.link("mentor.home"))
    db.session.commit()
    return waiting


def mark_unavailable(program: Program, profile: MentorProfile, coordinator: User) -> int:
    """Switch the mentor off for them: what waits on them is released to its mentees (release.py)
    and the mentor is told, with the link to switch back on, all in one transaction. Returns how
    many requests and proposals were released (for the route's message)."""
    if not profile.available:
        raise ServiceError(_("%(name)s is already unavailable.", name=profile.membership.user.name))
    membership = profile.membership
    released = answers.release(membership, "coordinator", coordinator)
    outbox.send(membership.user, "mentor_made_unavailable", program_id=program.id, mentor=membership.user,
                coordinator=coordinator, program=program, released=len(released),
                profile_url=links.link("mentor.profile", program_id=program.id), reply_to=coordinator.email)
    set_availability(profile, False, coordinator, "marked unavailable by a coordinator")  # commits all of it
    return len(released)


# ---------------------------------------------------------------------------------------------
# Mentees reporting an unresponsive mentor


MAX_REPORT = 1000
REPORTABLE_REQUEST = ("open", "accepted")
REPORTABLE_PAIRING = ("proposed", "accepted", "active")


def report_mentor(mentee_user: User, note: str, *, request: MicroRequest | None = None,
                  pairing: Pairing | None = None):
    """A mentee flags that the mentor of their request or pairing does not respond; it waits on
    the coordinator's health page until resolved. One open report per item."""
    subject = request or pairing
    if subject is None or subject.mentee.user_id != mentee_user.id:
        raise ServiceError(_("You can report the mentor of your own requests and pairings only."))
    allowed = REPORTABLE_REQUEST if request is not None else REPORTABLE_PAIRING
    if subject.state not in allowed:
        raise ServiceError(_("This is not waiting on the mentor any more."))
    note = (note or "").strip()
    if len(note) < 10:
        raise ServiceError(_("Say in a sentence what happened (at least 10 characters)."), "note")
    if len(note) > MAX_REPORT:
        raise ServiceError(_("Keep it under %(num)s characters.", num=MAX_REPORT), "note")
    column = MentorReport.request_id if request is not None else MentorReport.pairing_id
    if db.session.scalar(db.select(MentorReport.id).where(column == subject.id, MentorReport.resolved_at.is_(None))):
        raise ServiceError(_("You already reported this; your coordinator has it."))
    report = MentorReport(program_id=subject.program_id, mentee_membership_id=subject.mentee_membership_id,
                          mentor_membership_id=subject.mentor_membership_id,
                          request_id=request.id if request is not None else None,
                          pairing_id=pairing.id if pairing is not None else None, note=note, created_at=clock.now())
    db.session.add(report)
    db.session.commit()
    return report


def open_reports(program: Program) -> list:
    return list(db.session.scalars(db.select(MentorReport).where(
        MentorReport.program_id == program.id, MentorReport.resolved_at.is_(None))
        .order_by(MentorReport.created_at, MentorReport.id)))


def report_in(program: Program, report_id: int):
    report = db.session.get(MentorReport, report_id)
    return report if report is not None and report.program_id == program.id else None


def resolve_report(report, coordinator: User) -> None:
    done = db.session.execute(db.update(MentorReport).where(MentorReport.id == report.id,
                                                            MentorReport.resolved_at.is_(None))
                              .values(resolved_at=clock.now(), resolved_by_id=coordinator.id)
                              .execution_options(synchronize_session=False))
    if done.rowcount != 1:
        db.session.rollback()
        raise ServiceError(_("This report was already resolved."))
    db.session.commit()


# -- how pairings ended: the closing surveys and the ended-early reasons -----------------------

@dataclass
class SurveySide:
    """One side's closing-survey answers: mentees rating their mentor, or mentors their mentee."""

    role: str
    scores: list[int] = field(default_factory=list)

    @property
    def average(self) -> float | None:
        return round(sum(self.scores) / len(self.scores), 1) if self.scores else None

    @property
    def distribution(self) -> list[int]:
        return [self.scores.count(n) for n in range(11)]

    def chart(self, width: int = 330, height: int = 120) -> dict:
        """Geometry of the 0-10 distribution as inline SVG bars (no inline styles)."""
        counts = self.distribution
        top = max(counts + [1])
        pad_b, pad_t, pad_l = 18, 8, 4
        plot_h = height - pad_b - pad_t
        slot = (width - pad_l) / 11
        bars = []
        for score, count in enumerate(counts):
            h = plot_h * count / top
            bars.append({"x": round(pad_l + score * slot + 1, 1), "y": round(pad_t + plot_h - h, 1),
                         "w": round(slot - 2, 1), "h": round(h, 1), "score": score, "count": count,
                         "label_x": round(pad_l + score * slot + slot / 2, 1)})
        return {"width": width, "height": height, "bars": bars, "base": pad_t + plot_h}


@dataclass
class Endings:
    kinds: dict[str, int]
    sides: list[SurveySide]
    comments: list[dict]
    early: list[dict]


def endings(program: Program) -> Endings:
    """How the program's pairings ended: counts per kind, the closing surveys per side (average,
    0-10 distribution, comments) and the reasons given for ending early, newest first."""
    kinds = dict.fromkeys(ENDED_STATES, 0)
    for state, count in db.session.execute(db.select(Pairing.state, func.count()).where(
            Pairing.program_id == program.id, Pairing.state.in_(ENDED_STATES)).group_by(Pairing.state)):
        kinds[state] = count
    sides = {role: SurveySide(role) for role in ("mentee", "mentor")}
    comments = []
    rows = db.session.execute(_with_names(
        db.select(ClosingSurvey.role, ClosingSurvey.recommend, ClosingSurvey.changed, ClosingSurvey.created_at)
        .join(Pairing, ClosingSurvey.pairing_id == Pairing.id))
        .where(Pairing.program_id == program.id).order_by(ClosingSurvey.created_at.desc()))
    for role, recommend, changed, at, mentee, mentor in rows:
        if recommend is not None:
            sides[role].scores.append(recommend)
        if changed:
            comments.append({"role": role, "text": changed, "recommend": recommend, "mentee": mentee,
                             "mentor": mentor, "at": at})
    early = [{"mentee": mentee, "mentor": mentor, "reason": reason, "at": at, "pairing_id": pairing_id}
             for pairing_id, reason, at, mentee, mentor in db.session.execute(_with_names(
                 db.select(Pairing.id, Pairing.end_reason, Pairing.ended_at))
                 .where(Pairing.program_id == program.id, Pairing.state == "ended_early")
                 .order_by(Pairing.ended_at.desc()))]
    return Endings(kinds, list(sides.values()), comments, early)


def _with_names(query):
    """Add both sides' names as the last two columns, in the same query: plain rows, not objects, so a
    5,000-person program's report neither loads names one by one nor builds thousands of objects."""
    mentee_m, mentor_m = aliased(Membership), aliased(Membership)
    mentee_u, mentor_u = aliased(User), aliased(User)
    return (query.add_columns(mentee_u.name, mentor_u.name)
            .join(mentee_m, mentee_m.id == Pairing.mentee_membership_id).join(mentee_u, mentee_u.id == mentee_m.user_id)
            .join(mentor_m, mentor_m.id == Pairing.mentor_membership_id).join(mentor_u, mentor_u.id == mentor_m.user_id))
