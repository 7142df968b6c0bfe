"""Meetings of an accepted pair (a round pairing or a micro-request) or of a circle (a peer pair or
peer circle; who is in which item: services/parties.py).

Either side proposes up to three slots; the other picks one (or proposes others). In a circle any
member proposes and any other member picks; every current member gets the invitation, with all
of them as attendees, and each answers "did you meet?" (a MeetingAnswer row each). Picking books
the meeting with a conditional UPDATE, so two racing picks book it once, and both get an email
with a calendar invitation (.ics, METHOD REQUEST). The invitation keeps one UID for the life of
the meeting: a reschedule (new slots proposed and picked) sends the same UID with a higher
SEQUENCE, a cancellation METHOD CANCEL. After the meeting both are asked "did you meet?" once
(yes / no / moved, one line); "met" feeds program health and the mentor's "met N mentees".

Times are stored as naive UTC and shown in each person's own zone (their goal form's or mentor
profile's), with a mark where a slot falls outside someone's working hours (09:00-17:00 local,
Monday to Friday, as the matching core assumes).
"""
from __future__ import annotations

import uuid
from contextlib import nullcontext
from dataclasses import dataclass, field
from datetime import UTC, date, datetime, time, timedelta
from urllib.parse import urlsplit
from zoneinfo import ZoneInfo, ZoneInfoNotFoundError

from babel.dates import format_datetime
from flask import current_app
from flask_babel import force_locale, get_locale
from flask_babel import gettext as _
from flask_babel import lazy_gettext as _l
from icalendar import Calendar, vCalAddress, vText
from icalendar import Event as CalendarEvent
from sqlalchemy import and_, func, or_, text
from sqlalchemy.exc import IntegrityError

from ..core import clock, fields, links, outbox
from ..core.events import record
from ..core.stored_words import reader_words
from ..extensions import db
from ..models import (
    DURATIONS,
    MAX_SLOTS,
    MET_ANSWERS,
    Circle,
    CircleMember,
    GoalForm,
    Meeting,
    MeetingAnswer,
    MeetingSlot,
    Membership,
    MentorProfile,
    MicroRequest,
    Pairing,
    User,
)
from . import ServiceError, contact, parties
from .activity import touch

# The states in which a pair may meet: a round pairing once accepted, a micro-request while accepted.
MEETING_ITEM_STATES = {"pairing": ("accepted", "active"), "request": ("accepted",)}
HORIZON = timedelta(days=90)
WORK_START, WORK_END = time(9, 0), time(17, 0)
MAX_NOTE = 200
MET_LABELS = {"yes": _l("Yes, we met"), "no": _l("No, we did not"), "moved": _l("We moved it to another time")}
RECENT = timedelta(days=30)
# The pair's audit trail records each meeting step as an event "meeting" (its note says which step):
# not the item's own state, so nothing that reads the item's states (accepted, expired...) counts it.
MEETING_EVENT = "meeting"


# -- who, where, when ----------------------------------------------------------------------------

Item = parties.Item
kind_of = parties.kind_of
item_of = parties.item_of_row


def can_meet(item: Item) -> bool:
    if isinstance(item, Circle):
        return item.ended_at is None
    return item.state in MEETING_ITEM_STATES[kind_of(item)]


def hold(item: Item) -> None:
    """Lock the pairing's, request's or circle's row for this transaction and read its state afresh (PostgreSQL;
    SQLite lets one writer in anyway). An ending locks the same row first (its conditional UPDATE) and
    then withdraws the meetings, so a pick or a proposal either sees the ending and is refused, or
    commits before the ending reads the meetings and is called off with them; and both take the two
    rows in the same order (item, then meeting), which a pick racing an ending deadlocked on. A
    circle's members are read afresh too: one who left (services/groups.leave holds the circle
    as well) is neither invited nor acting any more."""
    model = type(item)
    if db.session.get_bind().dialect.name == "sqlite":
        # SQLite has no row locks (FOR UPDATE is dropped): a write takes its one writer's lock now,
        # so what follows reads what the other writer committed.
        db.session.execute(text(f"UPDATE {model.__tablename__} SET id = id WHERE id = :id"), {"id": item.id})
    db.session.execute(db.select(model).where(model.id == item.id).with_for_update()
                       .execution_options(populate_existing=True))
    if isinstance(item, Circle):
        db.session.scalars(db.select(CircleMember).where(CircleMember.circle_id == item.id)
                           .execution_options(populate_existing=True)).all()
        db.session.expire(item, ["members"])


def side_of(item: Item, user: User) -> str | None:
    """"mentee" or "mentor" for one of the two, "member" for a current member of a circle, None
    for anyone else."""
    if isinstance(item, Circle):
        me = parties.member_of(item, user)
        return "member" if me is not None and parties.takes_part(item, me) else None
    if user.id == item.mentee.user_id and item.mentee.removed_at is None:
        return "mentee"
    if user.id == item.mentor.user_id and item.mentor.removed_at is None:
        return "mentor"
    return None


def _me(item: Item, side: str | None, user: User) -> Membership | None:
    """The membership of the person on `side` (side_of's answer for `user`)."""
    if side is None:
        return None
    if side == "member":
        return parties.member_of(item, user)
    return item.mentee if side == "mentee" else item.mentor


def zone_of(membership: Membership) -> str:
    """The person's own IANA zone: the mentee's goal form, the mentor's profile; UTC if unset."""
    model = MentorProfile if membership.role == "mentor" else GoalForm
    zone = db.session.scalar(db.select(model.timezone).where(model.membership_id == membership.id))
    return zone if zone and _zone(zone) is not None else "UTC"


