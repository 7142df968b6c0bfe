"""After a conversation the mentee logs a follow-up and can say thanks; the mentor sees both."""
import pytest

from mentormatch.extensions import db
from mentormatch.models import FollowUp
from tests.conftest import csrf_from, login, post_form
from tests.web.test_people_support import add_member, make_pairing, membership_id, terms  # noqa: F401


def logout(client, page="/"):
    client.post("/auth/logout", data={"csrf_token": csrf_from(client.get(page).get_data(as_text=True))})


def test_mentee_logs_a_followup_and_thanks_and_the_mentor_sees_both(app, client, world):
    pairing = make_pairing(app, world, world.mentor, world.mentee, state="active")
    login(client, world.mentee)
    page = f"/mentee/pairings/{pairing}"
    assert f'href="{page}"' in client.get("/mentee/").get_data(as_text=True)
    response = post_form(client, f"{page}/followup", {"followup-body": "I split the migration into three milestones."},
                         page=page)
    assert response.status_code == 303
    assert post_form(client, f"{page}/thanks", {"thanks-body": "Thank you, it really helped!"}, page=page).status_code == 303
    html = client.get(page).get_data(as_text=True)
    assert "three milestones" in html and "it really helped" in html
    logout(client, "/mentee/")
    login(client, world.mentor)
    mentee_page = f"/mentor/programs/{world.program.id}/mentees/{membership_id(world, world.mentee)}"
    html = client.get(mentee_page).get_data(as_text=True)
    assert "three milestones" in html and "it really helped" in html
    assert "it really helped" in client.get("/mentor/").get_data(as_text=True)  # the latest one on the card
    with app.app_context():
        rows = db.session.scalars(db.select(FollowUp).order_by(FollowUp.id)).all()
        assert [(r.kind, r.pairing_id, r.request_id) for r in rows] == [("followup", pairing, None), ("thanks", pairing, None)]
        assert rows[0].mentor_membership_id == membership_id(world, world.mentor)


def test_an_empty_thank_you_still_says_thank_you(app, client, world):
    pairing = make_pairing(app, world, world.mentor, world.mentee, state="accepted")
    login(client, world.mentee)
    page = f"/mentee/pairings/{pairing}"
    assert post_form(client, f"{page}/thanks", {"thanks-body": ""}, page=page).status_code == 303
    with app.app_context():
        assert db.session.scalar(db.select(FollowUp.body)) == "Thank you!"


@pytest.mark.parametrize("body, message", [("", "a sentence or two"), ("ok", "a sentence or two"), ("x" * 2001, "under 2000")])
def test_a_bad_followup_saves_nothing_and_says_why(app, client, world, body, message):
    pairing = make_pairing(app, world, world.mentor, world.mentee, state="active")
    login(client, world.mentee)
    page = f"/mentee/pairings/{pairing}"
    response = post_form(client, f"{page}/followup", {"followup-body": body}, page=page)
    html = response.get_data(as_text=True)
    assert response.status_code == 200 and 'id="followup-body-error"' in html and message in html
    with app.app_context():
        assert db.session.scalar(db.select(FollowUp)) is None


@pytest.mark.parametrize("state", ["proposed", "declined", "expired"])
def test_no_followup_before_the_mentor_has_accepted(app, client, world, state):
    pairing = make_pairing(app, world, world.mentor, world.mentee, state=state)
    login(client, world.mentee)
    assert client.get(f"/mentee/pairings/{pairing}").status_code == 404
    token = csrf_from(client.get("/mentee/").get_data(as_text=True))
    response = client.post(f"/mentee/pairings/{pairing}/followup", data={"csrf_token": token,
                                                                         "followup-body": "Did the thing we said."})
    assert response.status_code == 404


def test_mentee_cannot_follow_up_on_another_mentees_pairing(app, client, world, make_user):
    other = make_user("mentee", "Nia Neighbour")
    add_member(app, world.program, other)
    pairing = make_pairing(app, world, world.mentor, other, state="active")
    login(client, world.mentee)
    assert client.get(f"/mentee/pairings/{pairing}").status_code == 404
    token = csrf_from(client.get("/mentee/").get_data(as_text=True))
    response = client.post(f"/mentee/pairings/{pairing}/thanks", data={"csrf_token": token, "thanks-body": "hi"})
    assert response.status_code == 404
    with app.app_context():
        assert db.session.scalar(db.select(FollowUp)) is None


def test_followups_are_escaped_for_the_mentor(app, client, world):
    pairing = make_pairing(app, world, world.mentor, world.mentee, state="active")
    login(client, world.mentee)
    page = f"/mentee/pairings/{pairing}"
    post_form(client, f"{page}/followup", {"followup-body": "<script>alert(3)</script> tried it"}, page=page)
    logout(client, "/mentee/")
    login(client, world.mentor)
    for url in (f"/mentor/programs/{world.program.id}/mentees/{membership_id(world, world.mentee)}", "/mentor/"):
        html = client.get(url).get_data(as_text=True)
        assert "<script>alert(3)" not in html and "&lt;script&gt;alert(3)" in html


def test_extra_fields_on_a_followup_change_nothing(app, client, world):
    pairing = make_pairing(app, world, world.mentor, world.mentee, state="active")
    login(client, world.mentee)
    page = f"/mentee/pairings/{pairing}"
    post_form(client, f"{page}/followup", {"followup-body": "Tried the approach, it worked.", "kind": "thanks",
                                           "mentor_membership_id": "999", "pairing_id": "999"}, page=page)
    with app.app_context():
        row = db.session.scalar(db.select(FollowUp))
        assert (row.kind, row.pairing_id, row.mentor_membership_id) == (
            "followup", pairing, membership_id(world, world.mentor))
