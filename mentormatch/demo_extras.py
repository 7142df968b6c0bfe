"""Demo data for the issue-8 features, so each shows on the named demo accounts' pages:
ask-for-info both ways, decline-and-pause, an edited request, a mentee's report, check-ins with a
low score flagged, goal steps, a published autumn round that carries two mentees over and has a
pair both sides want to continue, a lowered priority, and one mentor waiting for approval.

Written directly with past timestamps, like demo_lifecycle. The winter round seeded after this
(demo._solved_round) then shows who was carried over and the continuing pair.
"""
from __future__ import annotations

from datetime import timedelta

from .core import clock
from .extensions import db
from .models import (CheckIn, ContinueWish, Event, GoalStep, Membership, MenteePriority, MentorProfile, MentorReport,
                     MicroRequest, OpenRequestCounter, Pairing, Program, User)
from .models.rounds import Round, RunPair, RunUnmatched, SolveRun

SENTENCE = "shares the context the mentee cares about; a few years ahead, as asked"


def _members(program, role: str) -> list[Membership]:
    return list(db.session.scalars(db.select(Membership).join(User).where(
        Membership.program_id == program.id, User.role == role).order_by(Membership.id)))


def _event(program, kind, subject_id, from_state, to_state, actor_id, at, note=""):
    db.session.add(Event(program_id=program.id, subject_type=kind, subject_id=subject_id, from_state=from_state,
                         to_state=to_state, actor_user_id=actor_id, at=at, note=note))


def _pairing(program, mentee, mentor, state, days_ago, answered_days_ago=None, **values) -> Pairing:
    now = clock.now()
    p = Pairing(program_id=program.id, mentee_membership_id=mentee.id, mentor_membership_id=mentor.id, state=state,
                proposed_at=now - timedelta(days=days_ago), sentence=SENTENCE, score=72,
                answered_at=now - timedelta(days=answered_days_ago) if answered_days_ago is not None else None,
                followup_asked_at=now if state in ("active", "completed") else None, **values)
    db.session.add(p)
    db.session.flush()
    return p