def _zone(name: str) -> ZoneInfo | None:
    try:
        return ZoneInfo(name)
    except (ZoneInfoNotFoundError, ValueError):
        return None


def to_utc(day: date, at: time, zone: str) -> datetime:
    """A wall-clock time in `zone` as naive UTC; a time the clocks skip (the spring change) is refused."""
    tz = _zone(zone) or UTC
    local = datetime.combine(day, at).replace(tzinfo=tz)
    moment = local.astimezone(UTC)
    if moment.astimezone(tz).replace(tzinfo=None) != local.replace(tzinfo=None):
        raise ValueError("that time does not exist in your time zone (the clocks change that night)")
    return moment.replace(tzinfo=None)


def local(moment: datetime, zone: str) -> datetime:
    return moment.replace(tzinfo=UTC).astimezone(_zone(zone) or UTC)


def outside_hours(start: datetime, minutes: int, zone: str) -> bool:
    """Whether a slot (naive UTC) falls outside 09:00-17:00, Monday to Friday, in `zone`."""
    begin, end = local(start, zone), local(start + timedelta(minutes=minutes), zone)
    return (begin.weekday() >= 5 or begin.time() < WORK_START or end.date() != begin.date()
            or end.time() > WORK_END)


def short_label(moment: datetime, zone: str) -> str:
    """"Thu 26 Mar, 16:00 CET": for subject lines (plain ASCII, so the header stays unencoded)."""
    begin = local(moment, zone)
    return f"{begin:%a %d %b, %H:%M} {begin.tzname()}"


def when_label(moment: datetime, minutes: int, zone: str, locale: str | None = None) -> str:
    """"Thu 26 Mar 2026, 16:00-16:30 CET" in `zone`, with the day and month named in `locale` (None:
    the page's language; "jue 26 mar 2026" in Spanish). The times are already in `zone`: no rebase."""
    begin, end = local(moment, zone), local(moment + timedelta(minutes=minutes), zone)
    lang = locale or str(get_locale() or "en")
    return f"{format_datetime(begin, 'EEE d MMM y, HH:mm', locale=lang)}–{end:%H:%M} {begin.tzname()}"


# -- what the panel shows ----------------------------------------------------------------------

@dataclass
class SlotView:
    id: int
    starts_at: datetime
    mine: str                 # in the viewer's zone
    theirs: str               # in the other person's zone
    outside: list[str]        # whose working hours it falls outside: "you", the other's first name


@dataclass
class Panel:
    kind: str                       # "pairing" or "request"
    item_id: int
    side: str | None                # the viewer's side; None for a coordinator reading along
    my_name: str                    # the viewer (for a coordinator: the mentee)
    my_zone: str
    other_name: str
    other_zone: str
    live: Meeting | None = None     # proposed, or booked and not yet over
    slots: list[SlotView] = field(default_factory=list)
    booked_label: str = ""          # the booked time in the viewer's zone
    booked_other_label: str = ""
    my_turn: bool = False           # slots proposed by the other side: pick one
    can_propose: bool = False
    to_answer: list[tuple[Meeting, str]] = field(default_factory=list)  # past meetings, "did you meet?"
    past: list[tuple[Meeting, str]] = field(default_factory=list)       # answered or cancelled, newest first
    others: list[tuple[str, str]] = field(default_factory=list)  # (name, zone) of everyone else (a circle)
    my_answers: dict[int, str] = field(default_factory=dict)     # meeting id -> the viewer's answer (a circle)
    offered: str = ""               # the times on offer as keep_booking checks them (on_offer)
    can_keep: bool = False          # new times for a booking still ahead: it can stand instead


def first_name(name: str) -> str:
    return name.split(" ")[0] if name else name


def panel(item: Item, user: User) -> Panel:
    """Everything the meetings panel shows `user` (one of the people, or a coordinator of the
    program; for a coordinator the panel is seen from the first person's place)."""
    kind, side = kind_of(item), side_of(item, user)
    everyone = parties.people(item)
    me = _me(item, side, user) or (everyone[0] if everyone else item.members[0].membership)
    others = [m for m in everyone if me is None or m.id != me.id]
    other = others[0] if others else me
    my_zone, other_zone = zone_of(me), zone_of(other)
    view = Panel(kind=kind, item_id=item.id, side=side, my_name=me.user.name, my_zone=my_zone,
                 other_name=", ".join(m.user.name for m in others) if kind == "circle" else other.user.name,
                 other_zone=other_zone, others=[(m.user.name, zone_of(m)) for m in others])
    now = clock.now()
    listed = meetings_of(item)
    if kind == "circle" and me is not None:
        view.my_answers = dict(db.session.execute(db.select(MeetingAnswer.meeting_id, MeetingAnswer.met).where(
            MeetingAnswer.membership_id == me.id, MeetingAnswer.meeting_id.in_([m.id for m in listed]))).all())
    for meeting in listed:
        if _is_live(meeting, now) and view.live is None:
            view.live = meeting
            continue
        label = when_label(meeting.starts_at, meeting.duration, my_zone) if meeting.starts_at else _("never booked")
        mine = view.my_answers.get(meeting.id) if kind == "circle" else (_answer(meeting, side)[0] if side else None)
        if side and meeting.state in ("booked", "done") and mine is None:
            view.to_answer.append((meeting, label))
        elif meeting.state in ("booked", "done", "cancelled") and meeting.starts_at is not None:
            view.past.append((meeting, label))
    live = view.live
    if live is not None:
        if live.starts_at is not None:
            view.booked_label = when_label(live.starts_at, live.duration, my_zone)
            view.booked_other_label = when_label(live.starts_at, live.duration, other_zone)
        if live.state == "proposed":
            view.my_turn = side is not None and live.proposer_membership_id != me.id
            view.offered = on_offer(live)
            view.can_keep = side is not None and live.booked_at is not None and live.starts_at > now
            whose = [("you", my_zone)] + [(first_name(name), zone) for name, zone in view.others]
            for slot in live.slots:
                outside = [who for who, zone in whose if outside_hours(slot.starts_at, live.duration, zone)]
                view.slots.append(SlotView(slot.id, slot.starts_at, when_label(slot.starts_at, live.duration, my_zone),
                                           when_label(slot.starts_at, live.duration, other_zone), outside))
    view.can_propose = side is not None and can_meet(item)
    return view


