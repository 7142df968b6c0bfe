"""Meetings (issue 13, item 3): slots in both people's zones, the invitation over real SMTP, a
reschedule that keeps the UID, cancellation, "did you meet?" feeding health and the directory,
validation, and a slot picked twice at once booking once."""
import re
import threading
from datetime import date, datetime, time, timedelta

import pytest
from icalendar import Calendar

from mentormatch.core import clock
from mentormatch.extensions import db
from mentormatch.models import Meeting, MeetingSlot, OutboxMessage, Pairing, User
from mentormatch.services import ServiceError, meetings, reminders
from tests.conftest import csrf_from, login, post_form
from tests.smtp import SMTP_CONFIG
from tests.web.test_lifecycle_data import add_goal, add_pairing, add_profile, mailbox, mid  # noqa: F401

# Between the two daylight-saving changes of 2026: New York moved on 8 March, Berlin moves on 29 March.
NOW = datetime(2026, 3, 20, 12, 0)  # a Friday, UTC
THU = date(2026, 3, 26)   # Berlin still CET (UTC+1), New York EDT (UTC-4): 5 hours apart
MON = date(2026, 3, 30)   # Berlin now CEST (UTC+2): 6 hours apart
VIDEO = "https://meet.example.org/mira-milo"


@pytest.fixture
def pair(app, world):
    """An active round pairing: the mentee in Berlin, the mentor in New York."""
    clock.set_now(NOW)
    add_goal(app, mid(world, world.mentee), timezone="Europe/Berlin")
    add_profile(app, mid(world, world.mentor), timezone="America/New_York")
    world.pairing_id = add_pairing(app, world.program.id, mid(world, world.mentee), mid(world, world.mentor),
                                   state="active", answered_at=NOW - timedelta(days=5))
    yield world
    clock.set_now(None)


def as_user(app, user):
    client = app.test_client()
    login(client, user)
    return client


def pair_page(w, role: str) -> str:
    if role == "mentee":
        return f"/mentee/pairings/{w.pairing_id}"
    return f"/mentor/programs/{w.program.id}/mentees/{mid(w, w.mentee)}"


def propose(client, w, role, slots, duration=30, video="", **kwargs):
    data = {"duration": str(duration), "video_link": video}
    for n, (day, at) in enumerate(slots, start=1):
        data[f"slot{n}_date"], data[f"slot{n}_time"] = day, at
    return post_form(client, f"/meetings/pairings/{w.pairing_id}/propose", data, page=pair_page(w, role), **kwargs)


def the_meeting(app, pairing_id) -> Meeting:
    with app.app_context():
        meeting = db.session.scalar(db.select(Meeting).where(Meeting.pairing_id == pairing_id)
                                    .order_by(Meeting.id.desc()))
        db.session.expunge(meeting)
        return meeting


def slot_ids(app, meeting_id) -> list[int]:
    with app.app_context():
        return list(db.session.scalars(db.select(MeetingSlot.id).where(MeetingSlot.meeting_id == meeting_id)
                                       .order_by(MeetingSlot.starts_at)))


def pick(client, w, role, meeting_id, slot_id):
    return post_form(client, f"/meetings/{meeting_id}/pick", {"slot_id": str(slot_id)}, page=pair_page(w, role))


def invitation(message) -> tuple:
    [attachment] = [a for a in message["attachments"] if a["content_type"] == "text/calendar"]
    calendar = Calendar.from_ical(attachment["content"])
    [event] = calendar.walk("VEVENT")
    return attachment, calendar, event


def attendees(event) -> set[str]:
    value = event.get("ATTENDEE")
    return {str(a).removeprefix("mailto:") for a in (value if isinstance(value, list) else [value])}


# -- the journey the issue asks for ------------------------------------------------------------

