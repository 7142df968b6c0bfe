"""A member who leaves a circle with a meeting booked ahead gets it off their own calendar: a
cancellation to them alone (same UID, a higher SEQUENCE); the meeting stays booked for the others,
whose news of the leaving carries the updated invitation without the leaver (and with a new
organizer when it was the leaver's)."""
from icalendar import Calendar

from mentormatch.core import clock
from mentormatch.extensions import db
from mentormatch.models import Circle
from tests.conftest import post_form
from tests.web.test_circles import (  # noqa: F401
    THU,
    as_user,
    booked_by_ana,
    circle,
    make_circle,
    page,
    pick,
    propose,
    slot_ids,
    the_meeting,
)
from tests.web.test_lifecycle_data import mailbox  # noqa: F401 (fixture)


def test_a_leaver_gets_a_cancellation_for_a_booked_meeting_and_the_others_keep_it(app, circle, mailbox):
    w = circle
    booked = book(app, w, mailbox)
    assert post_form(as_user(app, w.ana), f"{page(w)}/leave", {}, page=page(w)).status_code == 303

    cancellation = event_to(mailbox, w.ana)
    assert "As you left the circle" in cancellation.body
    event = cancellation.event
    assert str(event["uid"]) == booked.uid and int(event["sequence"]) == booked.sequence + 1
    assert str(event["status"]) == "CANCELLED"
    after = the_meeting(app, w.circle_id)
    assert after.state == "booked" and after.sequence == booked.sequence + 1

    for stays in (w.mentee, w.ben, w.mentor):
        update = event_to(mailbox, stays)
        assert "has left" in update.subject or "ha dejado" in update.subject  # Ben reads Spanish
        event = update.event
        assert str(event["uid"]) == booked.uid and int(event["sequence"]) == booked.sequence + 1
        assert str(event["status"]) == "CONFIRMED"
        assert attendees(event) == {w.mentee.email, w.ben.email, w.mentor.email}, "the leaver is off it"
        assert str(event["organizer"]) == f"mailto:{w.mentee.email}", "still the proposer's meeting"
    assert "takes Ana Alves off the meeting" in event_to(mailbox, w.mentee).body


def test_when_the_organizer_leaves_the_meeting_passes_to_a_member_who_stays(app, circle, mailbox):
    w = circle
    booked = book(app, w, mailbox)
    assert post_form(as_user(app, w.mentee), f"{page(w)}/leave", {}, page=page(w)).status_code == 303

    assert str(event_to(mailbox, w.mentee).event["status"]) == "CANCELLED"
    for stays in (w.ana, w.ben, w.mentor):
        event = event_to(mailbox, stays).event
        assert str(event["organizer"]) == f"mailto:{w.ana.email}", "the first member who stays"
        assert attendees(event) == {w.ana.email, w.ben.email, w.mentor.email}
        assert int(event["sequence"]) == booked.sequence + 1
    after = the_meeting(app, w.circle_id)
    assert after.state == "booked" and after.organizer_membership_id == w.program.memberships[w.ana.id]


def test_leaving_with_nothing_booked_sends_the_news_without_a_calendar(app, circle, mailbox):
    w = circle
    assert post_form(as_user(app, w.ana), f"{page(w)}/leave", {}, page=page(w)).status_code == 303
    news = [m for m in mailbox if m.to[0] == w.mentee.email]
    assert len(news) == 1 and not news[0].attachments
    assert "has left the circle" in news[0].body and "calendar" not in news[0].body


def test_when_one_of_a_peer_pair_leaves_the_pair_ends_and_its_meeting_is_called_off(app, circle, mailbox):
    w = circle
    ids = w.program.memberships
    w.circle_id = make_circle(app, w.program.id, [ids[w.mentee.id], ids[w.ana.id]], name="", kind="pair")
    booked = book(app, w, mailbox)
    assert post_form(as_user(app, w.mentee), f"{page(w)}/leave", {}, page=page(w)).status_code == 303

    assert str(event_to(mailbox, w.mentee).event["status"]) == "CANCELLED"  # the leaver's, as in a circle
    news = event_to(mailbox, w.ana)
    assert "With only you left, the circle has ended" in news.body
    assert "The attached cancellation removes them from your calendar." in news.body
    assert str(news.event["status"]) == "CANCELLED" and str(news.event["uid"]) == booked.uid
    assert len([m for m in mailbox if m.to[0] == w.ana.email]) == 1, "one email says it all"
    assert the_meeting(app, w.circle_id).state == "cancelled"
    with app.app_context():
        assert db.session.get(Circle, w.circle_id).ended_at is not None
    html = as_user(app, w.ana).get(page(w)).get_data(as_text=True)
    assert "Leave the circle" not in html and "This circle has ended" in html


def book(app, w, mailbox):
    """The mentee proposes a time, Ana books it; five minutes later, with the mailbox empty."""
    booked_by_ana(app, w)
    booked = the_meeting(app, w.circle_id)
    assert booked.state == "booked"
    mailbox.clear()
    clock.advance(minutes=5)
    return booked


def event_to(mailbox, user):
    """The one email with a calendar to `user`, its event read back as `.event`."""
    [mail] = [m for m in mailbox if m.to[0] == user.email and m.attachments]
    [attachment] = mail.attachments
    [mail.event] = Calendar.from_ical(attachment.get_payload(decode=True)).walk("VEVENT")
    return mail


def attendees(event) -> set[str]:
    found = event.get("attendee")
    return {str(a).removeprefix("mailto:") for a in (found if isinstance(found, list) else [found])}
