"""Attacks on the latest features: declining times, leaving a circle with meetings ahead, a
coordinator's hide email, flashes swapped out of band, the groups CSV."""
import re
from datetime import datetime

import pytest
from icalendar import Calendar

from mentormatch.core import clock
from mentormatch.extensions import db
from mentormatch.models import Meeting, MeetingSlot, OutboxMessage, User
from mentormatch.services import ServiceError, meetings
from tests.conftest import post_form
from tests.web.test_asks import client_of, new_answer, new_ask, post, q  # noqa: F401 (fixture)
from tests.web.test_circles import HX, THU, as_user, booked_by_ana, circle, page, pick, propose, slot_ids, the_meeting  # noqa: F401
from tests.web.test_lifecycle_data import mailbox  # noqa: F401 (fixture)


def _calendar_mail(mailbox, email):
    return [m for m in mailbox if m.attachments and m.to[0] == email]


def test_a_leaver_with_new_times_pending_on_a_booked_meeting_gets_it_off_their_calendar(app, circle, mailbox):
    """Booked, then someone proposes other times (a reschedule, not yet picked): the meeting is still
    in everyone's calendar at the booked time, so a leaver must get the cancellation too."""
    w = circle
    booked_by_ana(app, w)
    propose(as_user(app, w.ben), w, [(THU, "18:00")])  # a reschedule: state proposed, booked_at kept
    pending = the_meeting(app, w.circle_id)
    assert pending.state == "proposed" and pending.booked_at is not None
    mailbox.clear()
    clock.advance(minutes=5)
    assert post_form(as_user(app, w.ana), f"{page(w)}/leave", {}, page=page(w)).status_code == 303
    told = _calendar_mail(mailbox, w.ana.email)
    assert len(told) == 1, "the booked time stays in the leaver's calendar"
    [event] = Calendar.from_ical(told[0].attachments[0].get_payload(decode=True)).walk("VEVENT")
    assert str(event["uid"]) == pending.uid and str(event["status"]) == "CANCELLED"
    assert int(event["sequence"]) > pending.sequence
    for stays in (w.mentee, w.ben, w.mentor):  # theirs is updated without her, still at the booked time
        [update] = _calendar_mail(mailbox, stays.email)
        [event] = Calendar.from_ical(update.attachments[0].get_payload(decode=True)).walk("VEVENT")
        assert str(event["status"]) == "CONFIRMED" and w.ana.email not in str(event.get("attendee"))


def test_a_leaver_who_proposed_new_times_for_a_booked_meeting_gets_it_off_their_calendar(app, circle, mailbox):
    w = circle
    booked_by_ana(app, w)
    booked = the_meeting(app, w.circle_id)
    propose(as_user(app, w.ana), w, [(THU, "18:00")])  # the leaver's own reschedule
    mailbox.clear()
    clock.advance(minutes=5)
    assert post_form(as_user(app, w.ana), f"{page(w)}/leave", {}, page=page(w)).status_code == 303
    assert len(_calendar_mail(mailbox, w.ana.email)) == 1
    # Her new times go with her: the others keep the booking as it was, with nothing left to pick.
    after = the_meeting(app, w.circle_id)
    assert after.state == "booked" and after.starts_at == booked.starts_at
    assert slot_ids(app, after.id) == []
    assert "Pick this time" not in as_user(app, w.ben).get(page(w)).get_data(as_text=True)


def test_a_stale_decline_does_not_cancel_a_meeting_another_member_just_booked(app, circle, mailbox):
    """Ana's page still shows the proposed times with 'Decline these times'; Ben books one meanwhile.
    Ana's decline must not call off the meeting everyone now has in their calendar."""
    w = circle
    propose(as_user(app, w.mentee), w, [(THU, "16:00")])
    meeting = the_meeting(app, w.circle_id)
    ana = as_user(app, w.ana)
    stale = ana.get(page(w)).get_data(as_text=True)
    assert f"/meetings/{meeting.id}/cancel" in stale and "Decline these times" in stale
    pick(as_user(app, w.ben), w, meeting.id, slot_ids(app, meeting.id)[0])
    assert the_meeting(app, w.circle_id).state == "booked"
    mailbox.clear()
    # The form as Ana's stale page has it (its hidden fields and token), posted after the booking.
    form = re.search(rf'<form[^>]*action="[^"]*/meetings/{meeting.id}/cancel"[^>]*>(.*?)</form>', stale, re.S).group(1)
    fields = dict(re.findall(r'<input type="hidden" name="([^"]+)" value="([^"]*)"', form))
    r = ana.post(f"{page(w)}/meetings/{meeting.id}/cancel", data=fields)
    assert the_meeting(app, w.circle_id).state == "booked", r.status_code
    assert "This meeting has just changed: reload the page to see it." in r.get_data(as_text=True)
    assert [m for m in mailbox if m.attachments] == []


def test_a_hide_sent_twice_tells_its_author_once(app, q):
    ask_id = new_ask(app, q)
    answer_id = new_answer(app, ask_id, q.petra_mid, body="A rude answer")
    cora = client_of(app, q.w.coordinator)
    for _ in range(2):  # a double click, or two coordinators at once
        post(cora, f"/asks/answers/{answer_id}/hide", {f"a{answer_id}-reason": "Please keep it kind"})
        post(cora, f"/asks/{ask_id}/hide", {"reason": "Not a question for this program"})
    with app.app_context():
        subjects = db.session.scalars(db.select(OutboxMessage.subject).where(
            OutboxMessage.to.in_([q.petra.email, q.w.mentee.email])).order_by(OutboxMessage.id)).all()
    assert sorted(subjects) == ["A coordinator hid your answer", "A coordinator hid your question"]


