"""An ending is a conditional UPDATE: two ends racing, or an end racing the reminders' inactive
close, win once; an end racing an accept of another proposal for the same seat leaves the
seat count right. Real concurrency on PostgreSQL (TEST_DATABASE_URL); SQLite serializes the
writers, and the rules must hold there too."""
import threading

from mentormatch.extensions import db
from mentormatch.models import Event, Pairing, User
from mentormatch.services import ServiceError, answers, lifecycle
from tests.web.test_lifecycle_data import add_mentee, add_pairing, add_profile, frozen, mid, pairing_state  # noqa: F401


def _race(app, actions):
    """Run each action in its own thread and session, all released at once; their outcomes."""
    barrier = threading.Barrier(len(actions))
    outcomes = []

    def go(action):
        with app.app_context():
            try:
                barrier.wait()
                action()
                outcomes.append("won")
            except ServiceError:
                db.session.rollback()
                outcomes.append("refused")
            finally:
                db.session.remove()

    threads = [threading.Thread(target=go, args=(a,)) for a in actions]
    for t in threads:
        t.start()
    for t in threads:
        t.join(30)
    return sorted(outcomes)


def _end_as(pid, user_id, kind, reason=""):
    def action():
        lifecycle.end(db.session.get(Pairing, pid), db.session.get(User, user_id), kind, reason)
    return action


def _events(app, pid):
    with app.app_context():
        return db.session.scalar(db.select(db.func.count()).select_from(Event).where(
            Event.subject_type == "pairing", Event.subject_id == pid))


def test_two_ends_racing_win_once(app, world, frozen):
    add_profile(app, mid(world, world.mentor))
    for _ in range(3):
        pid = add_pairing(app, world.program.id, mid(world, world.mentee), mid(world, world.mentor), state="active")
        outcomes = _race(app, [_end_as(pid, world.mentee.id, "ended_early", "moving abroad"),
                               _end_as(pid, world.mentor.id, "completed"),
                               _end_as(pid, world.coordinator.id, "completed")])
        assert outcomes == ["refused", "refused", "won"]
        assert pairing_state(app, pid) in ("ended_early", "completed") and _events(app, pid) == 1


def test_an_end_racing_the_inactive_close_wins_once(app, world, frozen):
    add_profile(app, mid(world, world.mentor))
    for _ in range(3):
        pid = add_pairing(app, world.program.id, mid(world, world.mentee), mid(world, world.mentor), state="active")

        def close(pid=pid):
            if not lifecycle.close_inactive(db.session.get(Pairing, pid)):
                raise ServiceError("already ended")

        outcomes = _race(app, [_end_as(pid, world.mentee.id, "completed"), close])
        assert outcomes == ["refused", "won"]
        assert pairing_state(app, pid) in ("completed", "inactive") and _events(app, pid) == 1


def test_an_end_racing_an_accept_for_the_same_seat_keeps_the_count_right(app, make_user, world, frozen):
    add_profile(app, mid(world, world.mentor), capacity_round=1)
    for n in range(3):
        pid = add_pairing(app, world.program.id, mid(world, world.mentee), mid(world, world.mentor), state="active")
        _, other = add_mentee(app, make_user, world, f"Next Mentee {n}")
        proposal = add_pairing(app, world.program.id, other, mid(world, world.mentor))

        def accept(proposal=proposal):
            answers.accept(db.session.get(Pairing, proposal), db.session.get(User, world.mentor.id))

        outcomes = _race(app, [_end_as(pid, world.mentor.id, "completed"), accept])
        assert pairing_state(app, pid) == "completed", "the end always wins: nothing else moves an active pairing"
        # The accept either saw the seat taken (refused, still proposed) or free (accepted).
        assert outcomes in (["refused", "won"], ["won", "won"])
        assert pairing_state(app, proposal) == ("active" if outcomes == ["won", "won"] else "proposed")
        with app.app_context():
            running = db.session.scalar(db.select(db.func.count()).select_from(Pairing).where(
                Pairing.mentor_membership_id == mid(world, world.mentor), Pairing.state.in_(("accepted", "active"))))
            assert running <= 1, "never past the mentor's one seat"
            # tidy for the next lap: end the accepted one so the seat is free again
            if pairing_state(app, proposal) == "active":
                lifecycle.end(db.session.get(Pairing, proposal), db.session.get(User, world.mentor.id), "completed")
            else:
                db.session.get(Pairing, proposal).state = "declined"
                db.session.commit()
