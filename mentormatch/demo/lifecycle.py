"""Demo data for the lifecycle: proposals, micro-requests in every state, follow-ups, thanks,
reminders, an expired streak and one mentor the system paused; spread over the last ten weeks
so the health page and the mentor cards have something to show.

Rows are written directly (not through the services) because they carry past timestamps; the
open-request counters are then set from the rows so the cap holds exactly as in real use.
"""
from __future__ import annotations

from datetime import timedelta

from sqlalchemy import func

from ..core import clock
from ..extensions import db
from ..models import (
    MAX_OPEN_REQUESTS,
    REQUEST_KINDS,
    FollowUp,
    MentorProfile,
    MicroRequest,
    OpenRequestCounter,
    Pairing,
)
from .rows import event, members

QUESTIONS = [
    "Could you look at my 5-slide pitch for the data platform migration and tell me which slide loses you?",
    "I have two offers, a bank's platform team and a start-up's API team: which would you pick to grow toward staff?",
    "What did you say in your first conversation with your manager about getting promoted to senior?",
    "Would you introduce me to someone who runs an accessibility team? I want to ask how they staff audits.",
    "Can you review the README of my side project and say whether a hiring manager would read past line 3?",
    "How do you decide between refactoring a legacy module and rewriting it, in one paragraph?",
    "I freeze in system design interviews: which single exercise helped you most?",
    "Is a 3-month bootcamp in data engineering worth it if I already write SQL daily?",
    "My team lead asked me to run retros: what is the one thing you would do in the first one?",
    "How did you negotiate your first remote contract rate? I am quoting next week.",
]
FOLLOWUPS = [
    "I cut slide 3 as you said and the steering group approved the migration.",
    "Took the start-up offer. Your question about on-call made the decision easy.",
    "I asked for a promotion plan in writing; we now meet monthly on it.",
]
THANKS = ["Thank you, that saved me a week.", "Thanks a lot!", "Really appreciated your time."]


