"""Demo data for what a pair does together: a conversation on Ben and Omar's round pairing with a
past meeting they both said they had and the next one booked, and a short thread on Ana's accepted
request to Maya, so the thread, the meetings panel and "met" in health all have something to show.

Written as rows because they carry past timestamps; meetings follow the service's rules (one UID,
booked with a start, both answers "yes" once it is over).
"""
from __future__ import annotations

import uuid
from datetime import datetime, timedelta

from ..core import clock
from ..extensions import db
from ..models import Meeting, MeetingSlot, Message, MicroRequest, Pairing
from .rows import event, members

VIDEO = "https://meet.example.org/ben-omar"
PAIR_THREAD = [  # (the mentee writes?, hours ago, text)
    (True, 11 * 24, "Hi Omar, thank you for accepting! My power question: how do I get from mid-level to senior "
               "on a platform team within a year?"),
    (False, 11 * 24 - 3, "Welcome Ben. Let's start with what your manager thinks senior means on your team. "
                "Can you bring your last review to our first call?"),
    (True, 10 * 24, "Will do. I also wrote down three projects I could lead: https://example.org/ben-projects"),
    (False, 3 * 24 - 4, "Good session today. Homework: pick one of the three and write a one-page proposal by Friday."),
    (True, 20, "Draft is ready, I put it in our shared folder. Looking forward to Thursday!"),
]
REQUEST_THREAD = [
    (False, 30, "Hi Ana, happy to help. Which matters more to you in two years: depth in one platform, or "
               "seeing how a product grows end to end?"),
    (True, 2, "Depth, I think. The bank's platform team has two staff engineers I could learn from."),
]


def _at(days_ago: int, hour: int = 10) -> datetime:
    day = clock.now() - timedelta(days=days_ago)
    return day.replace(hour=hour, minute=0, second=0, microsecond=0)


def _thread(item, column: str, lines) -> None:
    for by_mentee, hours_ago, body in lines:
        author = item.mentee_membership_id if by_mentee else item.mentor_membership_id
        db.session.add(Message(program_id=item.program_id, author_membership_id=author, body=body,
                               created_at=clock.now() - timedelta(hours=hours_ago), **{column: item.id}))


def _meeting(item, starts: datetime, booked_days_ago: int, met: bool) -> None:
    meeting = Meeting(program_id=item.program_id, pairing_id=item.id, uid=f"{uuid.uuid4()}@mentormatch.demo",
                      organizer_membership_id=item.mentor_membership_id,
                      proposer_membership_id=item.mentor_membership_id, duration=30, video_link=VIDEO,
                      state="done" if met else "booked", starts_at=starts, created_at=_at(booked_days_ago + 1),
                      booked_at=_at(booked_days_ago),
                      mentee_met="yes" if met else None, mentor_met="yes" if met else None,
                      mentee_met_note="We agreed on a first project." if met else "",
                      met_asked_at=starts + timedelta(hours=1) if met else None)
    meeting.slots = [MeetingSlot(starts_at=starts)]
    db.session.add(meeting)
    db.session.flush()
    event(item.mentee.program, "pairing", item.id, item.state, "meeting", item.mentor.user_id, meeting.booked_at,
          "meeting booked")


def fill(program) -> None:
    mentees, mentors = members(program, "mentee"), members(program, "mentor")
    if len(mentees) < 2 or len(mentors) < 2:
        return
    ana, ben, maya, omar = mentees[0], mentees[1], mentors[0], mentors[1]
    pairing = db.session.scalar(db.select(Pairing).where(
        Pairing.program_id == program.id, Pairing.mentee_membership_id == ben.id,
        Pairing.mentor_membership_id == omar.id, Pairing.state == "active"))
    if pairing is not None:
        _thread(pairing, "pairing_id", PAIR_THREAD)
        _meeting(pairing, _at(3, 15), booked_days_ago=9, met=True)
        _meeting(pairing, _at(-2, 15), booked_days_ago=1, met=False)
        pairing.last_activity_at = clock.now() - timedelta(hours=20)
    request = db.session.scalar(db.select(MicroRequest).where(
        MicroRequest.program_id == program.id, MicroRequest.mentee_membership_id == ana.id,
        MicroRequest.mentor_membership_id == maya.id, MicroRequest.state == "accepted"))
    if request is not None:
        _thread(request, "request_id", REQUEST_THREAD)
    db.session.commit()
