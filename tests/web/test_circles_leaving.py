"""A member who leaves a circle with a meeting booked ahead gets it off their own calendar: a
cancellation to them alone (same UID, a higher SEQUENCE); the others keep theirs, and the meeting
stays booked for them."""
from icalendar import Calendar

from mentormatch.core import clock
from tests.conftest import post_form
from tests.web.test_circles import THU, as_user, circle, page, pick, propose, slot_ids, the_meeting  # noqa: F401
from tests.web.test_lifecycle_data import mailbox  # noqa: F401 (fixture)


def test_a_leaver_gets_a_cancellation_for_a_booked_meeting_and_the_others_keep_it(app, circle, mailbox):
    w = circle
    propose(as_user(app, w.mentee), w, [(THU, "16:00")])
    meeting = the_meeting(app, w.circle_id)
    pick(as_user(app, w.ana), w, meeting.id, slot_ids(app, meeting.id)[0])
    booked = the_meeting(app, w.circle_id)
    assert booked.state == "booked"
    mailbox.clear()
    clock.advance(minutes=5)
    assert post_form(as_user(app, w.ana), f"{page(w)}/leave", {}, page=page(w)).status_code == 303

    with_calendar = [m for m in mailbox if m.attachments]
    assert [m.to[0] for m in with_calendar] == [w.ana.email], "only the leaver's calendar changes"
    assert "As you left the circle" in with_calendar[0].body
    [attachment] = with_calendar[0].attachments
    [event] = Calendar.from_ical(attachment.get_payload(decode=True)).walk("VEVENT")
    assert str(event["uid"]) == booked.uid and int(event["sequence"]) == booked.sequence + 1
    assert str(event["status"]) == "CANCELLED"
    after = the_meeting(app, w.circle_id)
    assert after.state == "booked" and after.sequence == booked.sequence + 1