@pytest.mark.parametrize("app", [SMTP_CONFIG], indirect=True)
def test_invitation_over_smtp_then_reschedule_then_both_met_counts_the_pair_in_health(app, pair, smtp_server):
    w = pair
    mentee, mentor = as_user(app, w.mentee), as_user(app, w.mentor)
    response = propose(mentee, w, "mentee", [(THU, "16:00"), (MON, "16:00"), (MON, "17:30")], video=VIDEO)
    assert response.status_code == 303
    [proposal] = smtp_server.wait_for(1)
    assert proposal["to"] == [w.mentor.email] and "Mira Mentee proposed times" in proposal["subject"]
    assert "Thu 26 Mar 2026, 11:00–11:30 EDT" in proposal["body"], "the mentor reads the times in New York time"
    meeting = the_meeting(app, w.pairing_id)
    first, second, _third = slot_ids(app, meeting.id)

    smtp_server.clear()
    assert pick(mentor, w, "mentor", meeting.id, first).status_code == 303
    messages = smtp_server.wait_for(2)
    assert sorted(m["to"][0] for m in messages) == sorted([w.mentee.email, w.mentor.email])
    uid = None
    for message in messages:
        attachment, calendar, event = invitation(message)
        assert attachment["method"] == "REQUEST" and str(calendar["METHOD"]) == "REQUEST"
        assert event.decoded("DTSTART") == datetime(2026, 3, 26, 15, 0, tzinfo=event.decoded("DTSTART").tzinfo)
        assert event.decoded("DTSTART").utcoffset() == timedelta(0), "the start is in UTC"
        assert event.decoded("DTEND") - event.decoded("DTSTART") == timedelta(minutes=30)
        assert attendees(event) == {w.mentee.email, w.mentor.email}
        assert str(event["ORGANIZER"]) == f"mailto:{w.mentee.email}"
        assert str(event["LOCATION"]) == VIDEO and str(event["URL"]) == VIDEO
        assert int(event["SEQUENCE"]) == 0
        assert uid is None or str(event["UID"]) == uid
        uid = str(event["UID"])
    assert uid.endswith("@localhost")
    by_person = {m["to"][0]: m for m in messages}
    assert "Thu 26 Mar 2026, 16:00–16:30 CET" in by_person[w.mentee.email]["body"]
    assert "Thu 26 Mar 2026, 11:00–11:30 EDT" in by_person[w.mentor.email]["body"]

    # Rescheduled: the mentor proposes the Monday, the mentee picks it; same UID, higher SEQUENCE.
    smtp_server.clear()
    assert propose(mentor, w, "mentor", [(MON, "10:00")]).status_code == 303
    meeting = the_meeting(app, w.pairing_id)
    assert meeting.state == "proposed" and meeting.starts_at == datetime(2026, 3, 26, 15, 0), "still booked meanwhile"
    [new_slot] = slot_ids(app, meeting.id)
    assert pick(mentee, w, "mentee", meeting.id, new_slot).status_code == 303
    updates = [m for m in smtp_server.wait_for(3) if m["attachments"]]
    assert len(updates) == 2
    for message in updates:
        _attachment, _calendar, event = invitation(message)
        assert str(event["UID"]) == uid and int(event["SEQUENCE"]) == 1
        assert event.decoded("DTSTART").replace(tzinfo=None) == datetime(2026, 3, 30, 14, 0)
        assert message["subject"].startswith("Meeting moved")

    # After the meeting both answer "met"; the health page counts the pair.
    clock.set_now(datetime(2026, 3, 30, 15, 0))
    coordinator = as_user(app, w.coordinator)
    html = coordinator.get(f"/coordinator/programs/{w.program.id}/health").get_data(as_text=True)
    assert re.search(r'id="fig-never-met"><strong>1</strong> of 1', html)
    for client, role in ((mentee, "mentee"), (mentor, "mentor")):
        page = client.get(pair_page(w, role)).get_data(as_text=True)
        assert "Did you meet" in page
        response = post_form(client, f"/meetings/{meeting.id}/met", {"answer": "yes", "note": "Great talk"},
                             page=pair_page(w, role))
        assert response.status_code == 303
    assert the_meeting(app, w.pairing_id).state == "done"
    html = coordinator.get(f"/coordinator/programs/{w.program.id}/health").get_data(as_text=True)
    assert re.search(r'id="fig-met-recently"><strong>1</strong> pair met', html)
    assert re.search(r'id="fig-never-met"><strong>0</strong> of 1', html)


# -- time zones ----------------------------------------------------------------------------------

