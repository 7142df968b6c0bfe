"""Messages between the two people of an accepted pairing or micro-request, or among the members
of a circle (docs/design.md, "Messages"; who is in which item: services/parties.py).

Which items have a thread: a pairing once accepted (accepted, active; an ended one is read-only),
a micro-request once accepted (accepted; done is read-only) and every circle (read-only once
ended, and for a member once they left). Before the mentor's answer the two have the
ask-for-info exchange instead, so an open request has no thread.

Mail, batched: someone who is not on the page (their open page polls and stamps last_seen_at)
gets at most one email per thread per EMAIL_GAP, listing every message since the previous email
that they have not read. A message written inside the hour is not lost: `send_due` (run by the
reminder pass, `flask remind` or the scheduler) sends it once the hour is over. The claim on a
recipient's ThreadRead row is a conditional UPDATE, so two posts (or a post and the reminder pass)
racing never email the same person twice within the hour.
"""
from __future__ import annotations

from datetime import datetime, timedelta

from flask_babel import gettext as _
from sqlalchemy import and_, func, or_
from sqlalchemy.exc import IntegrityError
from sqlalchemy.orm import aliased, joinedload

from ..core import clock, links, outbox
from ..extensions import db
from ..models import (
    BIDI_CONTROLS,
    MAX_MESSAGE,
    Circle,
    CircleMember,
    Membership,
    MentorReport,
    Message,
    MicroRequest,
    Pairing,
    ThreadRead,
    User,
)
from . import ServiceError, activity, micro_requests, parties

READABLE = {"pairing": ("accepted", "active", "completed", "ended_early", "inactive"), "request": ("accepted", "done")}
WRITABLE = {"pairing": ("accepted", "active"), "request": ("accepted",)}
# The open page polls every 5 seconds; missing a few polls means the person has left.
ON_PAGE = timedelta(seconds=30)
EMAIL_GAP = timedelta(hours=1)


# -- which thread, whose ---------------------------------------------------------------------

Item = parties.Item
kind_of = parties.kind_of
member_of = parties.member_of


def has_thread(item: Item) -> bool:
    if isinstance(item, Circle):
        return True
    return item.state in READABLE[kind_of(item)]


def reported_threads(reports: list[MentorReport]) -> dict[int, tuple[str, int]]:
    """Which of these reports are about an item with a conversation the coordinator may now read:
    report id -> (kind, item id), in two queries whatever the number of reports."""
    found = {}
    for model, column, kind in ((Pairing, "pairing_id", "pairing"), (MicroRequest, "request_id", "request")):
        ids = {getattr(r, column) for r in reports if getattr(r, column) is not None}
        readable = set(db.session.scalars(db.select(model.id).where(
            model.id.in_(ids), model.state.in_(READABLE[kind])))) if ids else set()
        found.update({r.id: (kind, getattr(r, column)) for r in reports if getattr(r, column) in readable})
    return found


def is_open(item: Item) -> bool:
    if isinstance(item, Circle):
        return item.ended_at is None
    return item.state in WRITABLE[kind_of(item)]


def can_write(item: Item, membership: Membership | None) -> bool:
    """The thread is open and the person is in the item now (a circle member who left reads only)."""
    return membership is not None and is_open(item) and parties.takes_part(item, membership)


_item_filter = parties.item_filter


def other_side(item: Pairing | MicroRequest, membership: Membership) -> Membership:
    return parties.others(item, membership)[0]


def report_filed(item: Item) -> bool:
    """A coordinator may read a pair's thread only once a report was filed about that item; a
    circle's thread they may always read (never write)."""
    if isinstance(item, Circle):
        return True
    return db.session.scalar(db.select(MentorReport.id).where(_item_filter(MentorReport, item)).limit(1)) is not None


# -- reading ---------------------------------------------------------------------------------

def messages(item: Item, after: int = 0, until: datetime | None = None) -> list[Message]:
    """The thread oldest first (the newest at the bottom), or only the messages after `after`;
    with `until` (a circle member who left), only what was written until then."""
    query = db.select(Message).where(_item_filter(Message, item), Message.id > after)
    if until is not None:
        query = query.where(Message.created_at <= until)
    return list(db.session.scalars(
        query.order_by(Message.created_at, Message.id)
        .options(joinedload(Message.author).joinedload(Membership.user))))


