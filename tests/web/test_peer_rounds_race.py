"""Approving a peer round is a conditional UPDATE: two coordinators approving at once form the
circles once, and a lock racing the approval either lands before it or is refused. Real
concurrency on PostgreSQL (TEST_DATABASE_URL); SQLite serializes the writers, and the rules must
hold there too."""
import threading

from mentormatch.extensions import db
from mentormatch.models import Circle, CircleMember, ProgramCoordinator, Round, User
from mentormatch.models.rounds import RoundEvent, RunGroup, SolveRun
from mentormatch.services import ServiceError
from mentormatch.services.rounds import peer_instance, peer_results, peer_review
from tests.web.test_peer_rounds import peer_round, peers


def _race(app, actions):
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
        t.join(60)
    return sorted(outcomes)


def proposed(app, world, kind="circle", n=8):
    rid = peer_round(app, world.program.id, world.coordinator.id, kind=kind, rules={"circle_min": 3, "circle_max": 4})
    with app.app_context():
        r = db.session.get(Round, rid)
        run = SolveRun(round_id=rid, status="done", phase="done")
        db.session.add(run)
        db.session.flush()
        data = peer_instance.build_peer_data(r)
        peer_results.store_peer_result(run, data, peer_results.solve(data))
        r.state = "proposed"
        db.session.commit()
        return rid, run.pair_count


def _approve(rid, user_id):
    def action():
        peer_review.approve_groups(db.session.get(Round, rid), db.session.get(User, user_id))
    return action


def test_two_approvals_racing_form_the_circles_once(app, world, make_user):
    peers(app, world.program.id, n=8)
    second = make_user("coordinator", "Second Coordinator")
    with app.app_context():
        db.session.add(ProgramCoordinator(program_id=world.program.id, user_id=second.id))
        db.session.commit()
    rid, groups = proposed(app, world)
    assert groups >= 2
    assert _race(app, [_approve(rid, world.coordinator.id), _approve(rid, second.id)]) == ["refused", "won"]
    with app.app_context():
        assert db.session.scalar(db.select(db.func.count()).select_from(Circle).where(Circle.round_id == rid)) == groups
        placed = db.session.scalars(db.select(CircleMember.membership_id).join(Circle)
                                    .where(Circle.round_id == rid)).all()
        assert len(placed) == len(set(placed))
        assert db.session.get(Round, rid).state == "approved"
        sent = len(app.extensions["mailman"].outbox)
    assert sent == len(placed)  # one mail per member, from the one approval that won


def test_a_lock_racing_the_approval_lands_before_it_or_is_refused(app, world):
    peers(app, world.program.id, n=8)
    rid, _ = proposed(app, world)
    with app.app_context():
        gid = db.session.scalar(db.select(RunGroup.id).join(SolveRun).where(SolveRun.round_id == rid)
                                .order_by(RunGroup.id))

    def lock():
        peer_review.set_group_lock(db.session.get(Round, rid), db.session.get(User, world.coordinator.id),
                                   db.session.get(RunGroup, gid), True)
    for _ in range(3):
        outcomes = _race(app, [_approve(rid, world.coordinator.id), lock])
        with app.app_context():
            assert db.session.get(Round, rid).state == "approved"
            actions = [e.action for e in db.session.scalars(db.select(RoundEvent).where(RoundEvent.round_id == rid)
                                                            .order_by(RoundEvent.id))]
            locked = db.session.get(RunGroup, gid).locked
        if outcomes == ["won", "won"]:  # the lock came first: it is in the history before the approval
            assert actions == ["lock", "approve"] and locked
        else:  # refused: the approval froze the round first, and the group is as it was
            assert outcomes == ["refused", "won"] and actions == ["approve"] and not locked
        with app.app_context():  # back to proposed for the next try
            db.session.execute(db.delete(RoundEvent).where(RoundEvent.round_id == rid))
            db.session.execute(db.delete(Circle).where(Circle.round_id == rid))
            r = db.session.get(Round, rid)
            r.state, r.approved_run_id = "proposed", None
            db.session.get(RunGroup, gid).locked = False
            db.session.commit()
