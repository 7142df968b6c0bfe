"""“Decline and pause me”: one step declines and sets the mentor unavailable, or away until a
date; a bad date changes nothing (neither the decline nor the pause)."""
from datetime import timedelta

from mentormatch.core import clock
from mentormatch.extensions import db
from mentormatch.models import Event, MentorProfile
from tests.conftest import login, post_form
from tests.web.test_lifecycle_data import (  # noqa: F401
    add_pairing,
    add_profile,
    frozen,
    mid,
    pairing_state,
    request_state,
    send_request,
)


def _profile(app, w):
    with app.app_context():
        p = db.session.scalar(db.select(MentorProfile).where(MentorProfile.membership_id == mid(w, w.mentor)))
        return p.available, p.away_until


def _setup(app, w):
    add_profile(app, mid(w, w.mentor))
    return add_pairing(app, w.program.id, mid(w, w.mentee), mid(w, w.mentor))


def test_decline_and_set_myself_unavailable_in_one_step(app, client, world, frozen):
    pid = _setup(app, world)
    login(client, world.mentor)
    response = post_form(client, f"/pairings/{pid}/decline", {"reason": "no_capacity", "pause": "off"})
    assert response.status_code == 303
    assert pairing_state(app, pid) == "declined" and _profile(app, world) == (False, None)
    with app.app_context():
        e = db.session.scalar(db.select(Event).where(Event.subject_type == "mentor").order_by(Event.id.desc()))
        assert e.to_state == "unavailable" and e.actor_user_id == world.mentor.id


def test_decline_and_away_until_a_date(app, client, world, frozen):
    pid = _setup(app, world)
    back = (clock.today() + timedelta(days=14))
    login(client, world.mentor)
    post_form(client, f"/pairings/{pid}/decline", {"reason": "no_capacity", "pause": "away",
                                                    "away_until": back.isoformat()})
    assert pairing_state(app, pid) == "declined" and _profile(app, world) == (True, back)


def test_away_without_a_date_or_in_the_past_changes_nothing(app, client, world, frozen):
    pid = _setup(app, world)
    login(client, world.mentor)
    html = post_form(client, f"/pairings/{pid}/decline", {"reason": "no_capacity", "pause": "away"}).get_data(as_text=True)
    assert 'id="away_until-error"' in html
    past = (clock.today() - timedelta(days=1)).isoformat()
    html = post_form(client, f"/pairings/{pid}/decline", {"reason": "no_capacity", "pause": "away",
                                                           "away_until": past}).get_data(as_text=True)
    assert 'id="away_until-error"' in html and "after today" in html
    assert pairing_state(app, pid) == "proposed" and _profile(app, world) == (True, None)


def test_an_unknown_pause_choice_is_refused(app, client, world, frozen):
    pid = _setup(app, world)
    login(client, world.mentor)
    html = post_form(client, f"/pairings/{pid}/decline", {"reason": "no_capacity", "pause": "forever"}).get_data(as_text=True)
    assert 'id="pause-error"' in html
    assert pairing_state(app, pid) == "proposed" and _profile(app, world) == (True, None)


def test_plain_decline_leaves_the_mentor_available(app, client, world, frozen):
    pid = _setup(app, world)
    login(client, world.mentor)
    post_form(client, f"/pairings/{pid}/decline", {"reason": "not_a_fit"})
    assert pairing_state(app, pid) == "declined" and _profile(app, world) == (True, None)


def test_decline_a_request_and_pause_hides_the_mentor_from_the_directory(app, client, world, frozen):
    add_profile(app, mid(world, world.mentor))
    rid = send_request(app, world.mentee, world.program.id, mid(world, world.mentor))
    login(client, world.mentor)
    assert post_form(client, f"/requests/{rid}/decline", {"reason": "no_capacity", "pause": "off"}).status_code == 303
    assert request_state(app, rid) == "declined" and _profile(app, world)[0] is False
    mentee = app.test_client()
    login(mentee, world.mentee)
    html = mentee.get(f"/requests/programs/{world.program.id}/mentors").get_data(as_text=True)
    assert world.mentor.name not in html


def test_only_the_proposed_mentor_can_decline_and_pause(app, client, world, frozen, make_user):
    from tests.web.test_lifecycle_data import add_mentor

    pid = _setup(app, world)
    other, _ = add_mentor(app, make_user, world, "Another Mentor")
    login(client, other)
    response = post_form(client, f"/pairings/{pid}/decline", {"reason": "no_capacity", "pause": "off"},
                         page="/pairings/")
    assert response.status_code == 404
    assert pairing_state(app, pid) == "proposed" and _profile(app, world) == (True, None)
