"""Micro-requests: the small, specific ask, from open to done (docs/architecture.md).

Three limits are enforced here, each so that parallel requests cannot break it:
- at most MAX_OPEN_REQUESTS open requests per mentee, in the database (see OpenRequestCounter);
- one pending request per mentee and mentor: a partial unique index (uq_micro_requests_pending_pair);
- a mentor's monthly micro capacity (MentorProfile.capacity_micro): requests made to them this
  calendar month that were not declined, cancelled or expired count against it. It is counted
  while the mentor's profile row is locked (_lock_mentor), so racing sends count one at a time.
Lock order is the mentee's counter row, then the mentor's profile row (as decline-and-pause does).
Answering a request (accept, decline, ask for info, answer it, reminders, expiry) is the shared
answering service (services/answers/, the "request" kind); this module keeps what only requests
have: sending, editing, withdrawing, follow-ups and the mentor figures.
"""
from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime, timedelta
from statistics import median

from flask_babel import gettext as _
from flask_babel import lazy_gettext as _l
from flask_babel import ngettext
from sqlalchemy import func
from sqlalchemy.exc import IntegrityError
from sqlalchemy.orm import joinedload

from ..core import clock, links, outbox
from ..core.events import record
from ..core.transitions import move
from ..extensions import db
from ..models import (
    CAPACITY_STATES,
    MAX_OPEN_REQUESTS,
    PENDING_REQUEST,
    REQUEST_KINDS,
    Event,
    FollowUp,
    Membership,
    MentorProfile,
    MicroRequest,
    OpenRequestCounter,
    Pairing,
    Program,
    User,
)
from . import ServiceError, contact, meetings

# Answering a request is the shared flow, re-exported under the names routes and tests use.
from .answers import leave_pending, other_open
from .answers.flow import link_context
from .answers.request import REQUEST
from .mentor_approval import mentor_approved
from .people import mentorships

MAX_QUESTION = 500
MIN_QUESTION = 15
MAX_CONTEXT = 2000
FOLLOWUP_STATES = ("accepted", "done")
UNDO_MINUTES = 10
ALREADY_OPEN = _l("You already have an open request with this mentor.")
OTHER_OPEN = _l("You already have another open request with this mentor.")
MENTOR_FULL = _l("This mentor has answered all the requests they can take this month. "
                 "Try someone else, or them again next month.")
TAKEN_MEANWHILE = _l("This mentor's requests for the month were taken in the meantime.")


# ---------------------------------------------------------------------------------------------
# Lists (who may see one request: access.visible_request)


def membership_of(user: User, program_id: int, role: str = "mentee") -> Membership | None:
    """The user's current membership on the `role` side of a program."""
    return db.session.scalar(db.select(Membership).where(
        Membership.program_id == program_id, Membership.user_id == user.id, Membership.role == role,
        Membership.current()))


def requests_of_mentee(user: User) -> list[MicroRequest]:
    # Every list of them shows the mentor's name: load it with them, not one query per request.
    return list(db.session.scalars(
        db.select(MicroRequest).join(Membership, MicroRequest.mentee_membership_id == Membership.id)
        .where(Membership.user_id == user.id, Membership.current())
        .order_by(MicroRequest.created_at.desc(), MicroRequest.id.desc())
        .options(joinedload(MicroRequest.mentor).joinedload(Membership.user))))


def requests_to_mentor(user: User, states: tuple[str, ...] | None = None) -> list[MicroRequest]:
    q = (db.select(MicroRequest).join(Membership, MicroRequest.mentor_membership_id == Membership.id)
         .where(Membership.user_id == user.id, Membership.current()))
    if states:
        q = q.where(MicroRequest.state.in_(states))
    return list(db.session.scalars(q.order_by(MicroRequest.created_at.desc(), MicroRequest.id.desc())))


def open_count(mentee_membership_id: int) -> int:
    return db.session.scalar(db.select(OpenRequestCounter.open_requests).where(
        OpenRequestCounter.membership_id == mentee_membership_id)) or 0


