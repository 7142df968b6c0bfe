"""The answering flow, written once for every answerable kind (see kinds.py).

Every move is a conditional UPDATE (core.transitions.move), so two answers racing cannot both
win, and writes its Event in the same transaction. Who may make each move is checked here, not
only in the route. Each function is one transaction: its mail is queued before the commit.
"""
from __future__ import annotations

from datetime import date, datetime, timedelta

from flask_babel import gettext as _
from flask_babel import lazy_gettext as _l

from ...core import answer_links, clock, outbox
from ...core.errors import ServiceError
from ...core.events import record
from ...core.transitions import move
from ...extensions import db
from ...models import DECLINE_REASONS, PENDING_REQUEST, MentorProfile, MicroRequest, Pairing, User
from .. import contact
from .kinds import Kind, kind_of
from .release import release

MIN_INFO, MAX_INFO = 10, 500
PAUSE_CHOICES = ("", "off", "away")
DECLINE_LABELS = {"no_capacity": _l("No capacity right now"), "not_a_fit": _l("Not a good fit"), "other": _l("Other")}
MAX_NOTE = 1000
ENDING_STATES = ("declined", "cancelled", "expired")
ANSWER_STATES = ("accepted", "active", "declined")
MENTEE_OWED_NOTE = "the mentee did not answer the question after reminders"


# ---------------------------------------------------------------------------------------------
# Mail


def _mail(kind: Kind, item, mail: str, to: User, **context) -> None:
    """Queue templates/email/<kind>_<mail>.txt about `item` (before the caller's commit). Once the
    item is accepted, mail to one of the two answers to the other (Reply-To) and lists the other's
    contact channels (`channels`); before that, neither address nor channel leaves the site."""
    sender = contact.other_person(item, to.id)
    reply_to = contact.reply_to(item, sender) if sender is not None else None
    channels = contact.shown_channels(sender) if reply_to else []
    outbox.send(to, kind.template(mail), program_id=item.program_id, reply_to=reply_to, item=item,
                mentee=item.mentee.user, mentor=item.mentor.user, channels=channels,
                **kind.mail_context(item), **context)


def link_context(mentor: User, kind: Kind, item, info: bool = True) -> dict:
    """What email/_partials/answer_links.txt needs: the one-click answer links for this mentor."""
    return {"answer_links": answer_links.link_list(mentor, kind.name, item.id, info=info),
            "link_days": answer_links.link_days()}


# ---------------------------------------------------------------------------------------------
# Checks


def _must_be_mentor(kind: Kind, item, user: User) -> None:
    if not kind.is_mentor(item, user):
        raise ServiceError(kind.not_mentor)


def clean_info(text: str, field: str) -> str:
    text = " ".join((text or "").split())
    if len(text) < MIN_INFO:
        raise ServiceError(_("Write at least %(least)s characters.", least=MIN_INFO), field)
    if len(text) > MAX_INFO:
        raise ServiceError(_("Keep it under %(most)s characters (now %(now)s).", most=MAX_INFO, now=len(text)), field)
    return text


def check_pause(pause: str, away_until: date | None) -> None:
    """Refuse a pause the form allowed but that makes no sense (before anything is written)."""
    if pause not in PAUSE_CHOICES:
        raise ServiceError(_("Choose whether to pause."), "pause")
    if pause == "away":
        if away_until is None:
            raise ServiceError(_("Choose the date you are back."), "away_until")
        if away_until <= clock.today():
            raise ServiceError(_("Choose a date after today."), "away_until")
        if away_until > clock.today() + timedelta(days=366):
            raise ServiceError(_("Choose a date within a year; you can switch back on any time."), "away_until")


def pause_mentor(mentor_membership_id: int, actor: User, pause: str, away_until: date | None) -> None:
    """Switch the mentor off, or away until a date, with the Event the health page reads, and
    release what else waits on them (release.py): nobody waits for a paused mentor.
    No commit: the caller's transaction (the decline) holds all of it."""
    if not pause:
        return
    profile = db.session.scalar(db.select(MentorProfile).where(MentorProfile.membership_id == mentor_membership_id))
    if profile is None:
        return
    before = "available" if profile.is_available(clock.today()) else "unavailable"
    if pause == "off":
        profile.available = False
        note = "paused themselves when declining"
    else:
        profile.away_until = away_until
        note = f"away until {away_until.isoformat()} (set when declining)"
    record(profile.membership.program_id, "mentor", mentor_membership_id, before, "unavailable", actor, note)
    release(profile.membership, "paused_on_decline", actor)


