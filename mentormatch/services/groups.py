"""A circle's page (a peer pair or a peer circle a round approved): who may see it, what it shows,
the "Your circles" list of the home pages, leaving a circle and ending it.

Its thread and meetings are services/threads.py and services/meetings.py, which read who is in the
circle through services/parties.py. Members of a live circle count as accepted matches: they see
one another's contact channels (services/contact.py, "shown to my accepted matches")."""
from __future__ import annotations

from dataclasses import dataclass, field

from flask_babel import gettext as _
from sqlalchemy import func
from sqlalchemy.orm import selectinload

from ..core import clock, links, outbox
from ..extensions import db
from ..models import Circle, CircleMember, Meeting, Membership, Message, Program, ProgramCoordinator, User
from . import ServiceError, contact, meetings, parties, why

# -- who sees it -------------------------------------------------------------------------------

def is_coordinator(circle: Circle, user: User) -> bool:
    return user.role == "coordinator" and db.session.scalar(db.select(ProgramCoordinator.id).where(
        ProgramCoordinator.program_id == circle.program_id, ProgramCoordinator.user_id == user.id)) is not None


def visible(user: User, circle_id: int) -> Circle | None:
    """The circle for one of its members (one who left too: read-only) or a coordinator of its
    program; None for anyone else (a stranger, another circle's member, another program's
    coordinator, a member removed from the program)."""
    circle = db.session.get(Circle, circle_id)
    if circle is None:
        return None
    if parties.member_of(circle, user) is not None or is_coordinator(circle, user):
        return circle
    return None


def sees_meetings(circle: Circle, user: User) -> bool:
    """The circle's meetings (their times, video link and invitation) are for its current members
    and its program's coordinators: not for one who left, who reads only what was written before."""
    if is_coordinator(circle, user):
        return True
    me = parties.member_of(circle, user)
    return me is not None and parties.takes_part(circle, me)


def acting_member(user: User, circle_id: int) -> Circle | None:
    """The circle for one of its members (current or left: the services say why a leaver may not
    act), else None. Coordinators read; they never write nor arrange meetings."""
    circle = db.session.get(Circle, circle_id)
    if circle is None or parties.member_of(circle, user) is None:
        return None
    return circle


# -- the page ------------------------------------------------------------------------------------

@dataclass
class MemberView:
    name: str
    facilitator: bool
    me: bool
    channels: list = field(default_factory=list)  # contact.Channel, only between members of a live circle


@dataclass
class Page:
    circle: Circle
    title: str
    why: str
    members: list[MemberView]
    me: Membership | None        # the viewer's membership (also after leaving); None for a coordinator
    current: bool                # the viewer is in the circle now
    coordinator: bool
    ended: bool
    left: bool


def page(circle: Circle, user: User) -> Page:
    me = parties.member_of(circle, user)
    current = me is not None and parties.takes_part(circle, me)
    live = circle.ended_at is None
    shown = []
    for person in parties.people(circle):
        row = next(m for m in circle.members if m.membership_id == person.id)
        # Channels between members of a live circle, as between an accepted pair; never to a coordinator.
        channels = contact.shown_channels(person.user) if current and live and person.id != me.id else []
        shown.append(MemberView(person.user.name, row.facilitator, me is not None and person.id == me.id, channels))
    return Page(circle=circle, title=parties.circle_title(circle),
                why=why.pair_text({"sentence": "", "sentence_parts": circle.sentence_parts}) if circle.sentence_parts else "",
                members=shown, me=me, current=current, coordinator=me is None, ended=not live,
                left=me is not None and not current)


def my_circles(user: User, unread: dict) -> list[dict]:
    """The user's circles for the home page ("Your circles"), live first, each with its unread
    count (`unread`: threads.unread_counts). Two queries, whatever the number of circles."""
    rows = db.session.scalars(
        db.select(Circle).join(CircleMember).join(Membership, Membership.id == CircleMember.membership_id)
        .where(Membership.user_id == user.id, Membership.removed_at.is_(None), CircleMember.left_at.is_(None))
        .options(selectinload(Circle.members).selectinload(CircleMember.membership).selectinload(Membership.user))
        .order_by(Circle.ended_at.is_not(None), Circle.created_at.desc(), Circle.id.desc())).unique().all()
    return [{"id": c.id, "title": parties.circle_title(c), "kind": c.kind, "ended": c.ended_at is not None,
             "size": len(parties.people(c)), "unread": unread.get(("circle", c.id), 0)} for c in rows]