# ---------------------------------------------------------------------------------------------
# Monthly capacity


def used_this_month(mentor_membership_id: int, moment: datetime | None = None) -> int:
    start = clock.month_start(moment)
    return db.session.scalar(db.select(func.count()).select_from(MicroRequest).where(
        MicroRequest.mentor_membership_id == mentor_membership_id, MicroRequest.created_at >= start,
        MicroRequest.state.in_(CAPACITY_STATES))) or 0


def used_by_mentor(program_id: int) -> dict[int, int]:
    start = clock.month_start()
    return dict(db.session.execute(
        db.select(MicroRequest.mentor_membership_id, func.count())
        .where(MicroRequest.program_id == program_id, MicroRequest.created_at >= start,
               MicroRequest.state.in_(CAPACITY_STATES))
        .group_by(MicroRequest.mentor_membership_id)).all())


# ---------------------------------------------------------------------------------------------
# Sending


def _ensure_counter(membership_id: int) -> None:
    """Create the mentee's counter row once, in its own short transaction (two first requests
    racing both try; the loser's insert fails on the primary key, which is fine)."""
    if db.session.get(OpenRequestCounter, membership_id) is not None:
        return
    try:
        with db.session.begin_nested():
            db.session.add(OpenRequestCounter(membership_id=membership_id, open_requests=0))
        db.session.commit()
    except IntegrityError:
        db.session.rollback()


def send(mentee_user: User, program: Program, mentor_membership: Membership, data: dict) -> MicroRequest:
    """A mentee asks one mentor one specific thing. One transaction: the counter and the row."""
    mentee = membership_of(mentee_user, program.id)
    if mentee is None:
        raise ServiceError(_("Only mentees of this program can send requests."))
    if not program.offers_micro:
        raise ServiceError(_("This program does not take micro-requests."))
    if mentor_membership.program_id != program.id or mentor_membership.role != "mentor":
        raise ServiceError(_("Choose a mentor of this program."))
    kind, question, context = _clean(data)
    profile = db.session.scalar(db.select(MentorProfile).where(MentorProfile.membership_id == mentor_membership.id))
    if profile is None or not profile.is_available(clock.today()) or not mentor_approved(mentor_membership):
        raise ServiceError(_("This mentor is not taking requests right now."))
    already = db.session.scalar(db.select(MicroRequest.id).where(
        MicroRequest.mentee_membership_id == mentee.id, MicroRequest.mentor_membership_id == mentor_membership.id,
        MicroRequest.state.in_(PENDING_REQUEST)))
    if already is not None:
        raise ServiceError(str(ALREADY_OPEN))
    if used_this_month(mentor_membership.id) >= profile.capacity_micro:
        raise ServiceError(str(MENTOR_FULL))

    _take_slot(mentee.id, _("You already have %(num)d open requests. Wait for an answer, or withdraw one, before "
                            "asking someone else.", num=MAX_OPEN_REQUESTS))
    _claim_capacity(mentor_membership.id, MENTOR_FULL)
    req = MicroRequest(program_id=program.id, mentee_membership_id=mentee.id,
                       mentor_membership_id=mentor_membership.id, kind=kind, question=question,
                       context=context, state="open", created_at=clock.now())
    db.session.add(req)
    _flush_pending(ALREADY_OPEN)
    record(program.id, "request", req.id, None, "open", mentee_user)
    mentor = mentor_membership.user
    outbox.send(mentor, "request_sent", program_id=req.program_id, item=req, mentee=mentee_user,
                mentor=mentor, **REQUEST.mail_context(req), **link_context(mentor, REQUEST, req))
    db.session.commit()
    return req