def _is_live(meeting: Meeting, now: datetime) -> bool:
    if meeting.state == "proposed":
        return True
    return meeting.state == "booked" and meeting.starts_at + timedelta(minutes=meeting.duration) > now


def meetings_of(item: Item) -> list[Meeting]:
    return list(db.session.scalars(db.select(Meeting).where(parties.item_filter(Meeting, item))
                                   .order_by(Meeting.created_at.desc(), Meeting.id.desc())))


def _answer(meeting: Meeting, side: str) -> tuple[str | None, str]:
    if side == "mentee":
        return meeting.mentee_met, meeting.mentee_met_note
    return meeting.mentor_met, meeting.mentor_met_note


def meeting_for(user: User, meeting_id: int, item: Item | None = None) -> Meeting | None:
    """A meeting of a pair the user is one of (with `item`: a meeting of that circle, the user a
    current member), else None (the route answers 404)."""
    meeting = db.session.get(Meeting, meeting_id)
    if meeting is None or (meeting.circle_id is not None) != (item is not None):
        return None
    if item is not None and meeting.circle_id != item.id:
        return None
    if side_of(item_of(meeting), user) is None:
        return None
    return meeting


# -- proposing ----------------------------------------------------------------------------------

def check_slots(slots: list[tuple[int, date | None, time | None]], duration, zone: str) -> list[datetime]:
    """(number, local date, local time) in the proposer's zone -> the slots in naive UTC, checked:
    in the future and within 90 days, not overlapping one another, at most three."""
    if duration not in DURATIONS:
        raise ServiceError(_("Choose 15, 30 or 60 minutes."), "duration")
    now = clock.now()
    chosen: list[tuple[int, datetime]] = []
    for number, day, at in slots:
        if day is None and at is None:
            continue
        if day is None or at is None:
            raise ServiceError(_("Give both a date and a time, or leave both empty."), f"slot{number}_time")
        # Days far outside the window are refused before any zone arithmetic (year 1 or 9999 overflows it).
        if day < now.date() - timedelta(days=2):
            raise ServiceError(_("This time has passed: choose a time in the future."), f"slot{number}_time")
        if day > (now + HORIZON).date() + timedelta(days=2):
            raise ServiceError(_("Choose a time within the next 90 days."), f"slot{number}_date")
        try:
            moment = to_utc(day, at, zone)
        except ValueError:
            raise ServiceError(_("No such time: that time does not exist in your time zone (the clocks change that night)."),
                               f"slot{number}_time") from None
        if moment <= now:
            raise ServiceError(_("This time has passed: choose a time in the future."), f"slot{number}_time")
        if moment > now + HORIZON:
            raise ServiceError(_("Choose a time within the next 90 days."), f"slot{number}_date")
        for other_number, other in chosen:
            if abs((moment - other).total_seconds()) < duration * 60:
                raise ServiceError(_("This overlaps time %(num)d: choose a different time.", num=other_number),
                                   f"slot{number}_time")
        chosen.append((number, moment))
    if not chosen:
        raise ServiceError(_("Propose at least one time."), "slot1_date")
    if len(chosen) > MAX_SLOTS:
        raise ServiceError(_("Propose at most %(num)d times.", num=MAX_SLOTS), "slot1_date")
    return sorted(moment for _, moment in chosen)


def _uid() -> str:
    host = urlsplit(current_app.config["PUBLIC_URL"]).hostname or "mentormatch"
    return f"{uuid.uuid4()}@{host}"


