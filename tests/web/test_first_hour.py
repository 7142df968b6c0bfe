"""The first hour of a new organisation, smoothed (issue 14, item 5): each test names a stumble
found by walking the site as a new program would, and fails if it comes back."""
import pytest

from mentormatch.extensions import db
from mentormatch.models import User
from mentormatch.models.rounds import Round
from mentormatch.services import ServiceError
from mentormatch.services.people.labels import ROLE_LEVEL_LABELS
from mentormatch.services.rounds import publish, runs
from tests.conftest import login, post_form
from tests.web.test_lifecycle_data import (  # noqa: F401
    add_goal,
    add_mentor,
    add_profile,
    frozen,
    mid,
    request_state,
    send_request,
)
from tests.web.test_people_support import membership_id, profile_data, saved_profile, terms  # noqa: F401 (fixture)
from tests.web.test_rounds_support import add_people, latest_run_id, make_round, round_state

INLINE = pytest.mark.parametrize("app", [{"SOLVE_RUNNER": "inline"}], indirect=True)


def round_url(world, rid, tail=""):
    return f"/coordinator/programs/{world.program.id}/rounds/{rid}{tail}"


def run_round(client, world, rid) -> str:
    post_form(client, round_url(world, rid, "/run"), {}, page=round_url(world, rid))
    return client.get(round_url(world, rid)).get_data(as_text=True)


# ---- An empty round says why it is empty and cannot be approved ----

@INLINE
def test_a_round_with_no_goal_forms_says_nobody_has_completed_one_and_cannot_be_approved(app, client, world):
    add_people(app, world.program.id, mentors=[{"name": "Ada Mentor", "years": 8, "capacity_round": 2}])
    rid = make_round(app, world.program.id, world.coordinator.id)
    login(client, world.coordinator)
    page = run_round(client, world, rid)
    assert "nobody has completed a goal form" in page
    assert "Approve and publish" not in page
    assert "(optimal)" not in page
    response = post_form(client, round_url(world, rid, "/approve"), {}, page=round_url(world, rid))
    assert round_state(app, rid) == "proposed"
    assert "Nothing to approve" in client.get(response.headers["Location"]).get_data(as_text=True)


@INLINE
def test_a_round_whose_mentors_offer_no_seats_says_so(app, client, world):
    add_people(app, world.program.id, mentors=[{"name": "Ada Mentor", "years": 8, "capacity_round": 0}],
               mentees=[{"name": "Cy Mentee", "years": 2, "topics": ["python"]}])
    rid = make_round(app, world.program.id, world.coordinator.id)
    login(client, world.coordinator)
    page = run_round(client, world, rid)
    assert "No mentor has a seat" in page and "1 mentor offers no seats" in page
    assert "Approve and publish" not in page


@INLINE
def test_approving_an_empty_run_is_refused_by_the_service(app, world):
    rid = make_round(app, world.program.id, world.coordinator.id)
    with app.app_context():
        round_ = db.session.get(Round, rid)
        coordinator = db.session.get(User, world.coordinator.id)
        runs.start_run(round_, coordinator)
        assert latest_run_id(app, rid)
        with pytest.raises(ServiceError, match="Nothing to approve"):
            publish.approve_round(db.session.get(Round, rid), coordinator)


# ---- The program page guides the order: topics first, then the links ----

def test_a_new_program_asks_for_topics_before_it_offers_the_invite_links(app, client, world):
    login(client, world.coordinator)
    page = client.get(f"/coordinator/programs/{world.program.id}").get_data(as_text=True)
    assert "Add topics first" in page
    assert "Share these." not in page
    checklist = page[page.index('id="setup-checklist"'):]
    checklist = checklist[:checklist.index("</section>")]
    assert "Topics people can pick" in checklist and "missing" in checklist
    # The links are still there for someone who wants them now, after the checklist.
    assert page.index('id="setup-checklist"') < page.index("For mentors")

    add_people(app, world.program.id, topics=("python",))
    page = client.get(f"/coordinator/programs/{world.program.id}").get_data(as_text=True)
    assert "Add topics first" not in page and "Share these" in page
    checklist = page[page.index('id="setup-checklist"'):]
    assert "1 topic" in checklist[:checklist.index("</section>")]


# ---- The topic picker: a topic already chosen is "on your list", not "no topic matches" ----