def _take_slot(mentee_membership_id: int, message: str) -> None:
    """Take one of the mentee's MAX_OPEN_REQUESTS slots (answers.release_slot gives it back).
    The cap, enforced by the database: the UPDATE only matches while there is room, and the row
    stays locked until commit, so a concurrent submit waits and then sees the new count."""
    _ensure_counter(mentee_membership_id)
    taken = db.session.execute(
        db.update(OpenRequestCounter)
        .where(OpenRequestCounter.membership_id == mentee_membership_id,
               OpenRequestCounter.open_requests < MAX_OPEN_REQUESTS)
        .values(open_requests=OpenRequestCounter.open_requests + 1)
        .execution_options(synchronize_session=False)).rowcount
    if taken != 1:
        db.session.rollback()
        raise ServiceError(str(message))


def _lock_mentor(mentor_membership_id: int) -> MentorProfile | None:
    """Hold the mentor's profile row until commit. A no-op UPDATE locks it on both engines: the row
    on PostgreSQL (a racing send waits here, then counts what the first one committed), the whole
    database on SQLite (one writer at a time), so every count after this is up to date."""
    db.session.execute(db.update(MentorProfile).where(MentorProfile.membership_id == mentor_membership_id)
                       # updated_at named too, or its onupdate would stamp the profile as edited
                       .values(capacity_micro=MentorProfile.capacity_micro, updated_at=MentorProfile.updated_at)
                       .execution_options(synchronize_session=False))
    return db.session.scalar(db.select(MentorProfile).where(MentorProfile.membership_id == mentor_membership_id)
                             .execution_options(populate_existing=True))


def _claim_capacity(mentor_membership_id: int, message: str) -> None:
    """The monthly capacity check that holds under parallel sends (the earlier one only says it early)."""
    profile = _lock_mentor(mentor_membership_id)
    if profile is not None and used_this_month(mentor_membership_id) >= profile.capacity_micro:
        db.session.rollback()
        raise ServiceError(str(message))


def _flush_pending(message: str) -> None:
    """Flush a request entering a pending state; a second pending one with the same mentor fails
    on the partial unique index (a racing send that passed the check) and is refused in words."""
    try:
        db.session.flush()
    except IntegrityError as error:
        db.session.rollback()
        if _pending_pair_clash(error):
            raise ServiceError(str(message)) from None
        raise


def _pending_pair_clash(error: IntegrityError) -> bool:
    # PostgreSQL names the index; SQLite names its columns.
    text = str(error.orig)
    return "uq_micro_requests_pending_pair" in text or "micro_requests.mentee_membership_id" in text


def _clean(data: dict) -> tuple[str, str, str]:
    """The mentee's own fields of a request, checked the same way when sent and when edited."""
    kind = data.get("kind")
    if kind not in REQUEST_KINDS:
        raise ServiceError(_("Choose what kind of help you are asking for."), "kind")
    question = " ".join((data.get("question") or "").split())
    if len(question) < MIN_QUESTION:
        raise ServiceError(_("Ask one specific question (at least %(num)d characters): what should they look at, "
                             "decide or explain?", num=MIN_QUESTION), "question")
    if len(question) > MAX_QUESTION:
        raise ServiceError(_("Keep the question under %(max)d characters (now %(now)d).", max=MAX_QUESTION,
                             now=len(question)), "question")
    context = (data.get("context") or "").strip()
    if len(context) > MAX_CONTEXT:
        raise ServiceError(_("Keep the context under %(max)d characters.", max=MAX_CONTEXT), "context")
    return kind, question, context


def edit(req: MicroRequest, mentee_user: User, data: dict) -> MicroRequest:
    """The mentee rewrites a request the mentor has not answered yet (kind, question, context)."""
    _must_be_mentee(req, mentee_user)
    kind, question, context = _clean(data)
    result = db.session.execute(
        db.update(MicroRequest).where(MicroRequest.id == req.id, MicroRequest.state == "open")
        .values(kind=kind, question=question, context=context).execution_options(synchronize_session=False))
    if result.rowcount != 1:
        db.session.rollback()
        raise ServiceError(_("Only a request still waiting for the mentor can be edited."))
    record(req.program_id, "request", req.id, "open", "open", mentee_user, "edited")
    db.session.refresh(req)
    outbox.send(req.mentor.user, "request_edited", program_id=req.program_id, item=req, mentee=mentee_user,
                mentor=req.mentor.user, **REQUEST.mail_context(req))
    db.session.commit()
    return req