def propose(item: Item, user: User, slots: list[tuple[int, date | None, time | None]],
            duration, video_link: str = "") -> Meeting:
    """Offer up to three slots. With slots already on offer from the other side, these replace them
    (a counter-proposal); with a meeting booked and not over, they are its new times (a reschedule,
    which keeps the invitation's UID); otherwise a new meeting."""
    hold(item)
    side = side_of(item, user)
    if side is None:
        raise ServiceError(_("Only the two people meeting can propose times."))
    if not can_meet(item):
        if isinstance(item, Circle):
            raise ServiceError(_("This circle has ended: no more meetings can be arranged."))
        raise ServiceError(_("Meetings can be arranged once the mentor has said yes."))
    me = _me(item, side, user)
    try:
        duration = int(duration)
    except (TypeError, ValueError):
        raise ServiceError(_("Choose 15, 30 or 60 minutes."), "duration") from None
    moments = check_slots(slots, duration, zone_of(me))
    # Without a link on the form, the proposer's own video-call link (when they show it to matches).
    video_link = fields.video_link(video_link, "video_link") or contact.shown_video_link(user)
    now = clock.now()
    live = next((m for m in meetings_of(item) if _is_live(m, now)), None)
    if live is None:
        meeting = Meeting(program_id=item.program_id, uid=_uid(), organizer_membership_id=me.id,
                          proposer_membership_id=me.id, duration=duration, video_link=video_link, created_at=now,
                          **{f"{kind_of(item)}_id": item.id})
        meeting.slots = [MeetingSlot(starts_at=m) for m in moments]
        try:
            with db.session.begin_nested():
                db.session.add(meeting)
        except IntegrityError:
            db.session.rollback()
            raise ServiceError(_("The other person has just proposed times: reload the page to see them.")) from None
    else:
        meeting = live
        # Only if nobody booked or re-proposed meanwhile: the row must still be as this page saw it.
        done = db.session.execute(db.update(Meeting).where(
            Meeting.id == meeting.id, Meeting.state == meeting.state,
            Meeting.proposer_membership_id == meeting.proposer_membership_id,
            Meeting.sequence == meeting.sequence)
            .values(state="proposed", proposer_membership_id=me.id, duration=duration,
                    video_link=video_link or meeting.video_link)
            .execution_options(synchronize_session=False))
        if done.rowcount != 1:
            db.session.rollback()
            raise ServiceError(_("This meeting has just changed: reload the page to see it."))
        db.session.execute(db.delete(MeetingSlot).where(MeetingSlot.meeting_id == meeting.id))
        db.session.flush()
        db.session.expire(meeting)
        for moment in moments:
            db.session.add(MeetingSlot(meeting_id=meeting.id, starts_at=moment))
        db.session.flush()
        db.session.expire(meeting, ["slots"])
    note = "new meeting times proposed" if meeting.booked_at is None else "new times proposed for the meeting"
    _record(item, user, note)
    for other in parties.others(item, me):
        other_zone = zone_of(other)
        outbox.send(other.user, "meeting_proposed", program_id=item.program_id,
                    reply_to=user.email if not isinstance(item, Circle) else None,
                    name=other.user.name,
                    proposer=user.name, reschedule=meeting.booked_at is not None, duration=duration,
                    times=[when_label(m, duration, other_zone, outbox.language_of(other.user)) for m in moments],
                    url=page_url(meeting))
    db.session.commit()
    return meeting


# -- booking, rescheduling, cancelling ----------------------------------------------------------

def pick(meeting: Meeting, user: User, slot_id) -> Meeting:
    """Book one of the slots the other side proposed. One conditional UPDATE: of two picks racing
    (two tabs, both sides, a double click), one books and the other is told it is already booked."""
    item = item_of(meeting)
    hold(item)
    side = side_of(item, user)
    if side is None:
        raise ServiceError(_("Only the two people meeting can pick a time."))
    me = _me(item, side, user)
    if not can_meet(item):
        raise ServiceError(_("This mentorship is no longer running: these times can no longer be picked."), "slot_id")
    if meeting.state != "proposed":
        raise ServiceError(_("This meeting is already booked or was cancelled: reload the page."), "slot_id")
    if meeting.proposer_membership_id == me.id:
        raise ServiceError(_("You proposed these times: the other person picks one."), "slot_id")
    try:
        slot_id = int(slot_id)
    except (TypeError, ValueError):
        raise ServiceError(_("Pick one of the proposed times."), "slot_id") from None
    slot = db.session.scalar(db.select(MeetingSlot).where(MeetingSlot.id == slot_id,
                                                          MeetingSlot.meeting_id == meeting.id))
    if slot is None:
        raise ServiceError(_("Pick one of the proposed times."), "slot_id")
    now = clock.now()
    if slot.starts_at <= now:
        raise ServiceError(_("This time has passed: pick another or propose new times."), "slot_id")
    rescheduled = meeting.booked_at is not None
    done = db.session.execute(db.update(Meeting).where(
        Meeting.id == meeting.id, Meeting.state == "proposed",
        Meeting.proposer_membership_id == meeting.proposer_membership_id)
        .values(state="booked", starts_at=slot.starts_at, booked_at=now,
                sequence=Meeting.sequence + (1 if rescheduled else 0))
        .execution_options(synchronize_session=False))
    if done.rowcount != 1:
        db.session.rollback()
        raise ServiceError(_("This meeting was booked or changed a moment ago: reload the page."), "slot_id")
    db.session.refresh(meeting)
    touch(item)
    _record(item, user, "meeting rescheduled" if rescheduled else "meeting booked")
    _invite_both(meeting, item, "meeting_updated" if rescheduled else "meeting_booked", "REQUEST")
    db.session.commit()
    return meeting


