"""Racing posts: on PostgreSQL real row-level concurrency, on SQLite serialized writers. Whatever
the interleaving, every message is kept, the recipient's read row is made once, and they get one
email for the hour (the conditional UPDATE on thread_reads), not one per racing post."""
import threading

import pytest

from mentormatch.extensions import db
from mentormatch.models import Message, Pairing, ThreadRead, User
from mentormatch.services import threads
from tests.smtp import SMTP_CONFIG
from tests.web.test_lifecycle_data import frozen, mid  # noqa: F401
from tests.web.test_threads import pair  # noqa: F401


@pytest.mark.parametrize("app", [SMTP_CONFIG], indirect=True)
def test_racing_posts_keep_every_message_and_mail_the_other_person_once(app, pair, smtp_server):
    writers = 6
    barrier = threading.Barrier(writers)
    errors = []

    def write(n: int) -> None:
        with app.app_context():
            try:
                pairing = db.session.get(Pairing, pair.pairing_id)
                user = db.session.get(User, pair.mentee.id)
                _ = pairing.mentee.user, pairing.mentor.user  # loaded before the race starts
                barrier.wait()
                threads.post(pairing, user, f"Racing message {n}")
            except Exception as error:  # noqa: BLE001 - reported below
                db.session.rollback()
                errors.append(repr(error))
            finally:
                db.session.remove()

    racers = [threading.Thread(target=write, args=(n,)) for n in range(writers)]
    for t in racers:
        t.start()
    for t in racers:
        t.join(30)
    assert errors == []
    with app.app_context():
        assert db.session.scalar(db.select(db.func.count()).select_from(Message)) == writers
        rows = db.session.scalars(db.select(ThreadRead).filter_by(membership_id=mid(pair, pair.mentor))).all()
        assert len(rows) == 1
    mails = smtp_server.wait_for(2, timeout=1.0)
    assert [m["to"] for m in mails] == [[pair.mentor.email]], "one email for the hour, however many raced"
