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

from ..core import clock
from ..extensions import db
from ..models import Event, Membership, MentorProfile, MicroRequest, Pairing, User
from ..core import links, outbox
from ..core.events import record
from .lifecycle import WAITING_FOR_MENTOR
from .micro_requests import _release_slot

DEFAULTS = {"REMINDER_DAYS": 3, "REMINDER_MAX": 2, "MENTOR_EXPIRY_LIMIT": 2}


def setting(name: str) -> int:
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

    def summary(self) -> str:
        return (f"{len(self.reminded)} reminder(s), {len(self.expired)} expired, "
                f"{len(self.unavailable)} mentor(s) marked unavailable, "
                f"{len(self.followups_asked)} follow-up question(s) sent, "
                f"{len(self.checkins)} check-in invitation(s)")


def _pending():
    """(model, row, started_at, label) for every item waiting for a mentor's answer (not those
    waiting for the mentee's answer to "ask for more info": their reminders pause)."""
    for p in db.session.scalars(db.select(Pairing).where(Pairing.state.in_(WAITING_FOR_MENTOR)).order_by(Pairing.id)):
        yield Pairing, p, p.proposed_at, "pairing"
    for r in db.session.scalars(db.select(MicroRequest).where(MicroRequest.state == "open").order_by(MicroRequest.id)):
        yield MicroRequest, r, r.created_at, "request"


def run() -> Report:
    days, most = timedelta(days=setting("REMINDER_DAYS")), setting("REMINDER_MAX")
    now = clock.now()
    report = Report()
    touched_mentors: set[int] = set()
    for model, row, started, kind in list(_pending()):
        anchor = row.last_reminded_at or started
        if now - anchor < days:
            continue
        if row.reminders_sent < most:
            if _claim(model, row, now):
                _remind(row, kind)
                report.reminded.append(f"{kind} {row.id}")
        elif _expire(model, row, kind, now):
            report.expired.append(f"{kind} {row.id}")
            touched_mentors.add(row.mentor_membership_id)
    for mentor_id in sorted(touched_mentors):
        if _maybe_mark_unavailable(mentor_id):
            report.unavailable.append(f"mentor {mentor_id}")
    report.followups_asked = _ask_followups(now, days)
    from .checkins import send_due

    report.checkins = send_due(now)
    return report


def _claim(model, row, now) -> bool:
    result = db.session.execute(
        db.update(model).where(model.id == row.id, model.reminders_sent == row.reminders_sent,
                               model.state == row.state)
        .values(reminders_sent=model.reminders_sent + 1, last_reminded_at=now)
        .execution_options(synchronize_session=False))
    if result.rowcount == 1:
        db.session.refresh(row)
        return True
    return False


def _remind(row, kind: str) -> None:
    mentor, mentee = row.mentor.user, row.mentee.user
    if kind == "pairing":
        what = f"{mentee.name} was proposed as your mentee in {row.mentee.program.name}"
        link = links.link("pairings.proposals")
    else:
        what = f"{mentee.name} asked you: “{row.question}”"
        link = links.link("requests.show", request_id=row.id)
    left = setting("REMINDER_MAX") - row.reminders_sent
    tail = ("It will expire if there is no answer." if left <= 0
            else f"{left} more reminder{'s' if left != 1 else ''} before it expires.")
    from ..core.answer_links import links_block

    outbox.send_text(mentor.email, f"Reminder: {mentee.name} is waiting for your answer",
                f"Hello {mentor.name},\n\n{what}, and is waiting for your answer. Accepting or declining "
                f"takes one click:\n\n{link}\n{links_block(mentor, kind, row.id, info=not row.info_asked_at)}\n"
                f"{tail}\n", program_id=row.program_id)
    db.session.commit()  # the reminder count and its email, together


def _expire(model, row, kind: str, now) -> bool:
    from_state = row.state
    result = db.session.execute(
        db.update(model).where(model.id == row.id, model.state == from_state)
        .values(state="expired", ended_at=now).execution_options(synchronize_session=False))
    if result.rowcount != 1:
        db.session.rollback()
        return False
    if kind == "request":
        _release_slot(row)
    record(row.program_id, kind, row.id, from_state, "expired", None, "no answer after reminders")
    db.session.refresh(row)
    mentor, mentee = row.mentor.user, row.mentee.user
    if kind == "request":
        outbox.send_text(mentee.email, "Your request expired: ask someone else",
                    f"Hello {mentee.name},\n\n{mentor.name} did not answer your request in time:\n\n"
                    f"  {row.question}\n\nYour slot is free again. Others can help: "
                    f"{links.link('requests.directory', program_id=row.program_id)}\n", program_id=row.program_id)
    else:
        outbox.send_text(mentee.email, "Your proposed mentor did not answer",
                    f"Hello {mentee.name},\n\n{mentor.name} did not answer the proposal in time. You are back in "
                    f"the pool and your coordinator will find you another mentor.\n\n{links.link('mentee.home')}\n",
                    program_id=row.program_id)
    db.session.commit()
    return True


def expiries_since_available(mentor_id: int) -> int:
    """Expired items of this mentor since they were last switched (back) on by anyone."""
    since = db.session.scalar(db.select(db.func.max(Event.at)).where(
        Event.subject_type == "mentor", Event.subject_id == mentor_id,
        Event.to_state.in_(("available", "unavailable"))))
    count = 0
    for model, kind in ((Pairing, "pairing"), (MicroRequest, "request")):
        ids = db.select(model.id).where(model.mentor_membership_id == mentor_id)
        q = db.select(db.func.count()).select_from(Event).where(
            Event.subject_type == kind, Event.to_state == "expired", Event.subject_id.in_(ids))
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
    outbox.send_text(mentor.email, "We paused your mentoring availability",
                f"Hello {mentor.name},\n\n{n} requests or proposals to you expired without an answer, so we "
                f"marked you unavailable: mentees will not be sent to you until you switch availability back "
                f"on in your profile. If you are busy, that is fine: setting an away date keeps things clear "
                f"for everyone.\n\n{links.link('mentor.home')}\n", program_id=membership.program_id)
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
    from ..models import FollowUp

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
            outbox.send_text(mentee.email, f"What did you do with {mentor.name}'s advice?",
                        f"Hello {mentee.name},\n\nA few days ago {mentor.name} helped you. Mentors help more when "
                        f"they hear what happened next: tell them in a sentence or two, or just say thanks.\n\n"
                        f"{link}\n", program_id=row.program_id)
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