def fill(program, rng) -> None:
    now = clock.now()
    mentors, mentees = members(program, "mentor"), members(program, "mentee")
    if len(mentors) < 6 or len(mentees) < 8:
        return
    used: dict[int, int] = {}  # this month's micro capacity per mentor
    capacity = dict(db.session.execute(db.select(MentorProfile.membership_id, MentorProfile.capacity_micro)).all())
    month = clock.month_start(now)

    def request(mentee, mentor, state, created, answer_hours=None, question=None):
        if created >= month:
            if used.get(mentor.id, 0) >= capacity.get(mentor.id, 0):
                return None
            used[mentor.id] = used.get(mentor.id, 0) + 1
        answered = created + timedelta(hours=answer_hours) if answer_hours is not None else None
        req = MicroRequest(program_id=program.id, mentee_membership_id=mentee.id, mentor_membership_id=mentor.id,
                           kind=rng.choice(REQUEST_KINDS), question=question or rng.choice(QUESTIONS),
                           context="", state=state, created_at=created, answered_at=answered)
        db.session.add(req)
        db.session.flush()
        event(program, "request", req.id, None, "open", mentee.user_id, created)
        if state in ("accepted", "done", "declined"):
            to = "declined" if state == "declined" else "accepted"
            event(program, "request", req.id, "open", to, mentor.user_id, answered)
            if state == "declined":
                req.decline_reason, req.ended_at = rng.choice(("no_capacity", "not_a_fit")), answered
            if state == "done":
                req.ended_at = answered + timedelta(days=2)
                event(program, "request", req.id, "accepted", "done", mentee.user_id, req.ended_at)
        elif state == "cancelled":
            req.ended_at = created + timedelta(days=1)
            event(program, "request", req.id, "open", "cancelled", mentee.user_id, req.ended_at)
        elif state == "expired":
            req.reminders_sent, req.last_reminded_at = 2, created + timedelta(days=6)
            req.ended_at = created + timedelta(days=9)
            event(program, "request", req.id, "open", "expired", None, req.ended_at, "no answer after reminders")
        elif state == "open" and now - created > timedelta(days=3):
            req.reminders_sent, req.last_reminded_at = 1, created + timedelta(days=3)
        return req

    def followup(req, kind, body, days=3):
        db.session.add(FollowUp(mentee_membership_id=req.mentee_membership_id,
                                mentor_membership_id=req.mentor_membership_id, request_id=req.id, kind=kind,
                                body=body, created_at=(req.answered_at or now) + timedelta(days=days)))

    # History: ten weeks of requests answered by most mentors, ignored by a few.
    silent = mentors[-2:]                   # these two never answer
    paused = mentors[-1]                    # ... and the system paused this one
    responsive = mentors[:-2]
    for week in range(10, 0, -1):
        for _ in range(rng.randint(2, 5)):
            created = now - timedelta(weeks=week, hours=rng.randint(0, 120))
            mentee, mentor = rng.choice(mentees[2:]), rng.choice(responsive)
            state = rng.choices(("done", "accepted", "declined", "cancelled"), weights=(5, 2, 2, 1))[0]
            req = request(mentee, mentor, state, created, answer_hours=rng.choice((1, 3, 6, 12, 26, 50)))
            if req is not None and state == "done":
                followup(req, "followup", rng.choice(FOLLOWUPS))
                if rng.random() < 0.7:
                    followup(req, "thanks", rng.choice(THANKS), days=4)
        if week in (7, 4):
            for mentor in silent:
                request(rng.choice(mentees[2:]), mentor, "expired", now - timedelta(weeks=week))
    event(program, "mentor", paused.id, "available", "unavailable", None, now - timedelta(weeks=3),
           "2 requests or proposals expired without an answer")
    db.session.execute(db.update(MentorProfile).where(MentorProfile.membership_id == paused.id).values(available=False))

    # The named demo accounts: Ana (mentees[0]) has something in every state; Maya (mentors[0])
    # has a proposal and requests waiting for her answer.
    ana, ben, maya, omar = mentees[0], mentees[1], mentors[0], mentors[1]
    done = request(ana, omar, "done", now - timedelta(days=20), answer_hours=4, question=QUESTIONS[0])
    if done is not None:
        followup(done, "followup", FOLLOWUPS[0])
        followup(done, "thanks", THANKS[0], days=4)
    request(ana, maya, "accepted", now - timedelta(days=2), answer_hours=3, question=QUESTIONS[1])
    request(ana, mentors[2], "open", now - timedelta(days=1), question=QUESTIONS[2])
    request(ana, mentors[3], "open", now - timedelta(hours=5), question=QUESTIONS[3])
    request(ana, mentors[4], "declined", now - timedelta(days=6), answer_hours=20, question=QUESTIONS[4])
    request(ana, mentors[5], "cancelled", now - timedelta(days=8), question=QUESTIONS[5])
    request(ana, silent[0], "expired", now - timedelta(days=12), question=QUESTIONS[6])
    request(ben, maya, "open", now - timedelta(days=4), question=QUESTIONS[7])
    request(mentees[4], maya, "open", now - timedelta(hours=20), question=QUESTIONS[8])
    request(mentees[5], silent[0], "open", now - timedelta(days=5), question=QUESTIONS[9])

    # Round pairs: Ben is actively mentored by Omar; Maya and another mentor have proposals to answer.
    pairs = [(ben, omar, "active", 12, 5), (mentees[6], maya, "proposed", 2, None), (mentees[7], mentors[3], "proposed", 4, None),
             (mentees[2], mentors[2], "declined", 15, 30), (mentees[3], silent[0], "expired", 20, None)]
    for mentee, mentor, state, days_ago, hours in pairs:
        proposed = now - timedelta(days=days_ago)
        answered = proposed + timedelta(hours=hours) if hours is not None else None
        p = Pairing(program_id=program.id, mentee_membership_id=mentee.id, mentor_membership_id=mentor.id,
                    state=state, proposed_at=proposed, answered_at=answered,
                    sentence="shares the context the mentee cares about; a few years ahead, as asked",
                    decline_reason="no_capacity" if state == "declined" else None,
                    reminders_sent=2 if state == "expired" else (1 if days_ago > 3 and state == "proposed" else 0))
        db.session.add(p)
        db.session.flush()
        if state == "active":
            event(program, "pairing", p.id, "proposed", "accepted", mentor.user_id, answered)
            event(program, "pairing", p.id, "accepted", "active", mentor.user_id, answered)
        elif state in ("declined", "expired"):
            p.ended_at = answered or proposed + timedelta(days=9)
            event(program, "pairing", p.id, "proposed", state, mentor.user_id if state == "declined" else None, p.ended_at)

    # The cap holds in the demo too: counters from the rows, never above the cap.
    for mentee_id, n in db.session.execute(db.select(MicroRequest.mentee_membership_id, func.count())
                                           .where(MicroRequest.program_id == program.id, MicroRequest.state == "open")
                                           .group_by(MicroRequest.mentee_membership_id)).all():
        db.session.merge(OpenRequestCounter(membership_id=mentee_id, open_requests=min(n, MAX_OPEN_REQUESTS)))
    db.session.commit()
