"""Races the database must stop: parallel sends and swaps, each refused in the words a single one gets.

On PostgreSQL these are real row-level races between connections; SQLite lets one writer at a
time, and every limit must hold there too. Each test fails without its constraint or lock.
"""
import threading

import pytest

from mentormatch.extensions import db
from mentormatch.models import Membership, MicroRequest, OpenRequestCounter, Pairing, Program, User
from mentormatch.models.rounds import Round, RunPair
from mentormatch.services import ServiceError, micro_requests
from mentormatch.services.rounds import publish, review, runs
from tests.web.test_lifecycle_data import add_mentee, add_mentor, frozen, mid, open_count  # noqa: F401
from tests.web.test_rounds_support import add_people, make_round

QUESTION = "Which of my 5 pitch slides loses you first, and why?"


def race(app, n: int, action) -> list[str]:
    """Run action(i, barrier) in n threads, each in its own app context and database session, released
    together by the barrier; each gives its outcome or the refusal's words."""
    barrier, outcomes = threading.Barrier(n), []

    def one(i):
        with app.app_context():
            try:
                outcomes.append(action(i, barrier))
            except ServiceError as error:
                outcomes.append(error.message)
            finally:
                db.session.remove()

    threads = [threading.Thread(target=one, args=(i,)) for i in range(n)]
    for t in threads:
        t.start()
    for t in threads:
        t.join(120)
    assert len(outcomes) == n, "a racer died without an outcome"
    return outcomes


def _send(app, mentee_id: int, program_id: int, mentor_mid: int):
    def action(i, barrier):
        mentee, program = db.session.get(User, mentee_id), db.session.get(Program, program_id)
        mentor = db.session.get(Membership, mentor_mid)
        _ = mentor.user.role  # loaded before the start, so every racer reaches the check together
        barrier.wait()
        micro_requests.send(mentee, program, mentor, {"kind": "call15", "question": QUESTION})
        return "sent"
    return action


def _pending(app, **where) -> int:
    with app.app_context():
        q = db.select(db.func.count()).select_from(MicroRequest).where(MicroRequest.state.in_(("open", "info_requested")))
        for column, value in where.items():
            q = q.where(getattr(MicroRequest, column) == value)
        return db.session.scalar(q)


def test_parallel_sends_from_one_mentee_to_one_mentor_open_one_request(app, make_user, world, frozen):
    _, mentor = add_mentor(app, make_user, world, "Pat Popular", capacity_micro=20)
    outcomes = race(app, 6, _send(app, world.mentee.id, world.program.id, mentor))
    assert sorted(outcomes) == sorted([str(micro_requests.ALREADY_OPEN)] * 5 + ["sent"])
    assert _pending(app, mentee_membership_id=mid(world, world.mentee), mentor_membership_id=mentor) == 1
    assert open_count(app, mid(world, world.mentee)) == 1  # the refused ones gave their slot back


def test_the_database_refuses_a_second_pending_request_to_the_same_mentor(app, make_user, world, frozen):
    from sqlalchemy.exc import IntegrityError

    _, mentor = add_mentor(app, make_user, world, "Pat Popular")
    with app.app_context():
        for state in ("open", "info_requested"):
            db.session.add(MicroRequest(program_id=world.program.id, mentee_membership_id=mid(world, world.mentee),
                                        mentor_membership_id=mentor, kind="call15", question=QUESTION, state=state))
        with pytest.raises(IntegrityError):
            db.session.commit()
        db.session.rollback()
        # Closed ones do not count: any number of them may sit next to one pending request.
        for state in ("open", "declined", "cancelled", "done"):
            db.session.add(MicroRequest(program_id=world.program.id, mentee_membership_id=mid(world, world.mentee),
                                        mentor_membership_id=mentor, kind="call15", question=QUESTION, state=state))
        db.session.commit()


def test_parallel_sends_cannot_exceed_a_mentors_monthly_capacity(app, make_user, world, frozen):
    _, mentor = add_mentor(app, make_user, world, "Pat Popular", capacity_micro=2)
    mentees = [add_mentee(app, make_user, world, f"Racer {i}")[0] for i in range(6)]

    def action(i, barrier):
        return _send(app, mentees[i].id, world.program.id, mentor)(i, barrier)

    outcomes = race(app, len(mentees), action)
    assert sorted(outcomes) == sorted(["sent"] * 2 + [str(micro_requests.MENTOR_FULL)] * 4)
    assert _pending(app, mentor_membership_id=mentor) == 2
    with app.app_context():
        assert db.session.scalar(db.select(db.func.sum(OpenRequestCounter.open_requests))) == 2