def test_each_slot_shows_in_both_zones_across_a_daylight_saving_change(app, pair):
    w = pair
    mentee, mentor = as_user(app, w.mentee), as_user(app, w.mentor)
    assert propose(mentee, w, "mentee", [(THU, "16:00"), (MON, "16:00"), (MON, "20:00")]).status_code == 303
    html = mentor.get(pair_page(w, "mentor")).get_data(as_text=True)
    # Berlin 16:00 is 11:00 in New York before Berlin's change and 10:00 after it.
    assert "Thu 26 Mar 2026, 11:00–11:30 EDT" in html and "Thu 26 Mar 2026, 16:00–16:30 CET" in html
    assert "Mon 30 Mar 2026, 10:00–10:30 EDT" in html and "Mon 30 Mar 2026, 16:00–16:30 CEST" in html
    # 20:00 in Berlin is after Mira's working hours, 14:00 in New York inside Milo's.
    slots = re.findall(r'<li class="slot">(.*?)</li>', html, re.S)
    assert len(slots) == 3
    assert "outside Mira’s working hours" in slots[2] and "outside your working hours" not in slots[2]
    assert "outside" not in slots[0]
    assert html.count("Pick this time") == 3
    own = mentee.get(pair_page(w, "mentee")).get_data(as_text=True)
    assert "Waiting for Milo" in own and "Pick this time" not in own
    assert "outside your working hours" in own


def test_a_wall_clock_time_the_clocks_skip_is_refused(app, pair):
    w = pair
    response = propose(as_user(app, w.mentee), w, "mentee", [(date(2026, 3, 29), "02:30")])
    assert response.status_code == 200
    assert "does not exist in your time zone" in response.get_data(as_text=True)


# -- validation ----------------------------------------------------------------------------------

@pytest.mark.parametrize(("slots", "duration", "video", "field", "message"), [
    ([(date(2026, 3, 19), "10:00")], 30, "", "slot1_time", "This time has passed"),
    ([(date(2026, 6, 30), "10:00")], 30, "", "slot1_date", "within the next 90 days"),
    ([(THU, "10:00"), (THU, "10:15")], 30, "", "slot2_time", "overlaps time 1"),
    ([(THU, "10:00"), (THU, "10:00")], 15, "", "slot2_time", "overlaps time 1"),
    ([(THU, "10:00")], 45, "", "duration", "15, 30 or 60"),
    ([(THU, "")], 30, "", "slot1_time", "both a date and a time"),
    ([], 30, "", "slot1_date", "at least one time"),
    ([(THU, "10:00")], 30, "javascript:alert(1)", "video_link", ""),
])
def test_bad_slots_are_refused_next_to_their_field(app, pair, slots, duration, video, field, message):
    w = pair
    response = propose(as_user(app, w.mentee), w, "mentee", slots, duration=duration, video=video)
    assert response.status_code == 200
    html = response.get_data(as_text=True)
    error = re.search(rf'<small id="{field}-error" class="error">([^<]*)</small>', html)
    assert error, f"no error next to {field}"
    assert message in error.group(1)
    with app.app_context():
        assert db.session.scalar(db.select(db.func.count()).select_from(Meeting)) == 0


def test_adjacent_slots_do_not_overlap_and_a_60_minute_meeting_may_be_proposed(app, pair):
    w = pair
    assert propose(as_user(app, w.mentee), w, "mentee", [(THU, "10:00"), (THU, "11:00")], duration=60).status_code == 303
    assert len(slot_ids(app, the_meeting(app, w.pairing_id).id)) == 2


def test_the_proposer_cannot_pick_their_own_slot_and_a_counter_proposal_passes_the_turn(app, pair):
    w = pair
    mentee, mentor = as_user(app, w.mentee), as_user(app, w.mentor)
    propose(mentee, w, "mentee", [(THU, "16:00")])
    meeting = the_meeting(app, w.pairing_id)
    [slot] = slot_ids(app, meeting.id)
    response = pick(mentee, w, "mentee", meeting.id, slot)
    assert response.status_code == 200 and "You proposed these times" in response.get_data(as_text=True)
    assert propose(mentor, w, "mentor", [(MON, "10:00"), (MON, "11:00")]).status_code == 303
    meeting = the_meeting(app, w.pairing_id)
    assert meeting.state == "proposed" and len(slot_ids(app, meeting.id)) == 2
    assert "Pick this time" in mentee.get(pair_page(w, "mentee")).get_data(as_text=True)
    # Only a slot of this meeting's current proposal can be picked.
    response = pick(mentee, w, "mentee", meeting.id, max(slot_ids(app, meeting.id)) + 100)
    assert response.status_code == 200 and "Pick one of the proposed times" in response.get_data(as_text=True)


