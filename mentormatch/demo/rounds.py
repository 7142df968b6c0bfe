"""The demo's rounds: a closed autumn round in the past (two mentees left out and so carried over,
one pair both sides want to continue, one only the mentee wants, a lowered priority), and the
winter round, solved and waiting for the coordinator's review."""
from datetime import timedelta

from flask import current_app

from ..core import clock
from ..extensions import db
from ..models import ContinueWish, Membership, Program, User
from ..models.rounds import Round, RunPair, RunUnmatched, SolveRun
from ..services.rounds import fairness, runs, settings
from .rows import members, pairing


def past_round(program: Program, coordinator: User) -> None:
    """A published autumn round; the winter round then shows who was carried over and the
    continuing pair."""
    now = clock.now()
    mentors, mentees = members(program, "mentor"), members(program, "mentee")
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
        p = pairing(program, mentee, mentors[6], "completed", 110, 108, round_id=autumn.id,
                    ended_at=now - timedelta(days=20))
        db.session.add(ContinueWish(pairing_id=p.id, membership_id=mentee.id, wants=True, at=now - timedelta(days=19)))
        db.session.add(ContinueWish(pairing_id=p.id, membership_id=mentors[6].id, wants=wants_mentor,
                                    at=now - timedelta(days=18)))
    fairness.set_priority(program, mentees[12], coordinator, bonus=-15, must_match=False,
                          note="Missed two meetings last round")


def solved_round(program: Program, coordinator: User) -> None:
    """A round already solved and waiting for review, so the coordinator's pages have content."""
    round_ = settings.create_round(program, coordinator, name="Winter 2027 cohort", weights={}, rules={}, pool={})
    runner = current_app.config.get("SOLVE_RUNNER")
    current_app.config["SOLVE_RUNNER"] = "inline"  # the demo waits for its own solve
    try:
        runs.start_run(round_, coordinator)
    finally:
        current_app.config["SOLVE_RUNNER"] = runner