def _read_row(item, membership_id: int) -> ThreadRead:
    """The person's ThreadRead row for the item, created on first use (a racing twin is fine)."""
    kind = kind_of(item)
    query = db.select(ThreadRead).where(ThreadRead.membership_id == membership_id, _item_filter(ThreadRead, item))
    row = db.session.scalar(query)
    if row is not None:
        return row
    try:
        with db.session.begin_nested():
            row = ThreadRead(membership_id=membership_id, last_read_message_id=0, last_emailed_message_id=0,
                             **{f"{kind}_id": item.id})
            db.session.add(row)
    except IntegrityError:
        row = db.session.scalar(query)
    return row


def seen(item: Item, user: User, upto: int | None = None) -> None:
    """The person's page shows the thread up to message `upto` (an id read from the thread, not
    from the client; None: all of it): they are on the page now and have read it. Commits."""
    me = member_of(item, user)
    if me is None:  # a coordinator reading: nothing of theirs to record
        return
    if upto is None:
        upto = db.session.scalar(db.select(func.max(Message.id)).where(_item_filter(Message, item))) or 0
    row = _read_row(item, me.id)
    row.last_seen_at = clock.now()
    row.last_read_message_id = max(row.last_read_message_id, upto)
    db.session.commit()


def unread_counts(user: User) -> dict[tuple[str, int], int]:
    """("pairing" | "request" | "circle", id) -> messages from the others this user has not read,
    for every thread they are in (a circle they left: only what was written before they left).
    One query, whatever the number of threads (the home pages)."""
    me = aliased(Membership)
    read = aliased(ThreadRead)
    is_party = or_(
        and_(Message.pairing_id.is_not(None),
             or_(Pairing.mentee_membership_id == me.id, Pairing.mentor_membership_id == me.id)),
        and_(Message.request_id.is_not(None),
             or_(MicroRequest.mentee_membership_id == me.id, MicroRequest.mentor_membership_id == me.id)),
        and_(Message.circle_id.is_not(None), CircleMember.id.is_not(None),
             or_(CircleMember.left_at.is_(None), Message.created_at <= CircleMember.left_at)))
    rows = db.session.execute(
        db.select(Message.pairing_id, Message.request_id, Message.circle_id, func.count())
        .join(me, and_(me.program_id == Message.program_id, me.user_id == user.id))
        .outerjoin(Pairing, Pairing.id == Message.pairing_id)
        .outerjoin(MicroRequest, MicroRequest.id == Message.request_id)
        .outerjoin(CircleMember, and_(CircleMember.circle_id == Message.circle_id, CircleMember.membership_id == me.id))
        .outerjoin(read, and_(read.membership_id == me.id,
                              or_(read.pairing_id == Message.pairing_id, read.request_id == Message.request_id,
                                  read.circle_id == Message.circle_id)))
        .where(is_party, Message.author_membership_id != me.id,
               Message.id > func.coalesce(read.last_read_message_id, 0))
        .group_by(Message.pairing_id, Message.request_id, Message.circle_id))
    return {(("pairing", p) if p is not None else ("request", r) if r is not None else ("circle", c)): n
            for p, r, c, n in rows}


# -- writing ---------------------------------------------------------------------------------

def _clean(body: str | None) -> str:
    # Bidi controls could make a link read as something else (".../\u202egpj.exe" shows as "exe.jpg").
    body = (body or "").translate(BIDI_CONTROLS).replace("\r\n", "\n").strip()
    if not body:
        raise ServiceError(_("Write a message first."), "body")
    if len(body) > MAX_MESSAGE:
        raise ServiceError(_("Keep a message under %(max)d characters (now %(now)d).", max=MAX_MESSAGE, now=len(body)), "body")
    return body


def _add(item: Item, user: User, body: str) -> Message:
    me = member_of(item, user)
    if me is None:
        raise ServiceError(_("Only the two people of this conversation can write in it."))
    if not is_open(item):
        raise ServiceError(_("This conversation is closed: it can be read, not added to."))
    if not can_write(item, me):
        raise ServiceError(_("You left this circle: its conversation can be read, not added to."))
    body = _clean(body)
    message = Message(program_id=item.program_id, author_membership_id=me.id, body=body, created_at=clock.now(),
                      **{f"{kind_of(item)}_id": item.id})
    db.session.add(message)
    db.session.flush()
    mine = _read_row(item, me.id)  # what I wrote I have read, and I am on the page
    mine.last_read_message_id = message.id
    mine.last_seen_at = clock.now()
    for other in parties.others(item, me):
        _mail_if_due(item, _read_row(item, other.id), clock.now())
    activity.touch(item)
    return message