def test_htmx_gets_the_panel_alone(app, pair):
    w = pair
    mentee = as_user(app, w.mentee)
    html = mentee.get(pair_page(w, "mentee")).get_data(as_text=True)
    token = csrf_from(html)
    response = mentee.post(f"/meetings/pairings/{w.pairing_id}/propose", headers={"HX-Request": "true"},
                           data={"csrf_token": token, "duration": "30", "slot1_date": THU.isoformat(),
                                 "slot1_time": "16:00"})
    body = response.get_data(as_text=True)
    assert response.status_code == 200 and body.lstrip().startswith("<section id=\"meetings\"")
    assert "Times sent to Milo Mentor" in body and "<html" not in body


# -- cancelling and the download -----------------------------------------------------------------

@pytest.mark.parametrize("app", [SMTP_CONFIG], indirect=True)
def test_cancelling_a_booked_meeting_sends_a_cancellation_with_the_same_uid(app, pair, smtp_server):
    w = pair
    mentee, mentor = as_user(app, w.mentee), as_user(app, w.mentor)
    propose(mentee, w, "mentee", [(THU, "16:00")])
    meeting = the_meeting(app, w.pairing_id)
    pick(mentor, w, "mentor", meeting.id, slot_ids(app, meeting.id)[0])
    smtp_server.wait_for(3)
    smtp_server.clear()
    assert post_form(mentor, f"/meetings/{meeting.id}/cancel", {}, page=pair_page(w, "mentor")).status_code == 303
    messages = smtp_server.wait_for(2)
    assert len(messages) == 2
    for message in messages:
        attachment, calendar, event = invitation(message)
        assert attachment["method"] == "CANCEL" and str(calendar["METHOD"]) == "CANCEL"
        assert str(event["UID"]) == meeting.uid and int(event["SEQUENCE"]) == 1
        assert str(event["STATUS"]) == "CANCELLED"
    assert the_meeting(app, w.pairing_id).state == "cancelled"
    # The pair can start over with a new meeting (a new UID).
    assert propose(mentee, w, "mentee", [(MON, "16:00")]).status_code == 303
    assert the_meeting(app, w.pairing_id).uid != meeting.uid


def test_withdrawn_times_send_no_calendar_mail(app, pair):
    w = pair
    mentee = as_user(app, w.mentee)
    propose(mentee, w, "mentee", [(THU, "16:00")])
    meeting = the_meeting(app, w.pairing_id)
    assert post_form(mentee, f"/meetings/{meeting.id}/cancel", {}, page=pair_page(w, "mentee")).status_code == 303
    with app.app_context():
        assert db.session.scalar(db.select(db.func.count()).select_from(OutboxMessage)
                                 .where(OutboxMessage.attachments.is_not(None))) == 0


def test_times_declined_by_the_other_tell_the_proposer_and_withdrawn_ones_tell_no_one(app, pair, mailbox):
    w = pair
    mentee, mentor = as_user(app, w.mentee), as_user(app, w.mentor)
    propose(mentee, w, "mentee", [(THU, "16:00")])
    assert "Decline these times" in mentor.get(pair_page(w, "mentor")).get_data(as_text=True)
    assert "Withdraw these times" in mentee.get(pair_page(w, "mentee")).get_data(as_text=True)
    mailbox.clear()
    meeting = the_meeting(app, w.pairing_id)
    assert post_form(mentor, f"/meetings/{meeting.id}/cancel", {}, page=pair_page(w, "mentor")).status_code == 303
    assert [m.to[0] for m in mailbox] == [w.mentee.email]
    assert mailbox[0].subject == f"{w.mentor.name} cannot make the times you proposed"
    assert "propose others" in mailbox[0].body and f"/meetings/{meeting.id}" in mailbox[0].body
    mailbox.clear()
    propose(mentee, w, "mentee", [(THU, "17:00")])
    mailbox.clear()
    assert post_form(mentee, f"/meetings/{the_meeting(app, w.pairing_id).id}/cancel", {},
                     page=pair_page(w, "mentee")).status_code == 303
    assert mailbox == [], "her own times withdrawn: nobody to tell"