@pytest.mark.parametrize("app", [{"SOLVE_RUNNER": "inline"}], indirect=True)
def test_parallel_swaps_cannot_both_take_a_mentors_last_free_seat(app, world):
    # Three mentees, four one-seat mentors: the proposal leaves exactly one mentor with a free seat.
    people = add_people(
        app, world.program.id,
        mentors=[{"name": f"Mentor {c}", "years": 8, "topics": ["python"], "capacity_round": 1} for c in "ABCD"],
        mentees=[{"name": f"Mentee {c}", "years": 2, "topics": ["python"]} for c in "XYZ"])
    rid = make_round(app, world.program.id, world.coordinator.id)
    with app.app_context():
        run = runs.start_run(db.session.get(Round, rid), db.session.get(User, world.coordinator.id))
        run_id = run.id
        pair_ids = list(db.session.scalars(db.select(RunPair.id).where(RunPair.run_id == run_id)))
        used = set(db.session.scalars(db.select(RunPair.mentor_membership_id).where(RunPair.run_id == run_id)))
    assert len(pair_ids) == 3
    (free,) = {people.ids[f"Mentor {c}"] for c in "ABCD"} - used

    def action(i, barrier):
        round_, actor = db.session.get(Round, rid), db.session.get(User, world.coordinator.id)
        pair = db.session.get(RunPair, pair_ids[i])
        barrier.wait()
        review.swap(round_, actor, pair, free)
        return "swapped"

    outcomes = race(app, len(pair_ids), action)
    full = [o for o in outcomes if o != "swapped"]
    assert outcomes.count("swapped") == 1, outcomes
    assert full and all(o.endswith("has no free seat in this proposal.") for o in full), outcomes
    with app.app_context():
        assert db.session.scalar(db.select(db.func.count()).select_from(RunPair).where(
            RunPair.run_id == run_id, RunPair.mentor_membership_id == free)) == 1
        assert db.session.scalar(db.select(db.func.count()).select_from(RunPair).where(RunPair.run_id == run_id)) == 3


@pytest.mark.parametrize("app", [{"SOLVE_RUNNER": "inline"}], indirect=True)
def test_an_approval_racing_swaps_publishes_exactly_the_pairs_of_the_proposal(app, world):
    people = add_people(
        app, world.program.id,
        mentors=[{"name": f"Mentor {c}", "years": 8, "topics": ["python"], "capacity_round": 1} for c in "ABCDEF"],
        mentees=[{"name": f"Mentee {c}", "years": 2, "topics": ["python"]} for c in "XYZ"])
    rid = make_round(app, world.program.id, world.coordinator.id)
    with app.app_context():
        run_id = runs.start_run(db.session.get(Round, rid), db.session.get(User, world.coordinator.id)).id
        pairs = db.session.execute(db.select(RunPair.id, RunPair.mentor_membership_id)
                                   .where(RunPair.run_id == run_id).order_by(RunPair.id)).all()
    free = sorted({people.ids[f"Mentor {c}"] for c in "ABCDEF"} - {m for _, m in pairs})

    def action(i, barrier):
        round_, actor = db.session.get(Round, rid), db.session.get(User, world.coordinator.id)
        pair = db.session.get(RunPair, pairs[i - 1][0]) if i else None
        barrier.wait()
        if i == 0:
            publish.approve_round(round_, actor)
            return "approved"
        review.swap(round_, actor, pair, free[i - 1])
        return "swapped"

    outcomes = race(app, 3, action)
    assert "approved" in outcomes, outcomes
    with app.app_context():
        proposal = set(db.session.execute(db.select(RunPair.mentee_membership_id, RunPair.mentor_membership_id)
                                          .where(RunPair.run_id == run_id)).all())
        published = set(db.session.execute(db.select(Pairing.mentee_membership_id, Pairing.mentor_membership_id)
                                           .where(Pairing.round_id == rid)).all())
    assert published == proposal, outcomes  # no swap lands after the approval read the pairs