def cancel(meeting: Meeting, user: User, seen: str = "") -> Meeting:
    """Call a meeting off: proposed slots are withdrawn; a booked meeting's invitation is cancelled
    (same UID, higher SEQUENCE, METHOD CANCEL) for both. Times declined by someone other than
    their proposer: the proposer hears of it, to propose others. `seen` is what the page showed:
    "times" (times never booked: decline or withdraw them), "meeting" (a booking), "" (not said).
    Times declined on a page from before someone booked one call nothing off: the button said
    "Decline these times", not "Cancel the meeting" for everyone."""
    item = item_of(meeting)
    hold(item)
    side = side_of(item, user)
    if side is None:
        raise ServiceError(_("Only the two people meeting can cancel it."))
    if seen == "times" and meeting.booked_at is not None and meeting.state in ("proposed", "booked"):
        raise ServiceError(_("This meeting has just changed: reload the page to see it."))
    was_booked = meeting.booked_at is not None
    if meeting.state == "booked" and meeting.starts_at <= clock.now():
        raise ServiceError(_("This meeting has started: answer \"did you meet?\" instead."))
    # Only as this request read it, booked or not: times booked a moment ago are in the calendars
    # (their cancellation must go out), and a decline of unbooked times must not call off a booking.
    as_read = Meeting.booked_at.is_not(None) if was_booked else Meeting.booked_at.is_(None)
    done = db.session.execute(db.update(Meeting).where(
        Meeting.id == meeting.id, Meeting.state.in_(("proposed", "booked")), as_read)
        .values(state="cancelled", cancelled_at=clock.now(),
                sequence=Meeting.sequence + (1 if was_booked else 0))
        .execution_options(synchronize_session=False))
    if done.rowcount != 1:
        db.session.rollback()
        if db.session.scalar(db.select(Meeting.state).where(Meeting.id == meeting.id)) in ("proposed", "booked"):
            raise ServiceError(_("This meeting has just changed: reload the page to see it."))
        raise ServiceError(_("This meeting was already cancelled."))
    db.session.refresh(meeting)
    _record(item, user, "meeting cancelled")
    if was_booked:
        _invite_both(meeting, item, "meeting_cancelled", "CANCEL", cancelled_by=user.name)
    elif meeting.proposer_membership_id != _me(item, side, user).id:
        proposer = meeting.proposer.user
        outbox.send(proposer, "meeting_declined", program_id=item.program_id, name=proposer.name,
                    other_name=user.name, url=page_url(meeting))
    db.session.commit()
    return meeting


def keep_booking(meeting: Meeting, user: User, seen: str = "") -> Meeting:
    """New times proposed for a booked meeting are turned down by another side, or taken back by
    their proposer: the booking stands as it was, in everyone's calendar already. The proposer
    hears of a decline, to propose others. `seen`: the ids of the times the page showed (space
    on_offer's words; "" not said): times proposed in their place since are not turned down unseen (a
    proposal holds the item too, so this reads them after any other commits). Commits."""
    item = item_of(meeting)
    hold(item)
    side = side_of(item, user)
    if side is None:
        raise ServiceError(_("Only the two people meeting can cancel it."))
    db.session.refresh(meeting)
    proposer = meeting.proposer
    if (seen and seen != on_offer(meeting)) or meeting.booked_at is None:
        db.session.rollback()
        raise ServiceError(_("This meeting has just changed: reload the page to see it."))
    if meeting.starts_at <= clock.now():  # over: nothing left to keep, only new times to pick
        db.session.rollback()
        raise ServiceError(_("Its booked time has passed: pick one of the new times, or propose others."))
    if not withdraw(meeting):
        db.session.rollback()
        raise ServiceError(_("This meeting has just changed: reload the page to see it."))
    _record(item, user, "new meeting times declined: the booking stands")
    if proposer.id != _me(item, side, user).id:
        zone = zone_of(proposer)
        outbox.send(proposer.user, "meeting_declined", program_id=item.program_id, name=proposer.user.name,
                    other_name=user.name, url=page_url(meeting),
                    kept=when_label(meeting.starts_at, meeting.duration, zone, outbox.language_of(proposer.user)),
                    zone=zone)
    db.session.commit()
    return meeting


def on_offer(meeting: Meeting) -> str:
    """Who proposed the times now on offer, and which: what a page showed, for keep_booking to tell
    them from times proposed in their place since (slot ids may be used again, SQLite)."""
    times = sorted(db.session.scalars(db.select(MeetingSlot.starts_at).where(MeetingSlot.meeting_id == meeting.id)))
    return f"{meeting.proposer_membership_id}:" + ",".join(t.isoformat() for t in times)


def withdraw(meeting: Meeting) -> bool:
    """Proposed times nobody picked yet are taken back (their proposer left the circle): a first
    proposal is cancelled, new times for a booked meeting give way to the booking as it was. No
    mail: the calendars hold only bookings, and those did not change. No commit."""
    rescheduling = meeting.booked_at is not None
    done = db.session.execute(db.update(Meeting).where(
        Meeting.id == meeting.id, Meeting.state == "proposed",
        Meeting.booked_at.isnot(None) if rescheduling else Meeting.booked_at.is_(None))
        .values(**({"state": "booked"} if rescheduling else {"state": "cancelled", "cancelled_at": clock.now()}))
        .execution_options(synchronize_session=False))
    if done.rowcount == 1 and rescheduling:
        db.session.execute(db.delete(MeetingSlot).where(MeetingSlot.meeting_id == meeting.id))
    db.session.expire(meeting)
    return done.rowcount == 1