def test_new_times_for_a_booked_meeting_can_be_turned_down_and_the_booking_stands(app, pair, mailbox):
    w = pair
    mentee, mentor = as_user(app, w.mentee), as_user(app, w.mentor)
    propose(mentee, w, "mentee", [(THU, "16:00")])
    meeting = the_meeting(app, w.pairing_id)
    pick(mentor, w, "mentor", meeting.id, slot_ids(app, meeting.id)[0])
    booked = the_meeting(app, w.pairing_id)
    propose(mentee, w, "mentee", [(MON, "15:00")], duration=30)  # she would rather move it
    html = mentor.get(pair_page(w, "mentor")).get_data(as_text=True)
    assert "Keep the booked time" in html and "Cancel the meeting" in html
    mailbox.clear()
    assert post_form(mentor, f"/meetings/{meeting.id}/keep", {}, page=pair_page(w, "mentor")).status_code == 303

    after = the_meeting(app, w.pairing_id)
    assert (after.state, after.starts_at, after.sequence) == ("booked", booked.starts_at, booked.sequence)
    assert slot_ids(app, meeting.id) == []
    assert [m.to[0] for m in mailbox] == [w.mentee.email], "she hears of it; no calendar changes"
    assert not mailbox[0].attachments and mailbox[0].subject == f"{w.mentor.name} cannot make the times you proposed"
    assert "the meeting stays booked for Thu 26 Mar 2026, 16:00–16:30 CET (Europe/Berlin)" in mailbox[0].body
    page = mentor.get(pair_page(w, "mentor")).get_data(as_text=True)
    assert "Keep the booked time" not in page and "Booked" in page
    # Again, from the page left open: nothing is pending any more.
    again = post_form(mentor, f"/meetings/{meeting.id}/keep", {}, page=pair_page(w, "mentor"), follow_redirects=True)
    assert "This meeting has just changed" in again.get_data(as_text=True)
    assert the_meeting(app, w.pairing_id).state == "booked"


def test_a_booking_whose_time_passed_cannot_be_kept_only_new_times_picked(app, pair, mailbox):
    w = pair
    mentee, mentor = as_user(app, w.mentee), as_user(app, w.mentor)
    propose(mentee, w, "mentee", [(THU, "16:00")])
    meeting = the_meeting(app, w.pairing_id)
    pick(mentor, w, "mentor", meeting.id, slot_ids(app, meeting.id)[0])
    propose(mentee, w, "mentee", [(MON, "15:00")])
    clock.set_now(datetime(2026, 3, 27, 9, 0))  # the booked Thursday is over, the new times still open
    assert "Keep the booked time" not in mentor.get(pair_page(w, "mentor")).get_data(as_text=True)
    mailbox.clear()
    refused = post_form(mentor, f"/meetings/{meeting.id}/keep", {}, page=pair_page(w, "mentor"))
    assert "Its booked time has passed" in refused.get_data(as_text=True)
    assert the_meeting(app, w.pairing_id).state == "proposed" and len(slot_ids(app, meeting.id)) == 1
    assert mailbox == []


def test_keeping_times_never_booked_is_refused_and_changes_nothing(app, pair, mailbox):
    w = pair
    propose(as_user(app, w.mentee), w, "mentee", [(THU, "16:00")])
    meeting = the_meeting(app, w.pairing_id)
    mailbox.clear()
    post_form(as_user(app, w.mentor), f"/meetings/{meeting.id}/keep", {}, page=pair_page(w, "mentor"))
    assert the_meeting(app, w.pairing_id).state == "proposed" and len(slot_ids(app, meeting.id)) == 1
    assert mailbox == []


