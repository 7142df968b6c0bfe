"""Progress inside pairings: check-ins (one pairing 45 days in, where the mentor's low score is
flagged, and Ana's due now) and goal steps (Ana's plan, and Ben's, which Omar his mentor sees).
Written directly with past timestamps."""
from datetime import timedelta

from ..core import clock
from ..extensions import db
from ..models import CheckIn, GoalStep, Program
from .rows import members, pairing


def fill(program: Program) -> None:
    now = clock.now()
    mentors, mentees = members(program, "mentor"), members(program, "mentee")
    ana, ben = mentees[0], mentees[1]

    long = pairing(program, mentees[16], mentors[8], "active", 46, 45)
    db.session.add_all([
        CheckIn(program_id=program.id, pairing_id=long.id, membership_id=mentees[16].id, day=30, score=4,
                comment="Good: we meet every other week.", invited_at=now - timedelta(days=15),
                answered_at=now - timedelta(days=14)),
        CheckIn(program_id=program.id, pairing_id=long.id, membership_id=mentors[8].id, day=30, score=2,
                comment="We missed the last two meetings.", invited_at=now - timedelta(days=15),
                answered_at=now - timedelta(days=13))])
    anas = pairing(program, ana, mentors[9], "active", 33, 31)
    db.session.add_all([
        CheckIn(program_id=program.id, pairing_id=anas.id, membership_id=ana.id, day=30, invited_at=now),
        CheckIn(program_id=program.id, pairing_id=anas.id, membership_id=mentors[9].id, day=30, invited_at=now)])

    for member, steps in ((ana, [("Pick one feature to own end to end", True), ("Write a one-page design doc", True),
                                 ("Pair with a senior on the first PR", False), ("Demo it at the team meeting", False)]),
                          (ben, [("List three teams I would like to join", True), ("Ask each lead for 20 minutes", False),
                                 ("Decide by the end of the month", False)])):
        for i, (title, done) in enumerate(steps, start=1):
            db.session.add(GoalStep(membership_id=member.id, title=title, position=i, created_at=now - timedelta(days=10),
                                    done_at=now - timedelta(days=10 - 2 * i) if done else None))