def call_off(item: Item, actor: User | None, tell: bool = True) -> list[Meeting]:
    """The pair stopped meeting (a pairing ended, a micro-request done): every open proposal is
    withdrawn and every booked meeting still ahead is cancelled, with a cancellation (same UID,
    higher SEQUENCE, METHOD CANCEL) to both calendars over the outbox, unless `tell` is False:
    then the caller attaches them to its own news. Returns the meetings cancelled out of the
    calendars. A meeting already started or over stays, so "did you meet?" is still asked. No
    commit: the caller's ending holds this. Every ending calls it (services/lifecycle.py,
    services/micro_requests.py, services/groups.py)."""
    now = clock.now()
    called_off = []
    for meeting in meetings_of(item):
        ahead = meeting.state == "proposed" or (meeting.state == "booked" and meeting.starts_at > now)
        if not ahead:
            continue
        # A proposal to reschedule a booking that is already over leaves nothing in the calendars.
        in_calendars = meeting.booked_at is not None and meeting.starts_at is not None and meeting.starts_at > now
        done = db.session.execute(db.update(Meeting).where(
            Meeting.id == meeting.id, Meeting.state == meeting.state)
            .values(state="cancelled", cancelled_at=now, sequence=Meeting.sequence + (1 if in_calendars else 0))
            .execution_options(synchronize_session=False))
        if done.rowcount != 1:
            continue  # picked or cancelled a moment ago by one of the two: theirs stands
        db.session.refresh(meeting)
        _record(item, actor, "meeting cancelled: the mentorship ended" if in_calendars
                else "meeting times withdrawn: the mentorship ended")
        if in_calendars:
            called_off.append(meeting)
            if tell:
                ended = kind_of(item)  # "request", "pairing" or "circle": the email words it in the recipient's language
                _invite_both(meeting, item, "meeting_cancelled", "CANCEL", ended=ended,
                             cancelled_by=actor.name if actor is not None else "")
    return called_off


def _record(item: Item, actor: User | None, note: str) -> None:
    """The meeting step in the pair's audit trail (a circle has no state machine to record it in)."""
    if not isinstance(item, Circle):
        record(item.program_id, kind_of(item), item.id, item.state, MEETING_EVENT, actor, note)


def page_url(meeting: Meeting) -> str:
    """Where an email about the meeting leads: the meeting's page; a circle's meetings on its page."""
    if meeting.circle_id is not None:
        return links.link("circles.show", circle_id=meeting.circle_id) + "#meetings"
    return links.link("meetings.show", meeting_id=meeting.id)


def _invite_both(meeting: Meeting, item: Item, template: str, method: str, **extra) -> None:
    """The invitation (or its update or cancellation) to each of the people, in their own zone and
    language; in a circle to every current member, each email naming the others."""
    everyone = parties.people(item)
    for person in everyone:
        _invite(meeting, item, person, [m for m in everyone if m.id != person.id], template, method, **extra)


def _invite(meeting: Meeting, item: Item, person: Membership, others: list[Membership], template: str,
            method: str, **extra) -> None:
    zone = zone_of(person)
    locale = outbox.language_of(person.user)
    outbox.send(person.user, template, program_id=item.program_id, attachments=[invitation(meeting, person, method)],
                reply_to=others[0].user.email if len(others) == 1 and not isinstance(item, Circle) else None,
                name=person.user.name, other_name=", ".join(m.user.name for m in others), duration=meeting.duration,
                when=when_label(meeting.starts_at, meeting.duration, zone, locale), zone=zone,
                short=short_label(meeting.starts_at, zone),
                video_link=meeting.video_link, url=page_url(meeting), **extra)


def invitation(meeting: Meeting, person: Membership, method: str = "REQUEST") -> outbox.Attachment:
    """The meeting's .ics for one person, its title in their language; they are always among its
    attendees (a cancellation to one who left names them, RFC 5546 3.2.5)."""
    locale = outbox.language_of(person.user)
    with force_locale(locale) if locale else nullcontext():
        return outbox.Attachment("invite.ics", f"text/calendar; method={method}", ics(meeting, method, person))


def leave_booked(circle: Circle, leaver: Membership) -> list[Meeting]:
    """A member left the circle: each booked meeting still ahead leaves their calendar (a
    cancellation to them alone, same UID, higher SEQUENCE), and the meeting passes to another
    member if it was theirs. A booked meeting with new times proposed and not yet picked is still
    in the calendars at its booked time: it counts too. Returns those meetings: the others'
    calendars need the update without the leaver (the caller attaches it to its news). A meeting
    over that only the leaver had yet to answer is done. No commit."""
    now = clock.now()
    changed = []
    stay = parties.people(circle)
    for meeting in meetings_of(circle):
        if meeting.state == "booked" and meeting.starts_at + timedelta(minutes=meeting.duration) <= now:
            _done_if_all_answered(meeting, circle)  # the leaver may have been the last one yet to answer
            continue
        in_calendar = meeting.state == "booked" or (meeting.state == "proposed" and meeting.booked_at is not None)
        if not in_calendar or meeting.starts_at is None or meeting.starts_at <= now:
            if meeting.state == "proposed" and meeting.organizer_membership_id == leaver.id and stay:
                # In no calendar now (its booked time passed with new times open), but a pick would
                # send it out with them as its ORGANIZER: it passes on too.
                db.session.execute(db.update(Meeting).where(Meeting.id == meeting.id, Meeting.state == "proposed")
                                   .values(organizer_membership_id=stay[0].id)
                                   .execution_options(synchronize_session=False))
            continue
        # Only while it is still in the calendars: a cancel made since this read stands (an update
        # with a higher SEQUENCE would put the meeting back in everyone's calendar).
        done = db.session.execute(db.update(Meeting).where(
            Meeting.id == meeting.id, Meeting.state.in_(("proposed", "booked")), Meeting.booked_at.is_not(None),
            Meeting.starts_at > now).values(sequence=Meeting.sequence + 1).execution_options(synchronize_session=False))
        db.session.refresh(meeting)
        if done.rowcount != 1:
            continue
        # The leaver's cancellation from the organizer their calendar knows (themselves, if it was theirs);
        # then the meeting passes on, and the others' update names the new organizer.
        _invite(meeting, circle, leaver, stay, "meeting_cancelled", "CANCEL", ended="left")
        if meeting.organizer_membership_id == leaver.id and stay:
            db.session.execute(db.update(Meeting).where(Meeting.id == meeting.id)
                               .values(organizer_membership_id=stay[0].id).execution_options(synchronize_session=False))
            db.session.refresh(meeting)
        changed.append(meeting)
    return changed