# ---------------------------------------------------------------------------------------------
# The mentee's own moves. Leaving "open" gives the mentee's slot back, in the same transaction
# (answers.leave_pending); answering is the shared flow (accept, decline, ask_info, answer_info).


def _must_be_mentee(req: MicroRequest, user: User) -> None:
    if not REQUEST.is_mentee(req, user):
        raise ServiceError(REQUEST.not_mentee)


def cancel(req: MicroRequest, mentee_user: User) -> MicroRequest:
    _must_be_mentee(req, mentee_user)
    leave_pending(req, "cancelled", mentee_user)
    _tell_withdrawn(req, mentee_user)
    db.session.commit()
    return req


def _tell_withdrawn(req: MicroRequest, mentee_user: User, after_accept: bool = False) -> None:
    """The mentor is told a request they had is gone, so they do not look for it (before the commit)."""
    mentor = req.mentor.user
    outbox.send(mentor, "request_withdrawn", program_id=req.program_id, item=req, mentee=mentee_user,
                mentor=mentor, after_accept=after_accept, inbox_url=links.link("requests.inbox"))


def can_undo_cancel(req: MicroRequest, user: User) -> bool:
    """Within UNDO_MINUTES of the mentee's own cancel (not an expiry or a decline)."""
    if req.state != "cancelled" or req.ended_at is None or req.mentee.user_id != user.id:
        return False
    if clock.now() - req.ended_at > timedelta(minutes=UNDO_MINUTES):
        return False
    last = db.session.scalar(db.select(Event).where(Event.subject_type == "request", Event.subject_id == req.id)
                             .order_by(Event.at.desc(), Event.id.desc()).limit(1))
    return last is not None and last.to_state == "cancelled" and last.actor_user_id == user.id


def undo_cancel(req: MicroRequest, mentee_user: User) -> MicroRequest:
    """Back to open, as if never withdrawn: the slot is taken again under the same cap."""
    _must_be_mentee(req, mentee_user)
    if not can_undo_cancel(req, mentee_user):
        raise ServiceError(_("A withdrawal can be undone within %(num)d minutes only.", num=UNDO_MINUTES))
    other = db.session.scalar(db.select(MicroRequest.id).where(
        MicroRequest.mentee_membership_id == req.mentee_membership_id,
        MicroRequest.mentor_membership_id == req.mentor_membership_id, MicroRequest.state.in_(PENDING_REQUEST)))
    if other is not None:
        raise ServiceError(str(OTHER_OPEN))
    profile = db.session.scalar(db.select(MentorProfile).where(MentorProfile.membership_id == req.mentor_membership_id))
    if profile is not None and used_this_month(req.mentor_membership_id) >= profile.capacity_micro:
        raise ServiceError(str(TAKEN_MEANWHILE))
    _take_slot(req.mentee_membership_id, _("You already have %(num)d open requests; withdraw one first.",
                                           num=MAX_OPEN_REQUESTS))
    _claim_capacity(req.mentor_membership_id, TAKEN_MEANWHILE)
    try:
        moved = move(MicroRequest, req, ("cancelled",), "open", ended_at=None)
    except IntegrityError as error:  # another request to this mentor became pending meanwhile
        db.session.rollback()
        if not _pending_pair_clash(error):
            raise
        raise ServiceError(str(OTHER_OPEN)) from None
    if not moved:
        db.session.rollback()
        raise ServiceError(_("This request is no longer withdrawn."))
    record(req.program_id, "request", req.id, "cancelled", "open", mentee_user, "withdrawal undone")
    db.session.commit()
    return req


def withdraw_others(req: MicroRequest, mentee_user: User) -> int:
    """Once one request is accepted, cancel every other open one in one transaction."""
    _must_be_mentee(req, mentee_user)
    if req.state not in FOLLOWUP_STATES:
        raise ServiceError(_("You can withdraw the others once this request is accepted."))
    count = 0
    for other in other_open(req):
        leave_pending(other, "cancelled", mentee_user, "withdrawn after another was accepted")
        _tell_withdrawn(other, mentee_user, after_accept=True)
        count += 1
    db.session.commit()
    return count


