"""Ending a round pairing (issue 14): the mentee, the mentor or the program's coordinator ends it
("completed" or "ended early" with a reason) with the closing survey; the other side is told over
real SMTP; the seat is free at once; a round's running pairings complete in one confirmed step;
the health page shows the surveys and the reasons."""
import re

import pytest

from mentormatch.extensions import db
from mentormatch.models import ClosingSurvey, Event, Round
from mentormatch.services.people import profiles
from tests.conftest import login, post_form
from tests.smtp import SMTP_CONFIG
from tests.web.test_lifecycle_data import add_mentee, add_pairing, add_profile, frozen, mid, pairing_state  # noqa: F401

SMTP = pytest.mark.parametrize("app", [SMTP_CONFIG], indirect=True)


@pytest.fixture
def pair(app, world, frozen):
    """An active round pairing of the world's mentee and mentor (one round seat, taken by it)."""
    add_profile(app, mid(world, world.mentor), capacity_round=1)
    world.pairing_id = add_pairing(app, world.program.id, mid(world, world.mentee), mid(world, world.mentor),
                                   state="active", answered_at=frozen.now())
    return world


def _events(app, pid):
    with app.app_context():
        return [(e.from_state, e.to_state, e.actor_user_id, e.note) for e in db.session.scalars(
            db.select(Event).where(Event.subject_type == "pairing", Event.subject_id == pid).order_by(Event.id))]


def _surveys(app, pid):
    with app.app_context():
        return [(s.role, s.recommend, s.changed) for s in db.session.scalars(
            db.select(ClosingSurvey).where(ClosingSurvey.pairing_id == pid).order_by(ClosingSurvey.id))]


def _end(client, pid, page, **data):
    fields = {f"end-{k}": v for k, v in data.items()}
    return post_form(client, f"/pairings/{pid}/end", fields, page=page)


@SMTP
def test_the_mentee_ends_early_from_their_pair_page_with_a_reason_and_survey(app, client, pair, smtp_server):
    pid = pair.pairing_id
    login(client, pair.mentee)
    page = client.get(f"/mentee/pairings/{pid}").get_data(as_text=True)
    assert "End this mentorship" in page and f'action="/pairings/{pid}/end"' in page
    response = _end(client, pid, f"/mentee/pairings/{pid}", kind="ended_early", reason="  We moved to other teams  ",
                    recommend="8", changed="I present with more confidence.")
    assert response.status_code == 303 and response.headers["Location"].endswith(f"/pairings/{pid}/ending")
    assert pairing_state(app, pid) == "ended_early"
    assert _events(app, pid) == [("active", "ended_early", pair.mentee.id, "We moved to other teams")]
    assert _surveys(app, pid) == [("mentee", 8, "I present with more confidence.")]
    [mail] = smtp_server.wait_for(1)
    assert mail["to"] == [pair.mentor.email]
    assert mail["subject"] == f"Your mentorship with {pair.mentee.name} has ended"
    assert "a little early" in mail["body"] and "nobody's failure" in mail["body"]
    assert "We moved" not in mail["body"], "the reason is for the coordinator, not the other side"
    assert f"http://localhost/pairings/{pid}/ending" in mail["body"]
    with app.app_context():
        assert profiles.seats_taken(mid(pair, pair.mentor)) == 0, "the seat is free at once"
    after = client.get(f"/pairings/{pid}/ending").get_data(as_text=True)
    assert "Ended early" in after and "Thank you for your closing survey" in after and "8/10" in after


def test_ended_early_needs_a_reason_shown_next_to_it_and_saves_nothing(app, client, pair):
    pid = pair.pairing_id
    login(client, pair.mentee)
    html = _end(client, pid, f"/pairings/{pid}/ending", kind="ended_early", reason=" ").get_data(as_text=True)
    assert 'id="end-reason-error"' in html and "why it ends early" in html
    assert pairing_state(app, pid) == "active" and _events(app, pid) == []


@pytest.mark.parametrize("data, field, message", [
    ({"recommend": "11"}, "end-recommend", "from 0 to 10"),
    ({"recommend": "ten"}, "end-recommend", "from 0 to 10"),
    ({"changed": "x" * 2001}, "end-changed", "under 2000 characters"),
    ({"kind": "vanished"}, "end-kind", "Not a valid choice"),
])
def test_the_survey_and_kind_are_validated_next_to_their_field(app, client, pair, data, field, message):
    pid = pair.pairing_id
    login(client, pair.mentor)
    html = _end(client, pid, f"/pairings/{pid}/ending", **{"kind": "completed", **data}).get_data(as_text=True)
    assert f'id="{field}-error"' in html and message in html
    assert pairing_state(app, pid) == "active" and _surveys(app, pid) == []