def ics(meeting: Meeting, method: str | None = None, recipient: Membership | None = None) -> str:
    """The meeting as an iCalendar object, in the current language: one VEVENT with its stable UID and SEQUENCE, times in UTC,
    the organizer and both people as attendees, the video link and the meeting's page. Nothing
    about anyone else (no coordinator, no other mentor or mentee, no notes)."""
    item = item_of(meeting)
    method = method or ("CANCEL" if meeting.state == "cancelled" else "REQUEST")
    calendar = Calendar()
    calendar.add("prodid", "-//MentorMatch//Meetings//EN")
    calendar.add("version", "2.0")
    calendar.add("method", method)
    event = CalendarEvent()
    event.add("uid", meeting.uid)
    event.add("sequence", meeting.sequence)
    event.add("dtstamp", clock.now().replace(tzinfo=UTC))
    start = meeting.starts_at.replace(tzinfo=UTC)
    event.add("dtstart", start)
    event.add("dtend", start + timedelta(minutes=meeting.duration))
    everyone = parties.people(item)
    if recipient is not None and all(p.id != recipient.id for p in everyone):
        everyone = [*everyone, recipient]
    if isinstance(item, Circle):
        event.add("summary", _("Circle: %(name)s", name=reader_words(parties.circle_title(item))))
    else:
        event.add("summary", _("Mentoring: %(mentee)s and %(mentor)s", mentee=reader_words(item.mentee.user.name),
                               mentor=reader_words(item.mentor.user.name)))
    page = page_url(meeting)
    event.add("description", _("Your %(minutes)d-minute MentorMatch conversation.", minutes=meeting.duration) + "\n"
                             + (_("Video: %(link)s", link=meeting.video_link) + "\n" if meeting.video_link else "")
                             + _("Details, reschedule or cancel: %(url)s", url=page))
    organizer = meeting.organizer
    event.add("organizer", _address(organizer.user))
    for person in everyone:
        attendee = _address(person.user)
        attendee.params["ROLE"] = vText("REQ-PARTICIPANT")
        attendee.params["PARTSTAT"] = vText("ACCEPTED" if person.id == organizer.id else "NEEDS-ACTION")
        attendee.params["RSVP"] = vText("FALSE" if person.id == organizer.id else "TRUE")
        event.add("attendee", attendee, encode=0)
    if meeting.video_link:
        event.add("location", meeting.video_link)
        event.add("url", meeting.video_link)
    event.add("status", "CANCELLED" if method == "CANCEL" else "CONFIRMED")
    calendar.add_component(event)
    return calendar.to_ical().decode()


def _address(user: User) -> vCalAddress:
    address = vCalAddress(f"mailto:{user.email}")
    address.params["CN"] = vText(reader_words(user.name))
    return address


# -- did you meet? -------------------------------------------------------------------------------

def answer_met(meeting: Meeting, user: User, answer: str, note: str = "") -> Meeting:
    """One side's answer, once, after the meeting's end. "yes" counts as time together. A circle
    member's answer is a MeetingAnswer row (once each: a unique constraint); the meeting is done
    once every current member answered."""
    item = item_of(meeting)
    side = side_of(item, user)
    if side is None:
        raise ServiceError(_("Only the two people meeting can answer."))
    if answer not in MET_ANSWERS:
        raise ServiceError(_("Choose yes, no or moved."), "answer")
    note = " ".join((note or "").split())
    if len(note) > MAX_NOTE:
        raise ServiceError(_("Keep it to one line under %(max)d characters.", max=MAX_NOTE), "note")
    if meeting.state not in ("booked", "done") or meeting.starts_at + timedelta(minutes=meeting.duration) > clock.now():
        raise ServiceError(_("You can answer once the meeting time has passed."), "answer")
    if side == "member":
        return _answer_in_circle(meeting, item, _me(item, side, user), answer, note)
    column, note_column = (Meeting.mentee_met, Meeting.mentee_met_note) if side == "mentee" else \
        (Meeting.mentor_met, Meeting.mentor_met_note)
    done = db.session.execute(db.update(Meeting).where(Meeting.id == meeting.id, column.is_(None))
                              .values({column: answer, note_column: note})
                              .execution_options(synchronize_session=False))
    if done.rowcount != 1:
        db.session.rollback()
        raise ServiceError(_("You already answered for this meeting. Thank you!"), "answer")
    db.session.execute(db.update(Meeting).where(Meeting.id == meeting.id, Meeting.state == "booked",
                                                Meeting.mentee_met.is_not(None), Meeting.mentor_met.is_not(None))
                       .values(state="done").execution_options(synchronize_session=False))
    db.session.refresh(meeting)
    if answer == "yes":
        touch(item)
    record(item.program_id, kind_of(item), item.id, item.state, MEETING_EVENT, user, f"did you meet: {answer}")
    db.session.commit()
    return meeting


