"""Reminders and expiry, run by `flask remind` (cron) or the optional in-process scheduler.

A proposal or request without an answer gets a reminder every REMINDER_DAYS days, at most
REMINDER_MAX of them; REMINDER_DAYS after the last one it expires and the mentee is told. A
mentor whose items expired MENTOR_EXPIRY_LIMIT times since they were last made available is
marked unavailable, told why, and listed for the coordinator.

Each item is claimed with a conditional UPDATE on its reminder count, so cron and a scheduler
thread (or two workers) running at once never send the same reminder twice.
"""
from __future__ import annotations

import threading
import time
from dataclasses import dataclass, field
from datetime import timedelta

from flask import Flask, current_app

from ..core import clock, links, outbox
from ..core.events import record
from ..extensions import db
from ..models import ENDABLE_STATES, Event, FollowUp, Membership, MentorProfile, MicroRequest, Pairing, Program, User
from . import answers, asks, lifecycle, threads, workbook_jobs
from .checkins import send_due
from .data_rights import deletion, retention
from .meetings import ask_met_due

DEFAULTS = {"REMINDER_DAYS": 3, "REMINDER_MAX": 2, "MENTOR_EXPIRY_LIMIT": 2}
# The answer the mentee owes after "ask for more info": unset, the mentor's rules above apply.
MENTEE_SETTINGS = {"MENTEE_REMINDER_DAYS": "REMINDER_DAYS", "MENTEE_REMINDER_MAX": "REMINDER_MAX"}


def setting(name: str) -> int:
    if name in MENTEE_SETTINGS and current_app.config.get(name) in (None, ""):
        return setting(MENTEE_SETTINGS[name])
    value = current_app.config.get(name)
    try:
        return int(value) if value not in (None, "") else DEFAULTS[name]
    except (TypeError, ValueError):
        return DEFAULTS[name]


@dataclass
class Report:
    reminded: list[str] = field(default_factory=list)
    expired: list[str] = field(default_factory=list)
    unavailable: list[str] = field(default_factory=list)
    followups_asked: list[str] = field(default_factory=list)
    checkins: list[str] = field(default_factory=list)
    meetings_asked: list[str] = field(default_factory=list)
    mentee_reminded: list[str] = field(default_factory=list)
    mentee_expired: list[str] = field(default_factory=list)
    inactive_nudged: list[str] = field(default_factory=list)
    inactive_closed: list[str] = field(default_factory=list)
    thread_emails: list[str] = field(default_factory=list)
    accounts_erased: list[str] = field(default_factory=list)
    programs_anonymised: list[str] = field(default_factory=list)
    asks_closed: list[str] = field(default_factory=list)
    ask_digests: list[str] = field(default_factory=list)

    def summary(self) -> str:
        return (f"{len(self.reminded)} reminder(s), {len(self.expired)} expired, "
                f"{len(self.unavailable)} mentor(s) marked unavailable, "
                f"{len(self.followups_asked)} follow-up question(s) sent, "
                f"{len(self.checkins)} check-in invitation(s), "
                f"{len(self.meetings_asked)} \"did you meet?\" question(s), "
                f"{len(self.mentee_reminded)} reminder(s) to mentees, {len(self.mentee_expired)} expired unanswered by the mentee, "
                f"{len(self.inactive_nudged)} quiet pairing(s) nudged, {len(self.inactive_closed)} closed as inactive, "
                f"{len(self.thread_emails)} message email(s), "
                f"{len(self.accounts_erased)} deleted account(s) erased after their grace period, "
                f"{len(self.programs_anonymised)} ended program(s) anonymised, "
                f"{len(self.asks_closed)} question(s) closed after 14 days, {len(self.ask_digests)} question digest(s)")


def _mentor_owes():
    """(row, started_at, kind) for every item waiting for a mentor's answer (not those waiting for
    the mentee's answer to "ask for more info": those are _mentee_owes'), kind by kind."""
    for kind in answers.KINDS.values():
        for row in kind.waiting_items():
            yield row, kind.started_at(row), kind.name


def _mentee_owes():
    """(row, question asked at, kind) for every answer the mentee owes (info_requested)."""
    for kind in answers.KINDS.values():
        rows = db.session.scalars(db.select(kind.model).where(kind.model.state == "info_requested")
                                  .order_by(kind.model.id))
        for row in list(rows):
            yield row, row.info_asked_at or kind.started_at(row), kind.name