# ---------------------------------------------------------------------------------------------
# Moves


def leave_pending(item, to_state: str, actor: User | None, note: str = "", *, events: tuple[str, ...] = (),
                  **values) -> None:
    """Move a pending item to `to_state` (answered_at / ended_at stamped as the state says), give
    back what it held (kind.after_leaving) and record the Event(s). No commit."""
    kind = kind_of(item)
    now = clock.now()
    before = item.state
    if to_state in ENDING_STATES:
        values.setdefault("ended_at", now)
    if to_state in ANSWER_STATES:
        values.setdefault("answered_at", now)
    if not move(kind.model, item, kind.pending, to_state, **values):
        db.session.rollback()
        raise ServiceError(kind.gone)
    kind.after_leaving(item)
    for state in events or (to_state,):
        record(item.program_id, kind.name, item.id, before, state, actor, note)
        before = state


def accept(item, mentor_user: User):
    """The mentor says yes (a proposal goes on to active), and the mentee is told."""
    kind = kind_of(item)
    _must_be_mentor(kind, item, mentor_user)
    kind.before_accept(item)
    leave_pending(item, kind.accept_path[-1], mentor_user, events=kind.accept_path)
    _mail(kind, item, "accepted", item.mentee.user, **kind.accept_context(item))
    # The mentor's copy: the mentee's shown channels, Reply-To the mentee, the page of the pair.
    _mail(kind, item, "you_accepted", mentor_user, page_url=kind.mentor_page(item))
    db.session.commit()
    return item


def decline(item, mentor_user: User, reason: str, note: str = "", pause: str = "",
            away_until: date | None = None):
    """The mentor says no, with a reason; what the item held is given back. With `pause` ("off"
    or "away") the mentor is also paused, in the same transaction ("decline and pause me")."""
    kind = kind_of(item)
    _must_be_mentor(kind, item, mentor_user)
    if reason not in DECLINE_REASONS:
        raise ServiceError(_("Choose a reason."), "reason")
    note = (note or "").strip()
    if kind.note_required_for_other and reason == "other" and not note:
        raise ServiceError(_("Say in a few words why, so the coordinator can find a better match."), "note")
    if len(note) > MAX_NOTE:
        raise ServiceError(_("Keep it under %(most)s characters.", most=MAX_NOTE), "note")
    check_pause(pause, away_until)
    leave_pending(item, "declined", mentor_user, reason, decline_reason=reason, decline_note=note)
    pause_mentor(item.mentor_membership_id, mentor_user, pause, away_until)
    _mail(kind, item, "declined", item.mentee.user)
    db.session.commit()
    return item


def ask_info(item, mentor_user: User, question: str):
    """The third answer: the mentor asks the mentee one question before deciding. What the item
    holds stays held; the mentor's reminders pause until the answer, and the mentee's start
    (reminders._mentee_owes), counted from zero."""
    kind = kind_of(item)
    _must_be_mentor(kind, item, mentor_user)
    question = clean_info(question, "question")
    if item.info_asked_at is not None:
        raise ServiceError(_("You already asked your one question. Accept or decline now."), "question")
    # The reminder count starts again: from now on the reminders (and expiry) are the mentee's.
    if not move(kind.model, item, (kind.waiting,), "info_requested", info_question=question,
                info_asked_at=clock.now(), reminders_sent=0, last_reminded_at=None):
        db.session.rollback()
        raise ServiceError(kind.not_waiting)
    record(item.program_id, kind.name, item.id, kind.waiting, "info_requested", mentor_user, "asked for more info")
    _mail(kind, item, "info_asked", item.mentee.user, question=question)
    db.session.commit()
    return item