def _answer_in_circle(meeting: Meeting, circle: Circle, me: Membership, answer: str, note: str) -> Meeting:
    try:
        with db.session.begin_nested():
            db.session.add(MeetingAnswer(meeting_id=meeting.id, membership_id=me.id, met=answer, note=note,
                                         created_at=clock.now()))
    except IntegrityError:
        db.session.rollback()
        raise ServiceError(_("You already answered for this meeting. Thank you!"), "answer") from None
    _done_if_all_answered(meeting, circle)
    db.session.commit()
    db.session.refresh(meeting)
    return meeting


def _done_if_all_answered(meeting: Meeting, circle: Circle) -> None:
    """A circle's meeting is done once every current member answered "did you meet?" (also when
    the last one yet to answer leaves). No commit."""
    answered = set(db.session.scalars(db.select(MeetingAnswer.membership_id).where(MeetingAnswer.meeting_id == meeting.id)))
    people = parties.people(circle)
    if people and all(m.id in answered for m in people):
        db.session.execute(db.update(Meeting).where(Meeting.id == meeting.id, Meeting.state == "booked")
                           .values(state="done").execution_options(synchronize_session=False))


def ask_met_due(now: datetime | None = None) -> list[str]:
    """Ask both sides of every booked meeting that has ended "did you meet?", once: the claim is a
    conditional UPDATE of met_asked_at, so cron and the scheduler never both send it."""
    now = now or clock.now()
    asked = []
    candidates = list(db.session.scalars(db.select(Meeting).where(
        Meeting.state == "booked", Meeting.met_asked_at.is_(None), Meeting.starts_at <= now).order_by(Meeting.id)))
    for meeting in candidates:
        if meeting.starts_at + timedelta(minutes=meeting.duration) > now:
            continue
        claimed = db.session.execute(db.update(Meeting).where(Meeting.id == meeting.id, Meeting.met_asked_at.is_(None))
                                     .values(met_asked_at=now).execution_options(synchronize_session=False))
        if claimed.rowcount != 1:
            db.session.rollback()
            continue
        item = item_of(meeting)
        url = page_url(meeting)
        for person, other_name in _to_ask(meeting, item):
            outbox.send(person.user, "meeting_did_you_meet", program_id=meeting.program_id,
                        name=person.user.name, other_name=other_name,
                        when=when_label(meeting.starts_at, meeting.duration, zone_of(person),
                                        outbox.language_of(person.user)), url=url)
        db.session.commit()
        asked.append(f"meeting {meeting.id}")
    return asked


def _to_ask(meeting: Meeting, item: Item) -> list[tuple[Membership, str]]:
    """Who has not answered "did you meet?" yet, with whom they met (the others' names)."""
    if isinstance(item, Circle):
        answered = set(db.session.scalars(db.select(MeetingAnswer.membership_id)
                                          .where(MeetingAnswer.meeting_id == meeting.id)))
        everyone = parties.people(item)
        return [(m, ", ".join(o.user.name for o in everyone if o.id != m.id)) for m in everyone if m.id not in answered]
    return [(person, other.user.name) for person, other, side in
            ((item.mentee, item.mentor, "mentee"), (item.mentor, item.mentee, "mentor")) if _answer(meeting, side)[0] is None]


# -- what "met" feeds ----------------------------------------------------------------------------

def met_condition():
    """A meeting counts as met when a side said yes and neither said no."""
    return and_(or_(Meeting.mentee_met == "yes", Meeting.mentor_met == "yes"),
                or_(Meeting.mentee_met.is_(None), Meeting.mentee_met != "no"),
                or_(Meeting.mentor_met.is_(None), Meeting.mentor_met != "no"))


@dataclass
class MetFigures:
    met_recently: int                       # pairs that met in the last 30 days
    never_met: list[tuple[int, str, str]]   # (pairing id, mentee name, mentor name): current pairs never met
    current: int                            # current round pairs


def program_met(program_id: int) -> MetFigures:
    """For program health: round pairs that met in the last 30 days, and current pairs that never met."""
    since = clock.now() - RECENT
    recent = db.session.scalar(db.select(func.count(func.distinct(Meeting.pairing_id))).where(
        Meeting.program_id == program_id, Meeting.pairing_id.is_not(None), Meeting.starts_at >= since, met_condition()))
    met = set(db.session.scalars(db.select(Meeting.pairing_id).where(
        Meeting.program_id == program_id, Meeting.pairing_id.is_not(None), met_condition())))
    current = list(db.session.scalars(db.select(Pairing).where(
        Pairing.program_id == program_id, Pairing.state.in_(MEETING_ITEM_STATES["pairing"])).order_by(Pairing.id)))
    never = [(p.id, p.mentee.user.name, p.mentor.user.name) for p in current if p.id not in met]
    return MetFigures(met_recently=recent or 0, never_met=never, current=len(current))


def mentees_met(mentor_ids: list[int]) -> dict[int, int]:
    """For the mentor's reputation: how many different mentees each mentor (membership id) has met."""
    if not mentor_ids:
        return {}
    counts: dict[int, set[int]] = {m: set() for m in mentor_ids}
    for model, column in ((Pairing, Meeting.pairing_id), (MicroRequest, Meeting.request_id)):
        rows = db.session.execute(db.select(model.mentor_membership_id, model.mentee_membership_id)
                                  .join(Meeting, column == model.id)
                                  .where(model.mentor_membership_id.in_(mentor_ids), met_condition()))
        for mentor_id, mentee_id in rows:
            counts[mentor_id].add(mentee_id)
    return {m: len(s) for m, s in counts.items()}

