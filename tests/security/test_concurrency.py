"""Races: a mentor's seats are never exceeded when many accepts arrive at once."""
import threading

from mentormatch.extensions import db
from mentormatch.models import Membership, Pairing, User
from mentormatch.services import ServiceError, answers
from tests.web.test_lifecycle_data import add_profile, mid


def test_mentor_capacity_is_never_exceeded_when_many_accepts_race(app, make_user, world):
    add_profile(app, mid(world, world.mentor), capacity_round=2)
    pairing_ids = []
    with app.app_context():
        for n in range(6):
            mentee = User(email=f"racer{n}@example.org", name=f"Racer {n}", role="mentee", password_hash="!")
            db.session.add(mentee)
            db.session.flush()
            membership = Membership(program_id=world.program.id, user_id=mentee.id)
            db.session.add(membership)
            db.session.flush()
            pairing = Pairing(program_id=world.program.id, mentee_membership_id=membership.id,
                              mentor_membership_id=mid(world, world.mentor), state="proposed")
            db.session.add(pairing)
            db.session.flush()
            pairing_ids.append(pairing.id)
        db.session.commit()

    barrier = threading.Barrier(len(pairing_ids))
    outcomes = []

    def accept(pairing_id):
        with app.app_context():
            mentor = db.session.get(User, world.mentor.id)
            pairing = db.session.get(Pairing, pairing_id)
            barrier.wait()
            try:
                answers.accept(pairing, mentor)
                outcomes.append("accepted")
            except ServiceError:
                outcomes.append("refused")
            finally:
                db.session.remove()

    threads = [threading.Thread(target=accept, args=(pid,)) for pid in pairing_ids]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(60)
    assert sorted(outcomes) == ["accepted"] * 2 + ["refused"] * 4
    with app.app_context():
        active = db.session.scalar(db.select(db.func.count()).select_from(Pairing).where(
            Pairing.mentor_membership_id == mid(world, world.mentor), Pairing.state == "active"))
        assert active == 2