def fill_extras(program: Program) -> None:
    now = clock.now()
    mentors, mentees = _members(program, "mentor"), _members(program, "mentee")
    if len(mentors) < 12 or len(mentees) < 18:
        return
    ana, ben, maya = mentees[0], mentees[1], mentors[0]

    # 1. Ask for more info. Maya asked about an older proposal and got the answer back; she is
    #    waiting on another mentee's answer (no reminders meanwhile); Ana owes Maya an answer.
    answered = db.session.scalar(db.select(Pairing).where(
        Pairing.mentee_membership_id == mentees[6].id, Pairing.mentor_membership_id == maya.id))
    if answered is not None:
        answered.info_question = "What would you like to have done by the end of our three months?"
        answered.info_answer = "Ship the accessibility audit at work and present it to my team."
        answered.info_asked_at, answered.info_answered_at = now - timedelta(days=2), now - timedelta(days=1)
        answered.last_reminded_at = answered.info_answered_at
        _event(program, "pairing", answered.id, "proposed", "info_requested", maya.user_id, answered.info_asked_at)
        _event(program, "pairing", answered.id, "info_requested", "proposed", mentees[6].user_id,
               answered.info_answered_at, "answered")
    waiting = _pairing(program, mentees[13], maya, "info_requested", 3,
                       info_question="Are you after a first job in data, or a move inside your company?",
                       info_asked_at=now - timedelta(days=1))
    _event(program, "pairing", waiting.id, "proposed", "info_requested", maya.user_id, waiting.info_asked_at)
    req = MicroRequest(program_id=program.id, mentee_membership_id=ana.id, mentor_membership_id=mentors[6].id,
                       kind="feedback", state="info_requested", created_at=now - timedelta(days=2),
                       question="Could you look at my portfolio's case study and say what a hiring manager skips?",
                       info_question="Which role are you applying for: product design or UX research?",
                       info_asked_at=now - timedelta(hours=20))
    db.session.add(req)
    db.session.flush()
    _event(program, "request", req.id, None, "open", ana.user_id, req.created_at)
    _event(program, "request", req.id, "open", "info_requested", mentors[6].user_id, req.info_asked_at)
    counter = db.session.get(OpenRequestCounter, ana.id)
    if counter is None:
        counter = OpenRequestCounter(membership_id=ana.id, open_requests=0)
        db.session.add(counter)
    counter.open_requests = min(5, (counter.open_requests or 0) + 1)

    # 2. Decline and pause me.
    declined = _pairing(program, mentees[15], mentors[7], "declined", 6, 5, decline_reason="no_capacity",
                        decline_note="Parental leave from next week.", ended_at=now - timedelta(days=5))
    _event(program, "pairing", declined.id, "proposed", "declined", mentors[7].user_id, declined.ended_at, "no_capacity")
    _event(program, "mentor", mentors[7].id, "available", "unavailable", mentors[7].user_id, declined.ended_at,
           f"away until {(clock.today() + timedelta(days=60)).isoformat()} (set when declining)")
    db.session.execute(db.update(MentorProfile).where(MentorProfile.membership_id == mentors[7].id)
                       .values(away_until=clock.today() + timedelta(days=60)))

    # 8. An edited request (its history shows the edit).
    edited = db.session.scalar(db.select(MicroRequest).where(
        MicroRequest.mentee_membership_id == ana.id, MicroRequest.state == "open").order_by(MicroRequest.id))
    if edited is not None:
        _event(program, "request", edited.id, "open", "open", ana.user_id, edited.created_at + timedelta(minutes=30),
               "edited")

    # 9. A mentee's report on a mentor who does not answer.
    silent_req = db.session.scalar(db.select(MicroRequest).where(
        MicroRequest.mentee_membership_id == mentees[5].id, MicroRequest.state == "open").limit(1))
    if silent_req is not None:
        db.session.add(MentorReport(program_id=program.id, mentee_membership_id=mentees[5].id,
                                    mentor_membership_id=silent_req.mentor_membership_id, request_id=silent_req.id,
                                    note="Five days and no word, and the reminder did not help either.",
                                    created_at=now - timedelta(days=1)))

    # 10. Check-ins: one pairing 45 days in (the mentor's 2 is flagged), and Ana's due now.
    long = _pairing(program, mentees[16], mentors[8], "active", 46, 45)
    db.session.add_all([
        CheckIn(program_id=program.id, pairing_id=long.id, membership_id=mentees[16].id, day=30, score=4,
                comment="Good: we meet every other week.", invited_at=now - timedelta(days=15),
                answered_at=now - timedelta(days=14)),
        CheckIn(program_id=program.id, pairing_id=long.id, membership_id=mentors[8].id, day=30, score=2,
                comment="We missed the last two meetings.", invited_at=now - timedelta(days=15),
                answered_at=now - timedelta(days=13))])
    anas = _pairing(program, ana, mentors[9], "active", 33, 31)
    db.session.add_all([
        CheckIn(program_id=program.id, pairing_id=anas.id, membership_id=ana.id, day=30, invited_at=now),
        CheckIn(program_id=program.id, pairing_id=anas.id, membership_id=mentors[9].id, day=30, invited_at=now)])

    # 11. Goal steps: Ana's plan, and Ben's (Omar, his mentor, sees the progress).
    for member, steps in ((ana, [("Pick one feature to own end to end", True), ("Write a one-page design doc", True),
                                 ("Pair with a senior on the first PR", False), ("Demo it at the team meeting", False)]),
                          (ben, [("List three teams I would like to join", True), ("Ask each lead for 20 minutes", False),
                                 ("Decide by the end of the month", False)])):
        for i, (title, done) in enumerate(steps, start=1):
            db.session.add(GoalStep(membership_id=member.id, title=title, position=i, created_at=now - timedelta(days=10),
                                    done_at=now - timedelta(days=10 - 2 * i) if done else None))

    # 4-5. A published autumn round: two mentees left out (carried over into the winter round),
    #      one pair both sides want to continue, one only the mentee wants; a lowered priority.
    autumn = Round(program_id=program.id, name="Autumn 2026 cohort", state="closed", weights={}, rules={}, pool={},
                   created_at=now - timedelta(days=120), approved_at=now - timedelta(days=110))
    db.session.add(autumn)
    db.session.flush()
    run = SolveRun(round_id=autumn.id, status="done", phase="done", kind="full", created_at=autumn.created_at,
                   finished_at=autumn.created_at, mentee_count=4, matched_count=2, pair_count=2, unmatched_count=2)
    db.session.add(run)
    db.session.flush()
    autumn.approved_run_id = run.id
    names = dict(db.session.execute(db.select(Membership.id, User.name).join(User, User.id == Membership.user_id)
                                    .where(Membership.program_id == program.id)).all())
    for mentee in (mentees[10], mentees[11]):
        db.session.add(RunUnmatched(run_id=run.id, mentee_membership_id=mentee.id, mentee_name=names[mentee.id],
                                    reasons=[["capacity_full", 3]], sentence="All candidate mentors were full."))
    for mentee, wants_mentor in ((mentees[8], True), (mentees[9], False)):
        db.session.add(RunPair(run_id=run.id, mentee_membership_id=mentee.id, mentor_membership_id=mentors[6].id,
                               mentee_name=names[mentee.id], mentor_name=names[mentors[6].id], score=70))
        p = _pairing(program, mentee, mentors[6], "completed", 110, 108, round_id=autumn.id,
                     ended_at=now - timedelta(days=20))
        db.session.add(ContinueWish(pairing_id=p.id, membership_id=mentee.id, wants=True, at=now - timedelta(days=19)))
        db.session.add(ContinueWish(pairing_id=p.id, membership_id=mentors[6].id, wants=wants_mentor,
                                    at=now - timedelta(days=18)))
    coordinator_id = db.session.scalar(db.select(User.id).where(User.role == "coordinator").limit(1))
    db.session.add(MenteePriority(membership_id=mentees[12].id, bonus=-15, note="Missed two meetings last round",
                                  set_by_id=coordinator_id))

    # 12. Mentor approval: the program requires it; everyone is approved but one new mentor.
    program.requires_mentor_approval = True
    pending = mentors[10]
    db.session.execute(db.update(Membership).where(Membership.program_id == program.id, Membership.id != pending.id)
                       .values(approved_at=now - timedelta(days=30)))
    db.session.commit()