def test_the_add_to_calendar_download_holds_the_two_people_and_no_one_else(app, pair, make_user):
    w = pair
    mentee, mentor = as_user(app, w.mentee), as_user(app, w.mentor)
    propose(mentee, w, "mentee", [(THU, "16:00")], video=VIDEO)
    meeting = the_meeting(app, w.pairing_id)
    assert mentee.get(f"/meetings/{meeting.id}/invite.ics").status_code == 200  # nothing booked yet: the page
    pick(mentor, w, "mentor", meeting.id, slot_ids(app, meeting.id)[0])
    assert f"/meetings/{meeting.id}/invite.ics" in mentee.get(pair_page(w, "mentee")).get_data(as_text=True)
    response = mentee.get(f"/meetings/{meeting.id}/invite.ics")
    assert response.status_code == 200 and response.mimetype == "text/calendar"
    assert "attachment" in response.headers["Content-Disposition"]
    text = response.get_data(as_text=True)
    [event] = Calendar.from_ical(text).walk("VEVENT")
    assert str(event["UID"]) == meeting.uid
    assert attendees(event) == {w.mentee.email, w.mentor.email}
    assert f"http://localhost/meetings/{meeting.id}" in str(event["DESCRIPTION"])
    for outsider in (w.coordinator, w.other_coordinator, w.other_mentor, w.other_mentee):
        assert outsider.email not in text and outsider.name not in text
    assert "Great talk" not in text and "Ship my first feature" not in text


# -- did you meet? -------------------------------------------------------------------------------

def test_did_you_meet_is_asked_once_after_the_meeting_and_answered_once(app, pair, mailbox):
    w = pair
    propose(as_user(app, w.mentee), w, "mentee", [(THU, "16:00")])
    meeting = the_meeting(app, w.pairing_id)
    mentor = as_user(app, w.mentor)
    pick(mentor, w, "mentor", meeting.id, slot_ids(app, meeting.id)[0])
    too_early = post_form(mentor, f"/meetings/{meeting.id}/met", {"answer": "yes"}, page=pair_page(w, "mentor"))
    assert "once the meeting time has passed" in too_early.get_data(as_text=True)
    with app.app_context():
        assert reminders.run().meetings_asked == []
    mailbox.clear()
    clock.set_now(datetime(2026, 3, 26, 15, 31))
    with app.app_context():
        assert reminders.run().meetings_asked == [f"meeting {meeting.id}"]
        assert reminders.run().meetings_asked == []
    asked = [m for m in mailbox if m.subject.startswith("Did you meet")]
    assert sorted(m.to[0] for m in asked) == sorted([w.mentee.email, w.mentor.email])
    assert f"http://localhost/meetings/{meeting.id}" in asked[0].body
    assert post_form(mentor, f"/meetings/{meeting.id}/met", {"answer": "moved", "note": "Moved to Friday"},
                     page=pair_page(w, "mentor")).status_code == 303
    again = post_form(mentor, f"/meetings/{meeting.id}/met", {"answer": "yes"}, page=pair_page(w, "mentor"))
    assert "already answered" in again.get_data(as_text=True)
    bad = post_form(as_user(app, w.mentee), f"/meetings/{meeting.id}/met", {"answer": "maybe"}, page=pair_page(w, "mentee"))
    assert bad.status_code == 200 and "Not a valid choice" in bad.get_data(as_text=True)
    stored = the_meeting(app, w.pairing_id)
    assert (stored.mentor_met, stored.mentor_met_note, stored.mentee_met) == ("moved", "Moved to Friday", None)


def test_the_directory_says_how_many_mentees_a_mentor_met(app, pair):
    w = pair
    propose(as_user(app, w.mentee), w, "mentee", [(THU, "16:00")])
    meeting = the_meeting(app, w.pairing_id)
    pick(as_user(app, w.mentor), w, "mentor", meeting.id, slot_ids(app, meeting.id)[0])
    mentee = as_user(app, w.mentee)
    html = mentee.get(f"/requests/programs/{w.program.id}/mentors").get_data(as_text=True)
    assert "<dt>Met</dt>" not in html
    clock.set_now(datetime(2026, 3, 27, 9, 0))
    post_form(mentee, f"/meetings/{meeting.id}/met", {"answer": "yes"}, page=pair_page(w, "mentee"))
    html = mentee.get(f"/requests/programs/{w.program.id}/mentors").get_data(as_text=True)
    assert "<dt>Met</dt><dd>1 mentee</dd>" in html
    with app.app_context():
        assert meetings.mentees_met([mid(w, w.mentor)]) == {mid(w, w.mentor): 1}


