"""Every ending calls the pair's meetings off (issue 13 item 3 with issue 14 item 1): a pairing ended
by the mentee, the mentor or a coordinator, "complete all" on a round, the inactive close, and a
micro-request finishing (marked done, a quick take, a follow-up) cancel the booked meetings still
ahead in both calendars (.ics METHOD:CANCEL, same UID, higher SEQUENCE, over real SMTP) and
withdraw open proposals; a meeting already over stays for "did you meet?"."""
from datetime import date, datetime, time, timedelta

import pytest
from icalendar import Calendar

from mentormatch.core import clock
from mentormatch.extensions import db
from mentormatch.models import Meeting, MicroRequest, Pairing, Round, User
from mentormatch.services import answers, lifecycle, meetings, micro_requests, threads
from tests.smtp import SMTP_CONFIG
from tests.web.test_lifecycle_data import add_goal, add_pairing, add_profile, mid, send_request

NOW = datetime(2026, 3, 20, 12, 0)
THU = date(2026, 3, 26)
SMTP = pytest.mark.parametrize("app", [SMTP_CONFIG], indirect=True)


def _user(user_id: int) -> User:
    return db.session.get(User, user_id)


def _book(app, model, item_id, proposer, picker, day=THU) -> int:
    """`proposer` offers one slot on `day` at 16:00 their time, `picker` picks it: a booked meeting."""
    with app.app_context():
        item = db.session.get(model, item_id)
        meeting = meetings.propose(item, _user(proposer.id), [(1, day, time(16, 0))], 30,
                                   "https://meet.example.org/room")
        meetings.pick(meeting, _user(picker.id), meeting.slots[0].id)
        return meeting.id


def _propose(app, model, item_id, proposer) -> int:
    with app.app_context():
        meeting = meetings.propose(db.session.get(model, item_id), _user(proposer.id), [(1, THU, time(16, 0))], 30)
        return meeting.id


def _meeting(app, meeting_id) -> Meeting:
    with app.app_context():
        meeting = db.session.get(Meeting, meeting_id)
        db.session.expunge(meeting)
        return meeting


def _assert_cancelled_in_both_calendars(smtp_server, meeting: Meeting, emails: set[str]) -> None:
    cancels = [m for m in smtp_server.wait_for(len(emails) + 2)
               if any(a["content_type"] == "text/calendar" for a in m["attachments"])]
    assert {m["to"][0] for m in cancels} == emails and len(cancels) == 2
    for message in cancels:
        [attachment] = [a for a in message["attachments"] if a["content_type"] == "text/calendar"]
        calendar = Calendar.from_ical(attachment["content"])
        [event] = calendar.walk("VEVENT")
        assert attachment["method"] == "CANCEL" and str(calendar["METHOD"]) == "CANCEL"
        assert str(event["UID"]) == meeting.uid
        assert int(event["SEQUENCE"]) == meeting.sequence + 1
        assert str(event["STATUS"]) == "CANCELLED"
        assert "called off" in message["body"]


@pytest.fixture
def pair(app, world):
    clock.set_now(NOW)
    add_goal(app, mid(world, world.mentee), timezone="Europe/Berlin")
    add_profile(app, mid(world, world.mentor), timezone="America/New_York", capacity_round=3)
    with app.app_context():
        round_ = Round(program_id=world.program.id, name="Spring", state="approved")
        db.session.add(round_)
        db.session.commit()
        world.round_id = round_.id
    world.pairing_id = add_pairing(app, world.program.id, mid(world, world.mentee), mid(world, world.mentor),
                                   state="active", round_id=world.round_id, answered_at=NOW - timedelta(days=5))
    yield world
    clock.set_now(None)


def _end_by(who):
    def end(app, w):
        with app.app_context():
            lifecycle.end(db.session.get(Pairing, w.pairing_id), _user(getattr(w, who).id), "ended_early",
                          "We both changed jobs.")
    return end


def _complete_all(app, w):
    with app.app_context():
        lifecycle.complete_round(db.session.get(Round, w.round_id), _user(w.coordinator.id))


def _close_inactive(app, w):
    with app.app_context():
        assert lifecycle.close_inactive(db.session.get(Pairing, w.pairing_id))


PAIRING_ENDINGS = {"mentee ends": _end_by("mentee"), "mentor ends": _end_by("mentor"),
                   "coordinator ends": _end_by("coordinator"), "complete all": _complete_all,
                   "inactive close": _close_inactive}