def _remind_then_expire(owed, days: timedelta, most: int, remind, now) -> tuple[list[str], list]:
    """The one rule for whoever owes an answer: a reminder every `days` from the start (or the last
    reminder), at most `most`, then expiry. Returns the reminded labels and the expired rows."""
    reminded, expired = [], []
    for row, started, kind in list(owed):
        if now - (row.last_reminded_at or started) < days:
            continue
        if row.reminders_sent < most:
            if remind(row, now, most):
                reminded.append(f"{kind} {row.id}")
        elif answers.expire(row, now):
            expired.append((kind, row))
    return reminded, expired


def run() -> Report:
    days, most = timedelta(days=setting("REMINDER_DAYS")), setting("REMINDER_MAX")
    now = clock.now()
    report = Report()
    report.reminded, expired = _remind_then_expire(_mentor_owes(), days, most, answers.remind, now)
    report.expired = [f"{kind} {row.id}" for kind, row in expired]
    for mentor_id in sorted({row.mentor_membership_id for _, row in expired}):
        if _maybe_mark_unavailable(mentor_id):
            report.unavailable.append(f"mentor {mentor_id}")
    # Answers the mentee owes get the same rule, to the mentee, with their own settings (unset: the
    # mentor's); expiry gives back the open-request slot or the proposal's seat, and is not counted
    # against the mentor.
    report.mentee_reminded, mentee_expired = _remind_then_expire(
        _mentee_owes(), timedelta(days=setting("MENTEE_REMINDER_DAYS")), setting("MENTEE_REMINDER_MAX"),
        answers.remind_mentee, now)
    report.mentee_expired = [f"{kind} {row.id}" for kind, row in mentee_expired]
    report.followups_asked = _ask_followups(now, days)
    report.checkins = send_due(now)
    report.meetings_asked = ask_met_due(now)
    report.inactive_nudged, report.inactive_closed = _inactivity(now)
    report.thread_emails = threads.send_due(now)  # messages written inside the hour after an email
    # Data rights (services/data_rights/): accounts past their grace period, ended programs past retention.
    report.accounts_erased = deletion.erase_due().erased
    report.programs_anonymised = [name for name, _, _ in retention.run().programs]
    # Ask the program (services/asks.py): questions past their 14 days close; then the daily digest.
    report.asks_closed = asks.close_due(now)
    report.ask_digests = asks.send_digests(now)
    workbook_jobs.sweep()  # prepared workbooks past WORKBOOK_KEEP_HOURS: the files hold people's data
    return report


def _inactivity(now) -> tuple[list[str], list[str]]:
    """A pairing with no message, meeting or check-in for the program's `inactive_weeks` (counted
    from max(last activity, the accept)) gets one nudge to both; if it stays quiet for as many
    weeks after the nudge it is closed as inactive and both are told. Activity after a nudge
    starts a new quiet spell. 0 weeks turns this off for a program."""
    nudged, closed = [], []
    rows = db.session.execute(db.select(Pairing, Program.inactive_weeks).join(Program, Pairing.program_id == Program.id)
                              .where(Pairing.state.in_(ENDABLE_STATES), Program.inactive_weeks > 0)
                              .order_by(Pairing.id)).all()
    for pairing, weeks in rows:
        quiet = timedelta(weeks=weeks)
        since = max(t for t in (pairing.last_activity_at, pairing.answered_at, pairing.proposed_at) if t is not None)
        if pairing.inactivity_nudged_at is not None and since > pairing.inactivity_nudged_at:
            pairing.inactivity_nudged_at = None  # they met or wrote after the nudge: a new quiet spell
            db.session.commit()
        if pairing.inactivity_nudged_at is None:
            if now - since >= quiet and lifecycle.nudge_inactive(pairing):
                nudged.append(f"pairing {pairing.id}")
        elif now - pairing.inactivity_nudged_at >= quiet and lifecycle.close_inactive(pairing):
            closed.append(f"pairing {pairing.id}")
    return nudged, closed