@SMTP
def test_the_mentor_completes_from_the_mentee_page_then_the_mentee_answers_the_survey_once(app, client, pair,
                                                                                           smtp_server):
    pid, mentee_mid = pair.pairing_id, mid(pair, pair.mentee)
    login(client, pair.mentor)
    page = f"/mentor/programs/{pair.program.id}/mentees/{mentee_mid}"
    assert "End this mentorship" in client.get(page).get_data(as_text=True)
    assert _end(client, pid, page, kind="completed", reason="ignored for completed", recommend="").status_code == 303
    assert pairing_state(app, pid) == "completed" and _surveys(app, pid) == []
    assert _events(app, pid) == [("active", "completed", pair.mentor.id, "")]
    [mail] = smtp_server.wait_for(1)
    assert mail["to"] == [pair.mentee.email] and mail["subject"] == f"Your mentorship with {pair.mentor.name} is complete"
    assert "Thank you for the time and care" in mail["body"] and "match you again" in mail["body"]

    mentee = app.test_client()
    login(mentee, pair.mentee)
    survey_url = re.search(r"http://localhost(/pairings/\d+/ending)", mail["body"]).group(1)
    assert "Send my answers" in mentee.get(survey_url).get_data(as_text=True)
    empty = post_form(mentee, f"/pairings/{pid}/survey", {}, page=survey_url).get_data(as_text=True)
    assert 'id="survey-recommend-error"' in empty
    done = post_form(mentee, f"/pairings/{pid}/survey", {"survey-recommend": "10", "survey-changed": "Got the job"},
                     page=survey_url)
    assert done.status_code == 303 and _surveys(app, pid) == [("mentee", 10, "Got the job")]
    again = post_form(mentee, f"/pairings/{pid}/survey", {"survey-recommend": "1"}, page=f"/pairings/{pid}/ending")
    assert again.status_code in (200, 303) and _surveys(app, pid) == [("mentee", 10, "Got the job")]


@SMTP
def test_a_coordinator_ends_it_and_both_sides_are_told(app, client, pair, smtp_server):
    pid = pair.pairing_id
    login(client, pair.coordinator)
    page = client.get(f"/pairings/{pid}/ending").get_data(as_text=True)
    assert "End this mentorship" in page and "Closing survey" not in page, "a coordinator has no survey to answer"
    assert _end(client, pid, f"/pairings/{pid}/ending", kind="ended_early", reason="Mentor left the company",
                recommend="3").status_code == 303
    assert pairing_state(app, pid) == "ended_early" and _surveys(app, pid) == []
    mails = smtp_server.wait_for(2)
    assert sorted(m["to"][0] for m in mails) == sorted([pair.mentee.email, pair.mentor.email])
    assert all(f"{pair.coordinator.name}, your coordinator in" in m["body"] for m in mails)


def test_strangers_and_another_programs_coordinator_get_404(app, pair):
    pid = pair.pairing_id
    for user in (pair.other_mentee, pair.other_mentor, pair.other_coordinator):
        client = app.test_client()
        login(client, user)
        assert client.get(f"/pairings/{pid}/ending").status_code == 404
        assert post_form(client, f"/pairings/{pid}/end", {"end-kind": "completed"},
                         page="/auth/login").status_code == 404
    assert pairing_state(app, pid) == "active"


def test_ending_with_htmx_returns_the_panel_with_its_outcome(app, client, pair):
    pid = pair.pairing_id
    login(client, pair.mentee)
    response = post_form(client, f"/pairings/{pid}/end", {"end-kind": "completed"}, page=f"/pairings/{pid}/ending",
                         headers={"HX-Request": "true"})
    html = response.get_data(as_text=True)
    assert response.status_code == 200 and "<html" not in html and 'id="ending"' in html
    assert "has been told, kindly" in html and "Send my answers" in html


def test_a_pairing_ends_once_and_a_proposal_cannot_be_ended(app, client, pair):
    pid = pair.pairing_id
    login(client, pair.mentee)
    _end(client, pid, f"/pairings/{pid}/ending", kind="completed")
    _end(client, pid, f"/pairings/{pid}/ending", kind="ended_early", reason="again")
    assert pairing_state(app, pid) == "completed" and len(_events(app, pid)) == 1
    proposal = add_pairing(app, pair.program.id, mid(pair, pair.mentee), mid(pair, pair.mentor))
    response = client.get(f"/pairings/{proposal}/ending")
    assert response.status_code == 303 and pairing_state(app, proposal) == "proposed"


def test_the_freed_seat_lets_the_mentor_accept_another_proposal(app, client, make_user, pair):
    other_user, other_mid = add_mentee(app, make_user, pair, "Nia Next")
    proposal = add_pairing(app, pair.program.id, other_mid, mid(pair, pair.mentor))
    login(client, pair.mentor)
    post_form(client, f"/pairings/{proposal}/accept", {}, page="/pairings/")
    assert pairing_state(app, proposal) == "proposed", "the one seat is taken"
    profile = client.get(f"/mentor/programs/{pair.program.id}/profile").get_data(as_text=True)
    assert "2 of 1 seat taken" in profile  # the active pairing and the proposal waiting for an answer
    _end(client, pair.pairing_id, f"/pairings/{pair.pairing_id}/ending", kind="completed")
    assert "1 of 1 seat taken" in client.get(f"/mentor/programs/{pair.program.id}/profile").get_data(as_text=True)
    post_form(client, f"/pairings/{proposal}/accept", {}, page="/pairings/")
    assert pairing_state(app, proposal) == "active"


