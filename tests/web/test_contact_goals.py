"""Goals before deciding (issue 13, item 4): a mentor reads the mentee's goal form (only what the
mentee shares) on a proposal and on a micro-request before answering, a short version in the proposal
email, and keeps private notes on a micro-request's mentee too, not only on round pairs."""
from urllib.parse import urlparse

import pytest

from mentormatch.core import answer_links
from mentormatch.extensions import db
from mentormatch.models import GoalForm, MicroRequest, Note, Round, User
from mentormatch.services import answers
from mentormatch.services.rounds import publish
from tests.conftest import login, post_form
from tests.web.test_lifecycle_data import (  # noqa: F401
    add_goal,
    add_pairing,
    add_profile,
    frozen,
    mailbox,
    mid,
    outbox,
    send_request,
)
from tests.web.test_round_emails import _proposed
from tests.web.test_rounds_support import small_world

GOAL = "Lead the migration of our billing service to Kotlin"
POWER = "How did you get your first design doc approved by a sceptical staff engineer?"
SHARED_LOCATION = "Lagos, Nigeria"
PRIVATE_INDUSTRY = "Confidential defence contractor"


@pytest.fixture
def goal_world(app, world, frozen):
    add_profile(app, mid(world, world.mentor))
    add_goal(app, mid(world, world.mentee), near_term_goal=GOAL, power_question=POWER, location=SHARED_LOCATION,
             industry=PRIVATE_INDUSTRY, context_matters=["location"], submitted_at=frozen.now())
    return world


def _html(app, user, url):
    client = app.test_client()
    login(client, user)
    response = client.get(url)
    assert response.status_code == 200, url
    return response.get_data(as_text=True)


def _shows_shared_goals_only(html):
    assert GOAL in html and POWER in html and SHARED_LOCATION in html
    assert PRIVATE_INDUSTRY not in html  # the mentee did not tick "industry" as context that matters


def test_the_mentor_reads_the_goals_on_an_open_request_before_answering(app, goal_world):
    w = goal_world
    request_id = send_request(app, w.mentee, w.program.id, mid(w, w.mentor))
    _shows_shared_goals_only(_html(app, w.mentor, f"/requests/{request_id}"))
    assert "Their goals" not in _html(app, w.mentee, f"/requests/{request_id}")  # the mentee's own view


def test_the_mentor_reads_the_goals_on_a_proposal_and_on_the_one_click_answer_page(app, goal_world):
    w = goal_world
    pairing_id = add_pairing(app, w.program.id, mid(w, w.mentee), mid(w, w.mentor))
    _shows_shared_goals_only(_html(app, w.mentor, "/pairings/"))
    with app.test_request_context():
        url = answer_links.action_url(db.session.get(User, w.mentor.id), "pairing", pairing_id, "accept")
    page = app.test_client().get(urlparse(url).path).get_data(as_text=True)
    _shows_shared_goals_only(page)


def test_a_mentee_without_a_goal_form_is_said_so(app, world, frozen):
    add_profile(app, mid(world, world.mentor))
    request_id = send_request(app, world.mentee, world.program.id, mid(world, world.mentor))
    assert "They have not filled in their goal form yet." in _html(app, world.mentor, f"/requests/{request_id}")


def test_the_proposal_email_carries_a_short_version_of_each_mentees_goals(app, world, frozen, mailbox):
    people = small_world(app, world.program.id)
    with app.app_context():
        goal = db.session.scalar(db.select(GoalForm).where(GoalForm.membership_id == people.ids["Cy Mentee"]))
        goal.near_term_goal, goal.power_question, goal.submitted_at = GOAL, POWER + " " + "x" * 300, frozen.now()
        db.session.commit()
    rid = _proposed(app, world, people, [("Cy Mentee", "Ada Mentor")])
    app.config["SERVER_NAME"] = "localhost"
    with app.app_context():
        publish.approve_round(db.session.get(Round, rid), db.session.get(User, world.coordinator.id))
    [mail] = [m for m in outbox(app) if people.emails["Ada Mentor"] in m.to]
    assert f"Next 3–6 months: {GOAL}" in mail.body
    line = next(x for x in mail.body.splitlines() if "Their question for a mentor:" in x)
    assert POWER in line and line.endswith("…") and len(line) < 200  # short: cut, not the whole form


# -- private notes from a micro-request page -------------------------------------------------------

def test_a_request_mentor_keeps_a_private_note_and_finds_it_again(app, goal_world):
    w = goal_world
    request_id = send_request(app, w.mentee, w.program.id, mid(w, w.mentor))
    client = app.test_client()
    login(client, w.mentor)
    response = post_form(client, f"/requests/{request_id}/note", {"body": "Prefers async; ask about the Q3 deck."},
                         page=f"/requests/{request_id}")
    assert response.status_code == 303
    assert "Prefers async; ask about the Q3 deck." in client.get(f"/requests/{request_id}").get_data(as_text=True)
    html = post_form(client, f"/requests/{request_id}/note", {"body": "Edited in place."}, page=f"/requests/{request_id}",
                     headers={"HX-Request": "true"}).get_data(as_text=True)
    assert "<html" not in html and 'id="note-form"' in html and "Saved just now." in html
    with app.app_context():
        note = db.session.scalar(db.select(Note))
        assert (note.author_membership_id, note.mentee_membership_id, note.body) == (
            mid(w, w.mentor), mid(w, w.mentee), "Edited in place.")
    # The mentee never sees the note, nor the form.
    mentee_html = _html(app, w.mentee, f"/requests/{request_id}")
    assert "Edited in place." not in mentee_html and 'id="note-form"' not in mentee_html


def test_a_note_is_refused_to_other_mentors_mentees_and_after_a_decline(app, goal_world):
    w = goal_world
    request_id = send_request(app, w.mentee, w.program.id, mid(w, w.mentor))
    for user, status in ((w.other_mentor, 404), (w.mentee, 403)):
        client = app.test_client()
        login(client, user)
        page = "/mentee/" if user.role == "mentee" else "/mentor/"
        assert post_form(client, f"/requests/{request_id}/note", {"body": "mine"}, page=page).status_code == status
    with app.app_context():
        answers.decline(db.session.get(MicroRequest, request_id), db.session.get(User, w.mentor.id), "no_capacity")
    client = app.test_client()
    login(client, w.mentor)
    assert 'id="note-form"' not in client.get(f"/requests/{request_id}").get_data(as_text=True)
    html = post_form(client, f"/requests/{request_id}/note", {"body": "too late"},
                     page=f"/requests/{request_id}").get_data(as_text=True)
    assert "You can keep notes on the mentees whose requests" in html
    with app.app_context():
        assert db.session.scalar(db.select(db.func.count()).select_from(Note)) == 0


def test_the_request_note_form_tells_the_mentor_the_mentee_sees_notes_in_their_data_export(app, goal_world):
    w = goal_world
    request_id = send_request(app, w.mentee, w.program.id, mid(w, w.mentor))
    html = _html(app, w.mentor, f"/requests/{request_id}")
    assert 'id="note-form"' in html and "the mentee sees these notes if they request their data" in html