def mark_done(req: MicroRequest, user: User) -> MicroRequest:
    """Either side may say the help happened."""
    close_as_done(req, user)
    db.session.commit()
    return req


def close_as_done(req: MicroRequest, user: User, note: str = "") -> None:
    """accepted -> done in the caller's transaction (mark_done; a mentor's quick take in
    services/threads.py, which writes its message in the same transaction)."""
    if user.id not in (req.mentee.user_id, req.mentor.user_id):
        raise ServiceError(_("Only the mentee or the mentor can close this request."))
    if not move(MicroRequest, req, ("accepted",), "done", ended_at=clock.now()):
        db.session.rollback()
        raise ServiceError(_("Only an accepted request can be marked done."))
    _done(req, user, note)
    _tell_done(req, user)


def _done(req: MicroRequest, user: User, note: str) -> None:
    """After accepted -> done, whichever way (marked done, a quick take, a follow-up): the event,
    and the pair's meetings still ahead called off in both calendars."""
    record(req.program_id, "request", req.id, "accepted", "done", user, note)
    meetings.call_off(req, user)


def _tell_done(req: MicroRequest, by: User) -> None:
    """The other side hears that the request was marked done, with the one link that helps next:
    the mentee is asked what they did with the advice, the mentor sees the request."""
    mentee, mentor = req.mentee.user, req.mentor.user
    if by.id == mentor.id:
        outbox.send(mentee, "request_done", program_id=req.program_id, item=req, mentee=mentee, mentor=mentor,
                    by_mentor=True, next_url=links.link("requests.followup", request_id=req.id))
    else:
        outbox.send(mentor, "request_done", program_id=req.program_id, item=req, mentee=mentee, mentor=mentor,
                    by_mentor=False, next_url=links.link("requests.show", request_id=req.id))


# ---------------------------------------------------------------------------------------------
# Follow-up and thanks (on a request or a round pairing)


def add_followup(mentee_user: User, *, request: MicroRequest | None = None, pairing: Pairing | None = None,
                 kind: str, body: str) -> FollowUp:
    subject = request or pairing
    if subject is None or subject.mentee.user_id != mentee_user.id:
        raise ServiceError(_("You can follow up on your own requests and pairings only."))
    allowed = FOLLOWUP_STATES if request is not None else mentorships.FOLLOWUP_STATES
    if subject.state not in allowed:
        raise ServiceError(_("You can follow up once the mentor has accepted."))
    if kind not in ("followup", "thanks"):
        raise ServiceError(_("Choose follow-up or thanks."), "kind")
    body = (body or "").strip()
    if kind == "followup" and len(body) < 10:
        raise ServiceError(_("Tell them in a sentence or two what you did with the advice."), "body")
    if len(body) > 2000:
        raise ServiceError(_("Keep it under 2000 characters."), "body")
    body = body or "Thank you!"
    followup = FollowUp(mentee_membership_id=subject.mentee_membership_id,
                        mentor_membership_id=subject.mentor_membership_id,
                        pairing_id=pairing.id if pairing is not None else None,
                        request_id=request.id if request is not None else None,
                        kind=kind, body=body, created_at=clock.now())
    db.session.add(followup)
    # Telling the mentor what happened closes the loop: the request is done.
    if (request is not None and kind == "followup"
            and move(MicroRequest, request, ("accepted",), "done", ended_at=clock.now())):
        _done(request, mentee_user, "follow-up")
    outbox.send(subject.mentor.user, "followup_sent", program_id=subject.program_id, mentee=mentee_user,
                mentor=subject.mentor.user, kind=kind, body=body, reply_to=contact.reply_to(subject, mentee_user))
    db.session.commit()
    return followup