# -- a round: complete all ----------------------------------------------------------------------

@pytest.fixture
def round_pairs(app, make_user, world, frozen):
    with app.app_context():
        round_ = Round(program_id=world.program.id, name="Spring", state="approved")
        db.session.add(round_)
        db.session.commit()
        world.round_id = round_.id
    add_profile(app, mid(world, world.mentor), capacity_round=3)
    second, second_mid = add_mentee(app, make_user, world, "Sam Second")
    third, third_mid = add_mentee(app, make_user, world, "Tia Third")
    world.running = [add_pairing(app, world.program.id, mid(world, world.mentee), mid(world, world.mentor),
                                 state="active", round_id=world.round_id),
                     add_pairing(app, world.program.id, second_mid, mid(world, world.mentor), state="accepted",
                                 round_id=world.round_id)]
    world.proposal = add_pairing(app, world.program.id, third_mid, mid(world, world.mentor), round_id=world.round_id)
    world.emails = [world.mentee.email, second.email]
    return world


@SMTP
def test_complete_all_is_one_confirmed_step_that_closes_the_round(app, client, round_pairs, smtp_server):
    w = round_pairs
    base = f"/coordinator/programs/{w.program.id}/rounds/{w.round_id}"
    login(client, w.coordinator)
    show = client.get(base).get_data(as_text=True)
    assert "Running pairings (2)" in show and f"{base}/complete-all" in show
    assert f"/pairings/{w.running[0]}/ending" in show, "the coordinator reaches each pairing from the round"
    confirm = client.get(f"{base}/complete-all").get_data(as_text=True)
    assert "Complete 2 pairings and close the round" in confirm and "Sam Second with Milo Mentor" in confirm
    assert [pairing_state(app, p) for p in w.running] == ["active", "accepted"], "GET changes nothing"
    response = post_form(client, f"{base}/complete-all", {})
    assert response.status_code == 303
    assert [pairing_state(app, p) for p in w.running] == ["completed", "completed"]
    assert pairing_state(app, w.proposal) == "proposed"
    with app.app_context():
        assert db.session.get(Round, w.round_id).state == "closed"
    assert [e[1:3] for e in _events(app, w.running[1])] == [("completed", w.coordinator.id)]
    mails = smtp_server.wait_for(4)
    assert sorted(m["to"][0] for m in mails) == sorted(w.emails + [w.mentor.email] * 2)
    assert all("is complete" in m["subject"] for m in mails)
    assert "No pairing of this round is still running" in client.get(f"{base}/complete-all").get_data(as_text=True)


def test_complete_all_belongs_to_the_programs_coordinator(app, round_pairs):
    w = round_pairs
    url = f"/coordinator/programs/{w.program.id}/rounds/{w.round_id}/complete-all"
    client = app.test_client()
    login(client, w.other_coordinator)
    assert client.get(url).status_code == 404
    assert post_form(client, url, {}, page="/auth/login").status_code == 404
    assert pairing_state(app, w.running[0]) == "active"


# -- health ---------------------------------------------------------------------------------------

def test_health_shows_survey_averages_distribution_comments_and_reasons(app, client, pair, make_user):
    pid = pair.pairing_id
    mentee = app.test_client()
    login(mentee, pair.mentee)
    _end(mentee, pid, f"/pairings/{pid}/ending", kind="ended_early", reason="Different time zones", recommend="7",
         changed="Learned to ask sharper questions")
    mentor = app.test_client()
    login(mentor, pair.mentor)
    post_form(mentor, f"/pairings/{pid}/survey", {"survey-recommend": "9"}, page=f"/pairings/{pid}/ending")
    login(client, pair.coordinator)
    html = client.get(f"/coordinator/programs/{pair.program.id}/health").get_data(as_text=True)
    assert "0 completed · 1 ended early · 0 closed as inactive" in html
    assert "would recommend 7.0 of 10 on average (1 answer)" in html
    assert "would recommend 9.0 of 10 on average (1 answer)" in html
    assert "7: 1," in html and "<title>1 answered 9</title>" in html
    assert "Learned to ask sharper questions" in html and "Different time zones" in html


@pytest.mark.parametrize("state, badge", [("ended_early", "Ended early"), ("inactive", "Closed as inactive")])
def test_an_ended_pairing_stays_on_the_mentee_home_and_can_still_be_thanked(app, client, pair, state, badge):
    with app.app_context():
        db.session.execute(db.text("UPDATE pairings SET state = :s, end_reason = 'moved' WHERE id = :id"),
                           {"s": state, "id": pair.pairing_id})
        db.session.commit()
    login(client, pair.mentee)
    home = client.get("/mentee/").get_data(as_text=True)
    assert pair.mentor.name in home and badge in home
    assert f"/mentee/pairings/{pair.pairing_id}" in home
    response = post_form(client, f"/mentee/pairings/{pair.pairing_id}/thanks",
                         {"thanks-body": "Thank you for the time we had."}, page=f"/mentee/pairings/{pair.pairing_id}")
    assert response.status_code == 303
