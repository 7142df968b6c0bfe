"""The answering situations, so each shows on the named demo accounts' pages: ask-for-info both
ways, decline-and-pause, an edited request, and a mentee's report on a mentor who does not answer.
Written directly with past timestamps, like the lifecycle history."""
from datetime import timedelta

from ..core import clock
from ..extensions import db
from ..models import MentorProfile, MentorReport, MicroRequest, OpenRequestCounter, Pairing, Program
from .rows import event, members, pairing


def fill(program: Program) -> None:
    now = clock.now()
    mentors, mentees = members(program, "mentor"), members(program, "mentee")
    ana, maya = mentees[0], mentors[0]

    # Ask for more info. Maya asked about an older proposal and got the answer back; she is
    #    waiting on another mentee's answer (no reminders meanwhile); Ana owes Maya an answer.
    answered = db.session.scalar(db.select(Pairing).where(
        Pairing.mentee_membership_id == mentees[6].id, Pairing.mentor_membership_id == maya.id))
    if answered is not None:
        answered.info_question = "What would you like to have done by the end of our three months?"
        answered.info_answer = "Ship the accessibility audit at work and present it to my team."
        answered.info_asked_at, answered.info_answered_at = now - timedelta(days=2), now - timedelta(days=1)
        answered.last_reminded_at = answered.info_answered_at
        event(program, "pairing", answered.id, "proposed", "info_requested", maya.user_id, answered.info_asked_at)
        event(program, "pairing", answered.id, "info_requested", "proposed", mentees[6].user_id,
               answered.info_answered_at, "answered")
    waiting = pairing(program, mentees[13], maya, "info_requested", 3,
                       info_question="Are you after a first job in data, or a move inside your company?",
                       info_asked_at=now - timedelta(days=1))
    event(program, "pairing", waiting.id, "proposed", "info_requested", maya.user_id, waiting.info_asked_at)
    req = MicroRequest(program_id=program.id, mentee_membership_id=ana.id, mentor_membership_id=mentors[6].id,
                       kind="feedback", state="info_requested", created_at=now - timedelta(days=2),
                       question="Could you look at my portfolio's case study and say what a hiring manager skips?",
                       info_question="Which role are you applying for: product design or UX research?",
                       info_asked_at=now - timedelta(hours=20))
    db.session.add(req)
    db.session.flush()
    event(program, "request", req.id, None, "open", ana.user_id, req.created_at)
    event(program, "request", req.id, "open", "info_requested", mentors[6].user_id, req.info_asked_at)
    counter = db.session.get(OpenRequestCounter, ana.id)
    if counter is None:
        counter = OpenRequestCounter(membership_id=ana.id, open_requests=0)
        db.session.add(counter)
    counter.open_requests = min(5, (counter.open_requests or 0) + 1)

    # Decline and pause me.
    declined = pairing(program, mentees[15], mentors[7], "declined", 6, 5, decline_reason="no_capacity",
                        decline_note="Parental leave from next week.", ended_at=now - timedelta(days=5))
    event(program, "pairing", declined.id, "proposed", "declined", mentors[7].user_id, declined.ended_at, "no_capacity")
    event(program, "mentor", mentors[7].id, "available", "unavailable", mentors[7].user_id, declined.ended_at,
           f"away until {(clock.today() + timedelta(days=60)).isoformat()} (set when declining)")
    db.session.execute(db.update(MentorProfile).where(MentorProfile.membership_id == mentors[7].id)
                       .values(away_until=clock.today() + timedelta(days=60)))

    # An edited request (its history shows the edit).
    edited = db.session.scalar(db.select(MicroRequest).where(
        MicroRequest.mentee_membership_id == ana.id, MicroRequest.state == "open").order_by(MicroRequest.id))
    if edited is not None:
        event(program, "request", edited.id, "open", "open", ana.user_id, edited.created_at + timedelta(minutes=30),
               "edited")

    # A mentee's report on a mentor who does not answer.
    silent_req = db.session.scalar(db.select(MicroRequest).where(
        MicroRequest.mentee_membership_id == mentees[5].id, MicroRequest.state == "open").limit(1))
    if silent_req is not None:
        db.session.add(MentorReport(program_id=program.id, mentee_membership_id=mentees[5].id,
                                    mentor_membership_id=silent_req.mentor_membership_id, request_id=silent_req.id,
                                    note="Five days and no word, and the reminder did not help either.",
                                    created_at=now - timedelta(days=1)))