def post(item: Item, user: User, body: str) -> Message:
    """One of the people writes in the thread; each other one hears of it by email unless on the page."""
    message = _add(item, user, body)
    db.session.commit()
    return message


def quick_take(req: MicroRequest, user: User, body: str) -> Message:
    """The mentor answers an accepted request in writing and closes it, in one transaction."""
    if not isinstance(req, MicroRequest) or req.mentor.user_id != user.id:
        raise ServiceError(_("Only the mentor can answer with a quick take."))
    message = _add(req, user, body)
    micro_requests.close_as_done(req, user, "quick take")
    db.session.commit()
    return message


# -- mail, batched ---------------------------------------------------------------------------

def _mail_if_due(item: Item, row: ThreadRead, now: datetime) -> bool:
    """Email the person of `row` what they have not read nor been emailed yet, unless they are on
    the page or had an email about this thread within EMAIL_GAP (or have left the circle). The mail
    row is written in the caller's transaction; the claim is a conditional UPDATE, so a racing twin
    sends nothing."""
    if row.last_seen_at is not None and now - row.last_seen_at < ON_PAGE:
        return False
    since = max(row.last_read_message_id, row.last_emailed_message_id)
    recipient = db.session.get(Membership, row.membership_id)
    if isinstance(item, Circle) and not parties.takes_part(item, recipient):
        return False
    pending = [m for m in messages(item, after=since) if m.author_membership_id != recipient.id]
    if not pending:
        return False
    claimed = db.session.execute(
        db.update(ThreadRead)
        .where(ThreadRead.id == row.id,
               or_(ThreadRead.last_emailed_at.is_(None), ThreadRead.last_emailed_at <= now - EMAIL_GAP),
               ThreadRead.last_emailed_message_id < pending[-1].id)
        .values(last_emailed_at=now, last_emailed_message_id=pending[-1].id)
        .execution_options(synchronize_session=False)).rowcount
    if claimed != 1:
        return False
    db.session.refresh(row)
    if isinstance(item, Circle):  # many authors: the email names each message's; a reply goes to the site
        outbox.send(recipient.user, "thread_messages", program_id=item.program_id,
                    name=recipient.user.name, other=pending[-1].author.user, messages=pending,
                    about_circle=parties.circle_title(item),
                    thread_url=links.link("circles.show", circle_id=item.id) + "#thread")
        return True
    other = other_side(item, recipient).user
    outbox.send(recipient.user, "thread_messages", program_id=item.program_id, reply_to=other.email,
                name=recipient.user.name, other=other, messages=pending, **_about(item),
                thread_url=links.link("threads.show", kind=kind_of(item), item_id=item.id))
    return True


def _about(item: Pairing | MicroRequest) -> dict:
    """What the email says the conversation is about (the template words it in the recipient's language)."""
    if isinstance(item, Pairing):
        return {"about_pairing": item.mentee.program.name}
    return {"about_request": item.question[:80]}


def send_due(now: datetime | None = None) -> list[str]:
    """The reminder pass: every thread whose unread, unemailed messages wait for someone whose
    hour is over. Commits once per email, so one failure does not hold back the others."""
    now = now or clock.now()
    sent = []
    candidates = db.session.execute(
        db.select(ThreadRead.id).join(Message, or_(
            and_(ThreadRead.pairing_id.is_not(None), Message.pairing_id == ThreadRead.pairing_id),
            and_(ThreadRead.request_id.is_not(None), Message.request_id == ThreadRead.request_id),
            and_(ThreadRead.circle_id.is_not(None), Message.circle_id == ThreadRead.circle_id)))
        .where(Message.author_membership_id != ThreadRead.membership_id,
               Message.id > ThreadRead.last_read_message_id, Message.id > ThreadRead.last_emailed_message_id,
               or_(ThreadRead.last_emailed_at.is_(None), ThreadRead.last_emailed_at <= now - EMAIL_GAP))
        .group_by(ThreadRead.id).order_by(ThreadRead.id)).scalars().all()
    for row_id in candidates:
        row = db.session.get(ThreadRead, row_id)
        item = parties.item_of_row(row)
        if _mail_if_due(item, row, now):
            sent.append(f"{kind_of(item)} {item.id} to membership {row.membership_id}")
        db.session.commit()
    return sent