def test_searching_for_a_topic_already_chosen_says_it_is_on_the_list(client, world, terms):
    login(client, world.mentee)
    url = f"/mentee/programs/{world.program.id}/goals/topics"
    html = client.get(url, query_string={"topic_q": "data sci", "topics": [terms.data_science]},
                      headers={"HX-Request": "true"}).get_data(as_text=True)
    assert "No topic matches" not in html
    assert "Data science is already on your list" in html
    html = client.get(url, query_string={"topic_q": "zebra", "topics": [terms.data_science]},
                      headers={"HX-Request": "true"}).get_data(as_text=True)
    assert "No topic matches “zebra”" in html


# ---- Mentor level: no default on a new profile, one label set for forms and cards ----

def test_a_new_mentor_profile_has_no_level_chosen_and_saving_without_one_says_so(app, client, world, terms):
    login(client, world.mentor)
    url = f"/mentor/programs/{world.program.id}/profile"
    html = client.get(url).get_data(as_text=True)
    select = html[html.index('name="role_level"'):]
    select = select[:select.index("</select>")]
    assert '<option selected value="">Choose…</option>' in select
    assert 'selected value="junior"' not in select
    html = post_form(client, url, profile_data(terms, role_level="")).get_data(as_text=True)
    assert "Choose your current level." in html
    assert saved_profile(app, membership_id(world, world.mentor)) is None


def test_the_directory_card_uses_the_same_level_words_as_the_form(app, client, world):
    add_profile(app, mid(world, world.mentor), role_level="lead")
    add_goal(app, mid(world, world.mentee))
    login(client, world.mentee)
    html = client.get(f"/requests/programs/{world.program.id}/mentors").get_data(as_text=True)
    assert "Lead / staff" in html
    assert ROLE_LEVEL_LABELS["lead"] == "Lead / staff" and ROLE_LEVEL_LABELS["mid"] == "Mid-level"


# ---- "Ask" at 5 of 5 open requests: said before the mentee writes ----

def test_at_five_open_requests_the_ask_buttons_are_disabled_and_say_why(app, client, make_user, world, frozen):
    mentors = [add_mentor(app, make_user, world, f"Mentor {chr(65 + i)}") for i in range(6)]
    add_goal(app, mid(world, world.mentee))
    login(client, world.mentee)
    directory = f"/requests/programs/{world.program.id}/mentors"
    ask = f"{directory}/{mentors[5][1]}/ask"
    assert "withdraw one or wait for an answer" not in client.get(directory).get_data(as_text=True)
    for _, m in mentors[:5]:
        send_request(app, world.mentee, world.program.id, m)

    html = client.get(directory).get_data(as_text=True)
    assert "You have 5 open requests — withdraw one or wait for an answer" in html
    assert f'href="{ask}"' not in html  # no live Ask link
    assert 'aria-disabled="true"' in html
    html = client.get(ask).get_data(as_text=True)
    assert "You have 5 open requests — withdraw one or wait for an answer" in html
    assert '<button type="submit" disabled' in html
    # The POST still refuses, whatever the page showed.
    html = post_form(client, ask, {"question": "Which of my 5 slides loses you first?", "kind": "call15"}).get_data(as_text=True)
    assert "already have 5 open requests" in html


# ---- Withdrawing confirms without JavaScript ----

def test_withdraw_without_javascript_asks_on_a_page_then_withdraws(app, client, world, frozen):
    add_profile(app, mid(world, world.mentor))
    rid = send_request(app, world.mentee, world.program.id, mid(world, world.mentor))
    login(client, world.mentee)
    show = client.get(f"/requests/{rid}").get_data(as_text=True)
    # The button's form opens the confirmation page unless JavaScript asks first.
    assert f'method="get" action="/requests/{rid}/cancel"' in show
    page = client.get(f"/requests/{rid}/cancel").get_data(as_text=True)
    assert "Withdraw this request?" in page and "Yes, withdraw it" in page
    assert request_state(app, rid) == "open"  # looking at the question changes nothing
    response = post_form(client, f"/requests/{rid}/cancel", {}, page=f"/requests/{rid}/cancel")
    assert response.status_code == 303 and request_state(app, rid) == "cancelled"


def test_another_mentees_withdraw_page_is_404(app, client, world, frozen):
    add_profile(app, mid(world, world.mentor))
    rid = send_request(app, world.mentee, world.program.id, mid(world, world.mentor))
    login(client, world.other_mentee)
    assert client.get(f"/requests/{rid}/cancel").status_code == 404