def expiries_since_available(mentor_id: int) -> int:
    """Expired items of this mentor since they were last switched (back) on by anyone (not those
    that expired waiting for the mentee's answer: that was not the mentor's to give)."""
    since = db.session.scalar(db.select(db.func.max(Event.at)).where(
        Event.subject_type == "mentor", Event.subject_id == mentor_id,
        Event.to_state.in_(("available", "unavailable"))))
    count = 0
    for kind in answers.KINDS.values():
        ids = db.select(kind.model.id).where(kind.model.mentor_membership_id == mentor_id)
        q = db.select(db.func.count()).select_from(Event).where(
            Event.subject_type == kind.name, Event.to_state == "expired", Event.subject_id.in_(ids),
            Event.from_state != "info_requested")
        if since is not None:
            q = q.where(Event.at > since)
        count += db.session.scalar(q) or 0
    return count


def _maybe_mark_unavailable(mentor_id: int) -> bool:
    limit = setting("MENTOR_EXPIRY_LIMIT")
    n = expiries_since_available(mentor_id)
    if n < limit:
        return False
    profile = db.session.scalar(db.select(MentorProfile).where(MentorProfile.membership_id == mentor_id))
    if profile is None or not profile.available:
        return False
    membership = db.session.get(Membership, mentor_id)
    mentor = membership.user
    outbox.send(mentor, "mentor_paused_for_expiries", program_id=membership.program_id, mentor=mentor,
                expired=n, home_url=links.link("mentor.home"))
    answers.release(membership, "expiries", None)  # what still waits on them goes back to the mentees
    set_availability(profile, False, None, f"{n} requests or proposals expired without an answer")  # commits both
    return True


def set_availability(profile: MentorProfile, available: bool, actor: User | None, note: str) -> None:
    """Switch a mentor on or off, with an Event the health page shows (one transaction)."""
    before = "available" if profile.available else "unavailable"
    profile.available = available
    record(profile.membership.program_id, "mentor", profile.membership_id, before,
           "available" if available else "unavailable", actor, note)
    db.session.commit()


def _ask_followups(now, days: timedelta) -> list[str]:
    """Ask once, by email, what the mentee did with the advice."""
    asked = []
    reqs = db.session.scalars(db.select(MicroRequest).where(
        MicroRequest.state.in_(("accepted", "done")), MicroRequest.followup_asked_at.is_(None),
        MicroRequest.answered_at <= now - days))
    pairings = db.session.scalars(db.select(Pairing).where(
        Pairing.state.in_(("active", "completed")), Pairing.followup_asked_at.is_(None),
        Pairing.answered_at <= now - days))
    for row, kind in [(r, "request") for r in reqs] + [(p, "pairing") for p in pairings]:
        column = FollowUp.request_id if kind == "request" else FollowUp.pairing_id
        has = db.session.scalar(db.select(FollowUp.id).where(column == row.id, FollowUp.kind == "followup").limit(1))
        row.followup_asked_at = now
        if has is None:
            mentee, mentor = row.mentee.user, row.mentor.user
            link = (links.link('requests.followup', request_id=row.id) if kind == 'request'
                    else links.link('mentee.pairing', pairing_id=row.id))
            outbox.send(mentee, "followup_asked", program_id=row.program_id, mentee=mentee, mentor=mentor,
                        link=link)
            asked.append(f"{kind} {row.id}")
        db.session.commit()
    return asked


# ---------------------------------------------------------------------------------------------
# Optional in-process scheduler


_started = False
_start_lock = threading.Lock()


def start_scheduler(app: Flask) -> threading.Thread | None:
    """A daemon thread running `run()` every REMINDER_INTERVAL_MINUTES, only when that is set.

    Safe with several workers: every step claims its row with a conditional UPDATE."""
    global _started
    minutes = app.config.get("REMINDER_INTERVAL_MINUTES")
    if not minutes or app.config.get("TESTING"):
        return None
    with _start_lock:
        if _started:
            return None
        _started = True
    interval = max(1.0, float(minutes)) * 60

    def loop():
        while True:
            time.sleep(interval)
            tick(app)

    thread = threading.Thread(target=loop, name="mentormatch-reminders", daemon=True)
    thread.start()
    return thread


def tick(app: Flask) -> str | None:
    """One scheduled pass: its summary, or None when it failed (logged; the next tick retries)."""
    with app.app_context():
        try:
            summary = run().summary()
            app.logger.info("reminders: %s", summary)
            return summary
        except Exception:  # noqa: BLE001 - the thread must outlive one bad pass
            db.session.rollback()
            app.logger.exception("reminder run failed")
            return None
        finally:
            db.session.remove()