@SMTP
@pytest.mark.parametrize("ending", PAIRING_ENDINGS, ids=list(PAIRING_ENDINGS))
def test_every_pairing_ending_cancels_the_booked_meeting_in_both_calendars(app, pair, smtp_server, ending):
    w = pair
    meeting_id = _book(app, Pairing, w.pairing_id, w.mentee, w.mentor)
    booked = _meeting(app, meeting_id)
    assert booked.state == "booked"
    smtp_server.clear()
    PAIRING_ENDINGS[ending](app, w)
    _assert_cancelled_in_both_calendars(smtp_server, booked, {w.mentee.email, w.mentor.email})
    after = _meeting(app, meeting_id)
    assert after.state == "cancelled" and after.sequence == booked.sequence + 1


@pytest.mark.parametrize("ending", PAIRING_ENDINGS, ids=list(PAIRING_ENDINGS))
def test_every_pairing_ending_withdraws_open_proposals(app, pair, ending):
    w = pair
    meeting_id = _propose(app, Pairing, w.pairing_id, w.mentor)
    PAIRING_ENDINGS[ending](app, w)
    after = _meeting(app, meeting_id)
    assert after.state == "cancelled" and after.sequence == 0  # never in a calendar: nothing to cancel there
    with app.app_context():  # the panel offers nothing to pick any more
        assert meetings.panel(db.session.get(Pairing, w.pairing_id), _user(w.mentee.id)).live is None


def test_a_meeting_already_over_stays_for_did_you_meet(app, pair):
    w = pair
    meeting_id = _book(app, Pairing, w.pairing_id, w.mentee, w.mentor)
    clock.set_now(datetime(2026, 3, 27, 12, 0))  # the day after the meeting
    _end_by("mentor")(app, w)
    assert _meeting(app, meeting_id).state == "booked"
    with app.app_context():
        meetings.answer_met(db.session.get(Meeting, meeting_id), _user(w.mentee.id), "yes")
    assert _meeting(app, meeting_id).mentee_met == "yes"


@pytest.fixture
def accepted_request(app, world):
    clock.set_now(NOW)
    add_profile(app, mid(world, world.mentor))
    world.request_id = send_request(app, world.mentee, world.program.id, mid(world, world.mentor))
    with app.app_context():
        answers.accept(db.session.get(MicroRequest, world.request_id), _user(world.mentor.id))
    yield world
    clock.set_now(None)


def _mark_done(app, w):
    with app.app_context():
        micro_requests.mark_done(db.session.get(MicroRequest, w.request_id), _user(w.mentee.id))


def _quick_take(app, w):
    with app.app_context():
        threads.quick_take(db.session.get(MicroRequest, w.request_id), _user(w.mentor.id),
                           "Slide 3 loses the room: cut it to one chart.")


def _follow_up(app, w):
    with app.app_context():
        micro_requests.add_followup(_user(w.mentee.id), request=db.session.get(MicroRequest, w.request_id),
                                    kind="followup", body="I cut slide 3 and the talk went well.")


REQUEST_ENDINGS = {"marked done": _mark_done, "quick take": _quick_take, "follow-up": _follow_up}


@SMTP
@pytest.mark.parametrize("ending", REQUEST_ENDINGS, ids=list(REQUEST_ENDINGS))
def test_a_micro_request_finishing_cancels_its_booked_meeting(app, accepted_request, smtp_server, ending):
    w = accepted_request
    meeting_id = _book(app, MicroRequest, w.request_id, w.mentor, w.mentee)
    booked = _meeting(app, meeting_id)
    smtp_server.clear()
    REQUEST_ENDINGS[ending](app, w)
    _assert_cancelled_in_both_calendars(smtp_server, booked, {w.mentee.email, w.mentor.email})
    assert _meeting(app, meeting_id).state == "cancelled"


def test_releasing_an_unavailable_mentor_leaves_running_pairs_meetings_alone(app, pair):
    """Release declines what waits on the mentor; their running pairs go on, and so do their meetings."""
    w = pair
    meeting_id = _book(app, Pairing, w.pairing_id, w.mentee, w.mentor)
    with app.app_context():
        from mentormatch.models import Membership
        answers.release(db.session.get(Membership, mid(w, w.mentor)), "coordinator", _user(w.coordinator.id))
        db.session.commit()
    assert _meeting(app, meeting_id).state == "booked"
