"""Two members of a circle pick different proposed times at the same moment: one booking, one
refusal, one set of invitations (the conditional UPDATE on meetings). On PostgreSQL
(TEST_DATABASE_URL) this is real row-level concurrency; SQLite serializes writers."""
import threading

from mentormatch.extensions import db
from mentormatch.models import Meeting, MeetingSlot, OutboxMessage, User
from mentormatch.services import ServiceError, meetings
from tests.web.test_circles import THU, as_user, circle, propose, slot_ids, the_meeting  # noqa: F401


def test_two_members_picking_different_times_at_once_book_once(app, circle):
    w = circle
    propose(as_user(app, w.mentee), w, [(THU, "16:00"), (THU, "17:00")])
    meeting = the_meeting(app, w.circle_id)
    first, second = slot_ids(app, meeting.id)
    with app.app_context():
        before = db.session.scalar(db.select(db.func.count()).select_from(OutboxMessage))
    barrier = threading.Barrier(2)
    outcomes = []

    def pick_now(user_id, slot_id):
        with app.app_context():
            try:
                row, user = db.session.get(Meeting, meeting.id), db.session.get(User, user_id)
                _ = [m.membership.user for m in meetings.item_of(row).members]  # loaded before the race
                barrier.wait()
                meetings.pick(row, user, slot_id)
                outcomes.append(("booked", slot_id))
            except ServiceError:
                db.session.rollback()
                outcomes.append(("refused", slot_id))
            finally:
                db.session.remove()

    racers = [threading.Thread(target=pick_now, args=(w.ana.id, first)),
              threading.Thread(target=pick_now, args=(w.ben.id, second))]
    for t in racers:
        t.start()
    for t in racers:
        t.join(30)
    assert sorted(kind for kind, _ in outcomes) == ["booked", "refused"]
    [(_, booked_slot)] = [o for o in outcomes if o[0] == "booked"]
    with app.app_context():
        stored = db.session.get(Meeting, meeting.id)
        assert stored.state == "booked" and stored.sequence == 0
        assert stored.starts_at == db.session.get(MeetingSlot, booked_slot).starts_at
        invitations = db.session.scalar(db.select(db.func.count()).select_from(OutboxMessage)) - before
    assert invitations == len(w.members), "one invitation for each member, not two sets"