def followups_for(*, request_id: int | None = None, pairing_id: int | None = None) -> list[FollowUp]:
    q = db.select(FollowUp)
    q = q.where(FollowUp.request_id == request_id) if request_id is not None else q.where(FollowUp.pairing_id == pairing_id)
    return list(db.session.scalars(q.order_by(FollowUp.created_at, FollowUp.id)))


def followup_prompts(mentee_user: User) -> list:
    """Accepted/done requests and active pairings with no follow-up yet: what to ask about."""
    done_requests = set(db.session.scalars(db.select(FollowUp.request_id).join(
        Membership, FollowUp.mentee_membership_id == Membership.id).where(
        Membership.user_id == mentee_user.id, FollowUp.request_id.is_not(None), FollowUp.kind == "followup")))
    done_pairings = set(db.session.scalars(db.select(FollowUp.pairing_id).join(
        Membership, FollowUp.mentee_membership_id == Membership.id).where(
        Membership.user_id == mentee_user.id, FollowUp.pairing_id.is_not(None), FollowUp.kind == "followup")))
    reqs = [r for r in requests_of_mentee(mentee_user) if r.state in FOLLOWUP_STATES and r.id not in done_requests]
    pairings = list(db.session.scalars(db.select(Pairing).join(Membership, Pairing.mentee_membership_id == Membership.id)
                                       .where(Membership.user_id == mentee_user.id,
                                              Pairing.state.in_(("accepted", "active", "completed")))))
    return reqs + [p for p in pairings if p.id not in done_pairings]


# ---------------------------------------------------------------------------------------------
# Mentor figures shown on their cards


@dataclass
class MentorStats:
    answered: int = 0
    expired: int = 0
    thanks: int = 0
    median_hours: float | None = None

    @property
    def response_rate(self) -> int | None:
        total = self.answered + self.expired
        return round(100 * self.answered / total) if total else None

    @property
    def typical(self) -> str:
        return hours_label(self.median_hours)


def hours_label(hours: float | None) -> str:
    if hours is None:
        return "–"
    if hours < 1:
        return _("within an hour")
    if hours < 24:
        return ngettext("about %(num)d hour", "about %(num)d hours", round(hours))
    return ngettext("about %(num)d day", "about %(num)d days", round(hours / 24))


def mentor_stats(mentor_ids: list[int]) -> dict[int, MentorStats]:
    """Response rate, typical response time and thanks, over requests and round proposals."""
    stats = {m: MentorStats() for m in mentor_ids}
    if not mentor_ids:
        return stats
    waits: dict[int, list[float]] = {m: [] for m in mentor_ids}
    rows = list(db.session.execute(db.select(MicroRequest.mentor_membership_id, MicroRequest.state,
                                             MicroRequest.created_at, MicroRequest.answered_at,
                                             MicroRequest.info_asked_at, MicroRequest.info_answered_at)
                                   .where(MicroRequest.mentor_membership_id.in_(mentor_ids))))
    rows += list(db.session.execute(db.select(Pairing.mentor_membership_id, Pairing.state, Pairing.proposed_at,
                                              Pairing.answered_at, Pairing.info_asked_at, Pairing.info_answered_at)
                                    .where(Pairing.mentor_membership_id.in_(mentor_ids))))
    for mentor, state, start, answered, asked, got_answer in rows:
        if answered is not None:
            stats[mentor].answered += 1
            waits[mentor].append((answered - start).total_seconds() / 3600)
        elif state == "expired" and not (asked is not None and got_answer is None):  # the mentee's answer was owed
            stats[mentor].expired += 1
    for mentor, n in db.session.execute(db.select(FollowUp.mentor_membership_id, func.count())
                                        .where(FollowUp.mentor_membership_id.in_(mentor_ids), FollowUp.kind == "thanks")
                                        .group_by(FollowUp.mentor_membership_id)):
        stats[mentor].thanks = n
    for mentor, w in waits.items():
        stats[mentor].median_hours = median(w) if w else None
    return stats


def due(start: datetime, days: int) -> datetime:
    return start + timedelta(days=days)
