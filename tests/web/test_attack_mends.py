"""What an attack on the new meetings and messages found, mended (each failed before its fix)."""
from mentormatch.extensions import db
from mentormatch.models import Meeting, Pairing, User
from mentormatch.services import lifecycle
from tests.conftest import post_form
from tests.web.test_lifecycle_data import frozen  # noqa: F401
from tests.web.test_meetings import THU, as_user, pair, pick, propose, slot_ids, the_meeting  # noqa: F401


def test_times_proposed_before_the_pairing_ended_cannot_be_picked_after(app, pair):  # noqa: F811
    w = pair
    mentee, mentor = as_user(app, w.mentee), as_user(app, w.mentor)
    assert propose(mentee, w, "mentee", [(THU, "16:00")]).status_code == 303
    meeting = the_meeting(app, w.pairing_id)
    [slot] = slot_ids(app, meeting.id)
    with app.app_context():
        lifecycle.end(db.session.get(Pairing, w.pairing_id), db.session.get(User, w.mentee.id), "ended_early", "moving on")
        db.session.commit()
    pick(mentor, w, "mentor", meeting.id, slot)
    after = the_meeting(app, w.pairing_id)
    # The ending withdrew the times (meetings.call_off) and the late pick booked nothing.
    assert after.state == "cancelled" and after.booked_at is None, "no invitation for a mentorship that is over"


def test_a_video_link_with_a_name_before_the_at_is_refused(app, pair):  # noqa: F811
    """`https://zoom.us@evil.example/j/1` reads as zoom.us and opens evil.example."""
    response = propose(as_user(app, pair.mentee), pair, "mentee", [(THU, "16:00")], video="https://zoom.us@evil.example/j/1")
    assert response.status_code in (200, 422)
    assert "without a name or password before an @" in response.get_data(as_text=True)
    with app.app_context():
        assert db.session.scalar(db.select(db.func.count()).select_from(Meeting)) == 0


def test_a_message_keeps_no_right_to_left_override(app, pair):  # noqa: F811
    """`.../\u202egpj.exe` would show as a link reading "exe.jpg" that opens .exe."""
    w = pair
    url = f"/threads/pairing/{w.pairing_id}"
    assert post_form(as_user(app, w.mentee), f"{url}/messages", {"body": "see https://a.org/\u202egpj.exe"},
                     page=url).status_code == 303
    html = as_user(app, w.mentor).get(url).get_data(as_text=True)
    assert "\u202e" not in html and "https://a.org/gpj.exe" in html


def test_times_at_either_end_of_the_calendar_are_field_errors(app, pair):  # noqa: F811
    """Year 9999 in New York is year 10000 in UTC, year 1 in Berlin is year 0: the zone arithmetic
    overflowed into a bare 400 page and the form was lost."""
    w = pair
    for who, day, at, says in ((w.mentor, "9999-12-31", "23:30", "90 days"), (w.mentee, "0001-01-01", "00:00", "passed")):
        side = "mentor" if who is w.mentor else "mentee"
        response = propose(as_user(app, who), w, side, [(day, at)])
        assert response.status_code in (200, 422) and says in response.get_data(as_text=True)
    with app.app_context():
        assert db.session.scalar(db.select(db.func.count()).select_from(Meeting)) == 0
