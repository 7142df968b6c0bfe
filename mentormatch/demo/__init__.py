"""Demo data: a coordinator, a program, mentors drawn from the real anonymized profiles in
../shared/data, and mentees, with ten weeks of history so every page has something to show.
Idempotent: running it again changes nothing.

    people      the program's topics, the mentors' profiles and the mentees' goal forms (through services)
    lifecycle   ten weeks of micro-requests and proposals in every state, follow-ups, a paused mentor
    together    a pair's conversation, a meeting they had and the next one booked; a request's thread
    answering   ask-for-info both ways, decline-and-pause, an edited request, a report on a silent mentor
    progress    check-ins and goal steps
    rounds      a closed autumn round (carry-overs, continue wishes, a priority) and a solved winter round
    accounts    the demo accounts and their shared password
    rows        helpers for rows that carry past timestamps
"""
import random

from ..extensions import db
from ..models import Program
from ..services import programs
from . import answering, lifecycle, people, progress, rounds, together
from .accounts import COORDINATOR, DEMO_PASSWORD, account, demo_accounts, roster
from .rows import members

PROGRAM_NAME = "Women in Tech Mentoring Circle"

__all__ = ["COORDINATOR", "DEMO_PASSWORD", "PROGRAM_NAME", "demo_accounts", "seed"]


def seed(extra_mentors: int = 20, extra_mentees: int = 30) -> bool:
    """Create the demo program and people. Returns False when it was there already."""
    if db.session.scalar(db.select(Program).where(Program.name == PROGRAM_NAME)) is not None:
        return False
    rng = random.Random(2026)
    coordinator = account("coordinator", *COORDINATOR)
    program = programs.create_program(
        coordinator, name=PROGRAM_NAME, offers_rounds=True, offers_micro=True,
        description="A community program pairing women and non-binary people in tech with mentors a few years ahead.",
    )
    for role, email, name in roster(rng, extra_mentors, extra_mentees):
        programs.join(account(role, email, name), program, role, commit=False)
    db.session.commit()
    people.fill(program, rng, people.real_mentor_profiles())
    lifecycle.fill(program, rng)
    together.fill(program)
    if len(members(program, "mentor")) >= 12 and len(members(program, "mentee")) >= 18:
        answering.fill(program)
        progress.fill(program)
        rounds.past_round(program, coordinator)
        people.require_approval(program)
        db.session.commit()
    rounds.solved_round(program, coordinator)
    return True
