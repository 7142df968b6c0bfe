"""'What I can help with' on the goal form (issue 15, item 2): the same ordered picker as the
wanted topics, saved in order, checked against the program's list, shown on the goal summary."""
from mentormatch.extensions import db
from mentormatch.models import GoalForm
from tests.conftest import csrf_from, login, post_form
from tests.web.test_people_support import goal_data, membership_id, saved_goal, terms  # noqa: F401

HX = {"HX-Request": "true"}


def goals_url(world):
    return f"/mentee/programs/{world.program.id}/goals"


def test_mentee_saves_strengths_in_order_beside_the_wanted_topics(client, world, terms):
    login(client, world.mentee)
    page = client.get(goals_url(world)).get_data(as_text=True)
    assert 'id="strengths-picker"' in page and 'id="topics-picker"' in page
    assert '<label for="strengths_q">' in page
    data = goal_data(terms, strengths=[str(terms.security), str(terms.public_speaking)])
    assert post_form(client, goals_url(world), data).status_code == 303
    goal = saved_goal(client.application, membership_id(world, world.mentee))
    assert goal.strengths == [terms.security, terms.public_speaking]
    assert goal.topics == [terms.data_science, terms.backend_development]  # untouched by the second picker


def test_strengths_are_optional(client, world, terms):
    login(client, world.mentee)
    assert post_form(client, goals_url(world), goal_data(terms)).status_code == 303
    assert saved_goal(client.application, membership_id(world, world.mentee)).strengths == []


def test_a_foreign_topic_or_a_group_as_strength_is_refused_next_to_the_picker_and_nothing_is_saved(
        client, world, terms):
    login(client, world.mentee)
    for bad in (terms.foreign, terms.women_in_tech):  # another program's topic; a group, not a topic
        response = post_form(client, goals_url(world), goal_data(terms, strengths=[str(bad)]))
        html = response.get_data(as_text=True)
        assert response.status_code == 200
        assert 'id="strengths-error"' in html and "Pick from the program&#39;s list." in html
        assert 'aria-describedby="strengths-error"' in html
    with client.application.app_context():
        assert db.session.scalar(db.select(db.func.count()).select_from(GoalForm)) == 0


def test_strengths_picker_adds_and_moves_with_htmx_and_without_javascript(client, world, terms):
    login(client, world.mentee)
    token = csrf_from(client.get(goals_url(world)).get_data(as_text=True))
    url = f"{goals_url(world)}/strengths"
    ds, sec = terms.data_science, terms.security
    html = client.post(url, data={"csrf_token": token, "strengths": [str(ds)], "strengths_op": f"add:{sec}"},
                       headers=HX).get_data(as_text=True)
    assert html.lstrip().startswith('<fieldset id="strengths-picker"') or 'id="strengths-picker"' in html
    assert html.index(f'name="strengths" value="{ds}"') < html.index(f'name="strengths" value="{sec}"')
    assert 'name="topics"' not in html
    html = client.get(f"{url}?strengths_q=secu", headers=HX).get_data(as_text=True)
    assert html.lstrip().startswith('<ul id="strengths-results"') and "Security" in html
    # No JavaScript: the button submits the whole form; the list changes, typed text stays, nothing is saved.
    data = goal_data(terms, strengths=[str(ds)], near_term_goal="Half-typed goal about data pipelines",
                     strengths_op=f"add:{sec}")
    response = post_form(client, goals_url(world), data)
    html = response.get_data(as_text=True)
    assert response.status_code == 200 and "Half-typed goal about data pipelines" in html
    assert f'name="strengths" value="{sec}"' in html
    assert saved_goal(client.application, membership_id(world, world.mentee)) is None


def test_goal_summary_shows_strengths_to_the_coordinator(client, world, terms):
    login(client, world.mentee)
    post_form(client, goals_url(world), goal_data(terms, strengths=[str(terms.security)]))
    mid = membership_id(world, world.mentee)
    client.get("/auth/logout")
    login(client, world.coordinator)
    html = client.get(f"/coordinator/programs/{world.program.id}/people/{mid}").get_data(as_text=True)
    assert "Can help with, strongest first" in html and "1. Security" in html