def answer_info(item, mentee_user: User, answer: str):
    """The mentee answers; the item goes back to the mentor with the answer on it, and the
    reminder clock starts again from now."""
    kind = kind_of(item)
    if not kind.is_mentee(item, mentee_user):
        raise ServiceError(kind.not_mentee)
    answer = clean_info(answer, "answer")
    now = clock.now()
    if not move(kind.model, item, ("info_requested",), kind.waiting, info_answer=answer, info_answered_at=now,
                reminders_sent=0, last_reminded_at=now):
        db.session.rollback()
        raise ServiceError(_("There is no question waiting for your answer."))
    record(item.program_id, kind.name, item.id, "info_requested", kind.waiting, mentee_user, "answered")
    mentor = item.mentor.user
    _mail(kind, item, "info_answered", mentor, answer=answer, **link_context(mentor, kind, item, info=False))
    db.session.commit()
    return item


def remind(item, now: datetime, most: int) -> bool:
    """Claim the item's next reminder (a conditional UPDATE on its count, so two runners never send
    the same one) and email the mentor. False: another runner claimed it."""
    kind = kind_of(item)
    model = kind.model
    result = db.session.execute(
        db.update(model).where(model.id == item.id, model.reminders_sent == item.reminders_sent,
                               model.state == item.state)
        .values(reminders_sent=model.reminders_sent + 1, last_reminded_at=now)
        .execution_options(synchronize_session=False))
    if result.rowcount != 1:
        return False
    db.session.refresh(item)
    mentor = item.mentor.user
    _mail(kind, item, "reminder", mentor, left=most - item.reminders_sent,
          **link_context(mentor, kind, item, info=not item.info_asked_at))
    db.session.commit()  # the reminder count and its email, together
    return True


def remind_mentee(item, now: datetime, most: int) -> bool:
    """The same reminder for an answer the mentee owes (after "ask for more info"): claimed by a
    conditional UPDATE on the count, emailed to the mentee. False: another runner claimed it."""
    kind = kind_of(item)
    model = kind.model
    result = db.session.execute(
        db.update(model).where(model.id == item.id, model.reminders_sent == item.reminders_sent,
                               model.state == "info_requested")
        .values(reminders_sent=model.reminders_sent + 1, last_reminded_at=now)
        .execution_options(synchronize_session=False))
    if result.rowcount != 1:
        return False
    db.session.refresh(item)
    _mail(kind, item, "info_reminder", item.mentee.user, left=most - item.reminders_sent)
    db.session.commit()
    return True


def expire(item, now: datetime) -> bool:
    """No answer after the reminders: the item expires, gives back what it held and the mentee
    is told. When the answer was the mentee's to give (info_requested), the mentee is told that
    and the mentor too, and it is not counted against the mentor (reminders.expiries_since_available).
    False: it moved meanwhile."""
    kind = kind_of(item)
    from_state = item.state
    if not move(kind.model, item, (from_state,), "expired", ended_at=now):
        db.session.rollback()
        return False
    kind.after_leaving(item)
    if from_state == "info_requested":
        record(item.program_id, kind.name, item.id, from_state, "expired", None, MENTEE_OWED_NOTE)
        _mail(kind, item, "info_expired", item.mentee.user)
        _mail(kind, item, "info_expired_mentor", item.mentor.user)
    else:
        record(item.program_id, kind.name, item.id, from_state, "expired", None, "no answer after reminders")
        _mail(kind, item, "expired", item.mentee.user)
    db.session.commit()
    return True


# ---------------------------------------------------------------------------------------------
# What a mentor deciding should know


def mentee_context(mentee_membership_id: int, *, pairing_id: int | None = None,
                   request_id: int | None = None) -> dict:
    """What a mentor deciding on a proposal or request should know about the mentee's other help:
    their other current mentors (by name) and how many other requests they have open."""
    q = (db.select(Pairing).where(Pairing.mentee_membership_id == mentee_membership_id,
                                  Pairing.state.in_(("accepted", "active"))))
    if pairing_id is not None:
        q = q.where(Pairing.id != pairing_id)
    mentors = [p.mentor.user.name for p in db.session.scalars(q.order_by(Pairing.id))]
    rq = db.select(db.func.count()).select_from(MicroRequest).where(
        MicroRequest.mentee_membership_id == mentee_membership_id, MicroRequest.state.in_(PENDING_REQUEST))
    if request_id is not None:
        rq = rq.where(MicroRequest.id != request_id)
    return {"mentors": mentors, "open_requests": db.session.scalar(rq) or 0}