# -- a slot picked twice at once -----------------------------------------------------------------

def test_a_slot_picked_twice_at_once_books_once(app, pair):
    """Two picks racing (both slots, two sessions): one books, one is refused, one invitation pair.
    On PostgreSQL (TEST_DATABASE_URL) this is real row-level concurrency; SQLite serializes writers."""
    w = pair
    propose(as_user(app, w.mentee), w, "mentee", [(THU, "16:00"), (MON, "16:00")])
    meeting = the_meeting(app, w.pairing_id)
    slots = slot_ids(app, meeting.id)
    barrier = threading.Barrier(len(slots) * 2)
    outcomes = []

    def pick_now(slot_id):
        with app.app_context():
            row, user = db.session.get(Meeting, meeting.id), db.session.get(User, w.mentor.id)
            barrier.wait()
            try:
                meetings.pick(row, user, slot_id)
                outcomes.append("booked")
            except ServiceError:
                db.session.rollback()
                outcomes.append("refused")
            finally:
                db.session.remove()

    threads = [threading.Thread(target=pick_now, args=(s,)) for s in slots * 2]
    for t in threads:
        t.start()
    for t in threads:
        t.join(30)
    assert sorted(outcomes) == ["booked"] + ["refused"] * 3
    with app.app_context():
        assert db.session.get(Pairing, w.pairing_id).last_activity_at == NOW, "booking counts as time together"
        assert db.session.scalar(db.select(db.func.count()).select_from(OutboxMessage)
                                 .where(OutboxMessage.attachments.is_not(None))) == 2
        assert db.session.get(Meeting, meeting.id).sequence == 0


def test_two_first_proposals_at_once_open_one_meeting(app, pair):
    w = pair
    barrier = threading.Barrier(2)
    outcomes = []

    def propose_now(user_id, at):
        with app.app_context():
            item, user = db.session.get(Pairing, w.pairing_id), db.session.get(User, user_id)
            barrier.wait()
            try:
                meetings.propose(item, user, [(1, THU, at)], 30)
                outcomes.append("proposed")
            except ServiceError:
                db.session.rollback()
                outcomes.append("refused")
            finally:
                db.session.remove()

    threads = [threading.Thread(target=propose_now, args=(u.id, t)) for u, t in
               ((w.mentee, time(16, 0)), (w.mentor, time(10, 0)))]
    for t in threads:
        t.start()
    for t in threads:
        t.join(30)
    with app.app_context():
        live = db.session.scalar(db.select(db.func.count()).select_from(Meeting).where(Meeting.state == "proposed"))
    assert live == 1 and "proposed" in outcomes


@pytest.mark.parametrize("app", [{"MEETING_RATE_LIMIT": "2 per hour"}], indirect=True)
def test_proposals_are_rate_limited_per_person_so_they_cannot_flood_the_other_with_mail(app, pair):
    w = pair
    mentee, mentor = as_user(app, w.mentee), as_user(app, w.mentor)
    codes = [propose(mentee, w, "mentee", [(THU, f"1{n}:00")]).status_code for n in range(3)]
    assert codes == [303, 303, 429]
    refused = propose(mentee, w, "mentee", [(MON, "16:00")]).get_data(as_text=True)
    assert "wait an hour" in refused and 'value="2026-03-30"' in refused, "the times are kept"
    held = propose(mentee, w, "mentee", [(MON, "16:00")], headers={"HX-Request": "true"})
    assert held.status_code == 200 and "wait an hour" in held.get_data(as_text=True)
    with app.app_context():
        proposals = db.session.scalar(db.select(db.func.count()).select_from(OutboxMessage)
                                      .where(OutboxMessage.to == w.mentor.email))
    assert proposals == 2
    assert propose(mentor, w, "mentor", [(MON, "17:00")]).status_code == 303, "the other person still may"