def program_circles(program: Program) -> list[dict]:
    """Every circle and peer pair of the program for its coordinators, live first: how many are
    in it, how much they wrote and when last, how many meetings they held. Three queries."""
    circles = db.session.scalars(
        db.select(Circle).where(Circle.program_id == program.id)
        .options(selectinload(Circle.members).selectinload(CircleMember.membership).selectinload(Membership.user))
        .order_by(Circle.ended_at.is_not(None), Circle.created_at.desc(), Circle.id.desc())).all()
    ids = [c.id for c in circles]
    talk = {cid: (n, last) for cid, n, last in db.session.execute(
        db.select(Message.circle_id, func.count(), func.max(Message.created_at))
        .where(Message.circle_id.in_(ids)).group_by(Message.circle_id))}
    met = dict(db.session.execute(
        db.select(Meeting.circle_id, func.count()).where(Meeting.circle_id.in_(ids), Meeting.state == "done")
        .group_by(Meeting.circle_id)).all())
    return [{"id": c.id, "title": parties.circle_title(c), "kind": c.kind, "ended": c.ended_at is not None,
             "size": len(parties.people(c)), "messages": talk.get(c.id, (0, None))[0],
             "last_message": talk.get(c.id, (0, None))[1], "met": met.get(c.id, 0)} for c in circles]


# -- leaving, ending -----------------------------------------------------------------------------

def leave(circle: Circle, user: User) -> None:
    """A member leaves: read-only for them from now on, no more mail or invitations; the others
    hear of it kindly. Their own proposed times are withdrawn. A circle with one member left
    (a peer pair) is over: it ends, and its meetings ahead are called off. Commits."""
    me = parties.member_of(circle, user)
    if me is None:
        raise ServiceError(_("Only a member can leave this circle."))
    if circle.ended_at is not None:
        raise ServiceError(_("This circle has already ended."))
    now = clock.now()
    title = parties.circle_title(circle)  # as the others know it: a pair's title is its members' names
    done = db.session.execute(db.update(CircleMember).where(
        CircleMember.circle_id == circle.id, CircleMember.membership_id == me.id, CircleMember.left_at.is_(None))
        .values(left_at=now).execution_options(synchronize_session=False))
    if done.rowcount != 1:
        db.session.rollback()
        raise ServiceError(_("You have already left this circle."))
    # The circle held until this commits, its members read afresh: of two leaving at once, the second
    # sees the first gone (a circle down to one ends exactly once), and a pick or proposal waits.
    meetings.hold(circle)
    if circle.ended_at is not None:
        db.session.rollback()
        raise ServiceError(_("This circle has already ended."))
    for meeting in meetings.meetings_of(circle):
        if meeting.state == "proposed" and meeting.proposer_membership_id == me.id:
            meetings.withdraw(meeting)
    changed = meetings.leave_booked(circle, me)
    alone = len(parties.people(circle)) < 2
    if alone:
        db.session.execute(db.update(Circle).where(Circle.id == circle.id, Circle.ended_at.is_(None))
                           .values(ended_at=now).execution_options(synchronize_session=False))
        changed = meetings.call_off(circle, user, tell=False)
    url = links.link("circles.show", circle_id=circle.id)
    for other in parties.people(circle):
        outbox.send(other.user, "circle_member_left", program_id=circle.program_id, name=other.user.name,
                    member=user.name, circle=title, url=url, updated=len(changed), alone=alone,
                    attachments=[meetings.invitation(m, other, "CANCEL" if alone else "REQUEST") for m in changed])
    db.session.commit()


def end(circle: Circle, user: User) -> None:
    """A coordinator of the program ends the circle: the page stays to read, nobody writes or
    meets there any more (meetings ahead are called off, with a cancellation to calendars), and
    every member hears of it kindly. Commits."""
    if not is_coordinator(circle, user):
        raise ServiceError(_("Only a coordinator of the program can end this circle."))
    title = parties.circle_title(circle)
    done = db.session.execute(db.update(Circle).where(Circle.id == circle.id, Circle.ended_at.is_(None))
                              .values(ended_at=clock.now()).execution_options(synchronize_session=False))
    if done.rowcount != 1:
        db.session.rollback()
        raise ServiceError(_("This circle has already ended."))
    db.session.refresh(circle)
    meetings.call_off(circle, user)
    url = links.link("circles.show", circle_id=circle.id)
    for person in parties.people(circle):
        outbox.send(person.user, "circle_ended", program_id=circle.program_id, name=person.user.name,
                    circle=title, url=url)
    db.session.commit()
