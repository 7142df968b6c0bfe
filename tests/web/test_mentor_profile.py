"""The mentor profile: expertise, capacity, availability and away-until, and the seats display."""
from datetime import date, timedelta

import pytest
from babel.dates import format_date

from mentormatch.extensions import db
from mentormatch.models import MentorProfile, User
from tests.conftest import csrf_from, login, post_form
from tests.web.test_people_support import make_pairing, membership_id, profile_data, saved_profile, terms  # noqa: F401

HX = {"HX-Request": "true"}


def profile_url(world, program=None):
    return f"/mentor/programs/{(program or world.program).id}/profile"


def test_mentor_saves_profile_with_capacity_and_preferences(client, world, terms):
    login(client, world.mentor)
    assert post_form(client, profile_url(world), profile_data(terms)).status_code == 303
    profile = saved_profile(client.application, membership_id(world, world.mentor))
    assert profile.topics == [terms.backend_development, terms.security]
    assert (profile.capacity_round, profile.capacity_micro, profile.years) == (3, 4, 9)
    assert profile.available is True and profile.away_until is None
    assert profile.prefers_stages == ["ahead"] and profile.prefers_topics == [terms.security]


@pytest.mark.parametrize("field, value, message", [
    ("capacity_round", "21", "between 0 and 20"),
    ("capacity_round", "-1", "between 0 and 20"),
    ("capacity_micro", "100", "between 0 and 20"),
    ("years", "61", "between 0 and 60"),
    ("timezone", "Europe/Atlantis", "Choose a time zone"),
    ("topics", [], "at least one topic"),
    ("prefers_stages", ["boss"], "Choose from the options"),
    ("bio", "b" * 1001, "under 1000 characters"),
    ("away_until", (date.today() - timedelta(days=1)).isoformat(), "today or a later date"),
])
def test_bad_profile_input_saves_nothing_and_shows_the_error_next_to_the_field(client, world, terms, field, value,
                                                                               message):
    login(client, world.mentor)
    response = post_form(client, profile_url(world), profile_data(terms, **{field: value}))
    html = response.get_data(as_text=True)
    assert response.status_code == 200
    assert f'id="{field}-error"' in html and message in html
    assert saved_profile(client.application, membership_id(world, world.mentor)) is None


def test_capacity_typed_as_text_gets_one_clear_error(client, world, terms):
    login(client, world.mentor)
    html = post_form(client, profile_url(world), profile_data(terms, capacity_round="lots")).get_data(as_text=True)
    assert 'id="capacity_round-error"' in html
    assert saved_profile(client.application, membership_id(world, world.mentor)) is None


def test_inline_validation_checks_capacity_as_they_type(client, world, terms):
    login(client, world.mentor)
    token = csrf_from(client.get(profile_url(world)).get_data(as_text=True))
    url = f"{profile_url(world)}/check?field=capacity_round"
    html = client.post(url, data={"csrf_token": token, **profile_data(terms, capacity_round="25")},
                       headers=HX).get_data(as_text=True)
    assert '<div id="capacity_round-feedback"' in html and "between 0 and 20" in html and "<html" not in html
    html = client.post(url, data={"csrf_token": token, **profile_data(terms, capacity_round="2")},
                       headers=HX).get_data(as_text=True)
    assert 'class="error"' not in html


def test_switching_availability_off_and_away_until(client, world, terms):
    login(client, world.mentor)
    data = profile_data(terms)
    del data["available"]  # an unticked checkbox is simply absent
    assert post_form(client, profile_url(world), data).status_code == 303
    assert saved_profile(client.application, membership_id(world, world.mentor)).available is False
    assert "Not available" in client.get("/mentor/").get_data(as_text=True)

    back = date.today() + timedelta(days=14)
    assert post_form(client, profile_url(world), profile_data(terms, away_until=back.isoformat())).status_code == 303
    profile = saved_profile(client.application, membership_id(world, world.mentor))
    assert profile.available is True and profile.away_until == back
    assert f"Away until {format_date(back, 'medium', locale='en')}" in client.get("/mentor/").get_data(as_text=True)


def test_away_until_is_off_until_then_and_on_again_by_itself():
    profile = MentorProfile(available=True, away_until=date(2026, 3, 10))
    assert not profile.is_available(date(2026, 3, 1))
    assert not profile.is_available(date(2026, 3, 10))
    assert profile.is_available(date(2026, 3, 11))
    assert not MentorProfile(available=False, away_until=None).is_available(date(2026, 3, 11))


def test_capacity_is_shown_as_seats_taken_counting_only_seat_states(app, client, world, terms, make_user):
    login(client, world.mentor)
    post_form(client, profile_url(world), profile_data(terms, capacity_round="3"))
    from tests.web.test_people_support import add_member
    for state in ("proposed", "accepted", "declined", "completed", "expired"):
        mentee = make_user("mentee")
        add_member(app, world.program, mentee)
        make_pairing(app, world, world.mentor, mentee, state=state)
    html = client.get("/mentor/").get_data(as_text=True)
    assert "2 of 3 seats taken" in html
    assert "2 of 3 seats taken" in client.get(profile_url(world)).get_data(as_text=True)


def test_extra_posted_fields_change_nothing_on_the_profile(client, world, terms):
    login(client, world.mentor)
    other = membership_id(world, world.other_mentor, world.other_program)
    data = profile_data(terms, role="coordinator", membership_id=str(other), program=str(world.other_program.id),
                        program_id=str(world.other_program.id), owner=str(world.other_mentor.id), status="active",
                        id="999")
    assert post_form(client, profile_url(world), data).status_code == 303
    with client.application.app_context():
        assert db.session.get(User, world.mentor.id).role == "mentor"
        rows = db.session.scalars(db.select(MentorProfile)).all()
        assert [r.membership_id for r in rows] == [membership_id(world, world.mentor)] and rows[0].id != 999


def test_script_in_profile_text_comes_back_escaped(client, world, terms):
    login(client, world.mentor)
    evil = "<script>alert(1)</script>"
    post_form(client, profile_url(world), profile_data(terms, bio=evil, industry=evil, background=evil, location=evil))
    html = client.get(profile_url(world)).get_data(as_text=True)
    assert "<script>alert(1)" not in html and "&lt;script&gt;alert(1)" in html
    client.post("/auth/logout", data={"csrf_token": csrf_from(html)})
    login(client, world.coordinator)
    page = f"/coordinator/programs/{world.program.id}/people/{membership_id(world, world.mentor)}"
    html = client.get(page).get_data(as_text=True)
    assert "<script>alert(1)" not in html and "&lt;script&gt;alert(1)" in html


def test_a_mentor_cannot_change_another_programs_profile(client, world, terms):
    login(client, world.mentor)
    token = csrf_from(client.get(profile_url(world)).get_data(as_text=True))
    response = client.post(profile_url(world, world.other_program), data={"csrf_token": token, **profile_data(terms)})
    assert response.status_code == 404
    assert saved_profile(client.application, membership_id(world, world.other_mentor, world.other_program)) is None


def test_mentor_topic_picker_allows_ten_topics(client, world, terms):
    login(client, world.mentor)
    token = csrf_from(client.get(profile_url(world)).get_data(as_text=True))
    html = client.post(f"{profile_url(world)}/topics", headers=HX, data={
        "csrf_token": token, "topics": [str(terms.data_science)], "topic_op": f"add:{terms.security}"}).get_data(as_text=True)
    assert html.count('name="topics"') == 2 and "up to 10" in html
