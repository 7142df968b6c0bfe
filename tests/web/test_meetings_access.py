"""Who may see a meeting's slots and invitation: the two people (and, reading along, the program's
coordinator); a stranger, the other program's coordinator and the mentee's other mentors get 404."""
import pytest

from mentormatch.core import events
from mentormatch.extensions import db
from mentormatch.models import Membership, MicroRequest
from tests.conftest import login, post_form
from tests.web.access.cases import request_case
from tests.web.access.meetings import CASES
from tests.web.test_lifecycle_data import add_pairing, add_profile, mid, send_request
from tests.web.test_meetings import MON, THU, as_user, pair, pair_page, pick, propose, slot_ids, the_meeting  # noqa: F401
from tests.web.test_threads_access import report


@pytest.fixture
def booked(app, pair, make_user):
    """A booked meeting, plus a second mentor of the same mentee (their own pairing)."""
    w = pair
    w.second_mentor = make_user("mentor", "Sam Second")
    with app.app_context():
        membership = Membership(program_id=w.program.id, user_id=w.second_mentor.id)
        db.session.add(membership)
        db.session.commit()
        second_mid = membership.id
    add_profile(app, second_mid, timezone="Asia/Tokyo")
    w.second_pairing_id = add_pairing(app, w.program.id, mid(w, w.mentee), second_mid, state="active")
    propose(as_user(app, w.mentee), w, "mentee", [(THU, "16:00"), (MON, "16:00")])
    meeting = the_meeting(app, w.pairing_id)
    w.meeting_id = meeting.id
    w.slots = slot_ids(app, meeting.id)
    return w


@pytest.mark.parametrize("endpoint", sorted(CASES))
def test_a_stranger_gets_404_on_a_real_meeting(endpoint, client, booked):
    case = CASES[endpoint]
    login(client, case.stranger(booked))
    assert request_case(client, case, booked).status_code == 404


@pytest.mark.parametrize("endpoint", sorted(CASES))
def test_the_mentees_other_mentor_gets_404(endpoint, client, booked):
    login(client, booked.second_mentor)
    assert request_case(client, CASES[endpoint], booked).status_code == 404


@pytest.mark.parametrize("endpoint", ["meetings.show", "meetings.invitation"])
def test_the_other_programs_coordinator_gets_404(endpoint, client, booked):
    login(client, booked.other_coordinator)
    assert request_case(client, CASES[endpoint], booked).status_code == 404


@pytest.mark.parametrize("endpoint", ["meetings.show", "meetings.invitation"])
def test_the_programs_coordinator_gets_404_without_a_report_like_on_the_thread(app, booked, endpoint):
    w = booked
    pick(as_user(app, w.mentor), w, "mentor", w.meeting_id, w.slots[0])  # booked: the invitation exists
    coordinator = as_user(app, w.coordinator)
    assert request_case(coordinator, CASES[endpoint], w).status_code == 404
    assert coordinator.get(f"/threads/pairing/{w.pairing_id}").status_code == 404  # the same rule
    report(app, w, pairing_id=w.pairing_id)
    assert request_case(coordinator, CASES[endpoint], w).status_code == 200
    assert coordinator.get(f"/threads/pairing/{w.pairing_id}").status_code == 200


def test_the_programs_coordinator_reads_along_after_a_report_but_cannot_act(app, booked):
    w = booked
    report(app, w, pairing_id=w.pairing_id)
    coordinator = as_user(app, w.coordinator)
    html = coordinator.get(f"/meetings/{w.meeting_id}").get_data(as_text=True)
    assert "Times proposed" in html and "Pick this time" not in html and "Send these times" not in html
    assert "Mira:</span> <strong>Thu 26 Mar 2026, 16:00–16:30 CET" in html and "You:" not in html
    assert request_case(coordinator, CASES["meetings.pick"], w).status_code == 403


def test_the_two_people_see_the_slots_and_the_invitation(app, booked):
    w = booked
    mentee, mentor = as_user(app, w.mentee), as_user(app, w.mentor)
    assert "Waiting for Milo" in mentee.get(f"/meetings/{w.meeting_id}").get_data(as_text=True)
    assert "Pick this time" in mentor.get(f"/meetings/{w.meeting_id}").get_data(as_text=True)
    assert pick(mentor, w, "mentor", w.meeting_id, w.slots[0]).status_code == 303
    for client in (mentee, mentor):
        assert client.get(f"/meetings/{w.meeting_id}/invite.ics").mimetype == "text/calendar"
    # The second mentor's own pairing page has its own, empty, meetings panel.
    second = as_user(app, w.second_mentor)
    html = second.get(f"/mentor/programs/{w.program.id}/mentees/{mid(w, w.mentee)}").get_data(as_text=True)
    assert "Propose up to three times" in html and "Booked" not in html


def test_a_micro_request_pair_meets_too_once_accepted(app, pair):
    w = pair
    request_id = send_request(app, w.mentee, w.program.id, mid(w, w.mentor))
    mentee = as_user(app, w.mentee)
    url = f"/meetings/requests/{request_id}/propose"
    data = {"duration": "15", "slot1_date": THU.isoformat(), "slot1_time": "16:00"}
    assert "Propose up to three times" not in mentee.get(f"/requests/{request_id}").get_data(as_text=True)
    refused = post_form(mentee, url, data, page=f"/requests/{request_id}")
    assert "once the mentor has said yes" in refused.get_data(as_text=True)
    with app.app_context():
        db.session.get(MicroRequest, request_id).state = "accepted"
        db.session.commit()
    assert post_form(mentee, url, data, page=f"/requests/{request_id}").status_code == 303
    with app.app_context():
        last = events.events_of("request", request_id)[-1]
        assert (last.from_state, last.to_state, last.note) == ("accepted", "meeting", "new meeting times proposed")
    html = as_user(app, w.mentor).get(f"/requests/{request_id}").get_data(as_text=True)
    assert 'id="meetings"' in html and "Pick this time" in html and "11:00–11:15 EDT" in html