def test_one_who_left_sees_no_meeting_arranged_after_and_cannot_download_its_invitation(app, circle, mailbox):
    """A leaver reads what was written until they left, and is out of the meetings: the time, the video
    link and the invitation (every member's address) of a meeting arranged after are not theirs to see."""
    w = circle
    ana = as_user(app, w.ana)
    clock.advance(minutes=5)
    assert post_form(ana, f"{page(w)}/leave", {}, page=page(w)).status_code == 303
    clock.advance(minutes=5)
    propose(as_user(app, w.mentee), w, [(THU, "16:00")], video="https://meet.example.org/after-ana-left")
    meeting = the_meeting(app, w.circle_id)
    pick(as_user(app, w.ben), w, meeting.id, slot_ids(app, meeting.id)[0])
    html = ana.get(page(w)).get_data(as_text=True)
    assert "after-ana-left" not in html and f"/meetings/{meeting.id}/" not in html
    assert ana.get(f"{page(w)}/meetings/{meeting.id}/invite.ics").status_code == 404
    assert as_user(app, w.coordinator).get(f"{page(w)}/meetings/{meeting.id}/invite.ics").status_code == 200
    assert as_user(app, w.mentee).get(f"{page(w)}/meetings/{meeting.id}/invite.ics").status_code == 200


def test_times_booked_while_a_cancel_runs_are_cancelled_in_the_calendars_or_not_at_all(app, circle, mailbox):
    """The cancel read the meeting unbooked; a pick booked it (and sent the invitations) before the
    cancel's UPDATE. Cancelling it then without a cancellation left it in everyone's calendar."""
    w = circle
    propose(as_user(app, w.mentee), w, [(THU, "16:00")])
    meeting = the_meeting(app, w.circle_id)
    [slot] = slot_ids(app, meeting.id)
    with app.app_context():
        stale = db.session.get(Meeting, meeting.id)
        assert stale.booked_at is None
        with app.test_request_context():
            starts_at = db.session.get(MeetingSlot, slot).starts_at
            with db.engine.begin() as other:  # the pick, as another request commits it
                other.execute(db.update(Meeting).where(Meeting.id == meeting.id).values(
                    state="booked", booked_at=clock.now(), starts_at=starts_at))
            with pytest.raises(ServiceError):
                meetings.cancel(stale, db.session.get(User, w.ben.id))
    assert the_meeting(app, w.circle_id).state == "booked"


def test_a_met_meeting_is_done_once_the_only_member_yet_to_answer_leaves(app, circle):
    """Everyone still in the circle answered "did you meet?"; the one who had not leaves. The meeting is
    done (it counts among the meetings held on the coordinators' list), not booked for ever."""
    w = circle
    propose(as_user(app, w.mentee), w, [(THU, "16:00")])
    meeting = the_meeting(app, w.circle_id)
    pick(as_user(app, w.mentor), w, meeting.id, slot_ids(app, meeting.id)[0])
    clock.set_now(datetime(2026, 3, 26, 15, 31))
    for person in (w.mentee, w.ben, w.mentor):
        post_form(as_user(app, person), f"{page(w)}/meetings/{meeting.id}/met", {"answer": "yes"}, page=page(w))
    assert the_meeting(app, w.circle_id).state == "booked"
    assert post_form(as_user(app, w.ana), f"{page(w)}/leave", {}, page=page(w)).status_code == 303
    assert the_meeting(app, w.circle_id).state == "done"


def test_times_proposed_with_htmx_by_one_who_left_or_in_a_circle_just_ended_get_the_page_not_a_500(app, circle):
    w = circle
    data = {"duration": "30", "video_link": "", "slot1_date": THU, "slot1_time": "16:00"}
    ana = as_user(app, w.ana)
    clock.advance(minutes=5)
    assert post_form(ana, f"{page(w)}/leave", {}, page=page(w)).status_code == 303
    r = post_form(ana, f"{page(w)}/meetings/propose", data, page=page(w), headers=HX)
    assert r.status_code == 204 and r.headers["HX-Redirect"] == page(w)
    assert "Only the two people meeting can propose times." in ana.get(page(w)).get_data(as_text=True)
    mentee = as_user(app, w.mentee)
    stale = mentee.get(page(w))  # the page open while the coordinator ends the circle
    assert post_form(as_user(app, w.coordinator), f"{page(w)}/end", {}, page=page(w)).status_code == 303
    mentee.get(page(w))  # the ending's flash read
    assert stale.status_code == 200
    r = post_form(mentee, f"{page(w)}/meetings/propose", data, page=page(w), headers=HX)
    assert r.status_code == 204 and r.headers["HX-Redirect"] == page(w)
    assert "This circle has ended" in mentee.get(page(w)).get_data(as_text=True)
    plain = post_form(mentee, f"{page(w)}/meetings/propose", data, page=page(w))
    assert plain.status_code == 422 and "This circle has ended" in plain.get_data(as_text=True)
