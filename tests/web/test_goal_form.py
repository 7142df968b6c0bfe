"""The mentee goal form: full submit, inline validation, the topic picker, the vague-ask hint."""
import pytest

from mentormatch.extensions import db
from mentormatch.models import GoalForm, User
from tests.conftest import csrf_from, login, post_form
from tests.web.test_people_support import goal_data, membership_id, saved_goal, terms  # noqa: F401

HX = {"HX-Request": "true"}


def goals_url(world, program=None):
    return f"/mentee/programs/{(program or world.program).id}/goals"


def check(client, world, field, data):
    url = f"{goals_url(world)}/check?field={field}"
    token = csrf_from(client.get(goals_url(world)).get_data(as_text=True))
    return client.post(url, data={"csrf_token": token, **data}, headers=HX)


def test_mentee_saves_a_complete_goal_form_with_topics_in_order(client, world, terms):
    login(client, world.mentee)
    data = goal_data(terms, topics=[str(terms.public_speaking), str(terms.data_science), str(terms.security)])
    response = post_form(client, goals_url(world), data)
    assert response.status_code == 303
    goal = saved_goal(client.application, membership_id(world, world.mentee))
    assert goal.topics == [terms.public_speaking, terms.data_science, terms.security]
    assert goal.timezone == "Europe/Lisbon" and goal.languages == ["en", "pt"]
    assert goal.years == 2 and goal.preference == "ahead" and goal.submitted_at is not None
    assert goal.context_matters == ["industry", "groups"]


def test_goal_form_page_prefills_time_zone_from_the_browser_for_a_new_form(client, world, terms):
    login(client, world.mentee)
    html = client.get(goals_url(world)).get_data(as_text=True)
    assert 'data-tz-default' in html
    assert '<option selected value="">' in html or '<option value="" selected>' in html
    assert '<option value="Europe/London">' in html


@pytest.mark.parametrize("field, value, message", [
    ("years", "61", "between 0 and 60"),
    ("years", "-1", "between 0 and 60"),
    ("timezone", "Mars/Olympus_Mons", "Choose a time zone from the list"),
    ("near_term_goal", "Grow", "at least 15 characters"),
    ("near_term_goal", "x" * 1001, "under 1000 characters"),
    ("preference", "boss", "Choose one of the options"),
    ("wants", "everything", "Choose one of the options"),
    ("role_level", "overlord", "Choose your current level"),
    ("languages", ["xx"], "Choose from the options"),
    ("languages", [], "at least one language"),
    ("context_matters", ["salary"], "Choose from the options"),
    ("industry", "i" * 81, "under 80 characters"),
    ("power_question", "", "Please fill in your question"),
])
def test_bad_input_saves_nothing_and_shows_the_error_next_to_the_field(client, world, terms, field, value, message):
    login(client, world.mentee)
    response = post_form(client, goals_url(world), goal_data(terms, **{field: value}))
    html = response.get_data(as_text=True)
    assert response.status_code == 200
    assert f'id="{field}-error"' in html and message in html
    assert saved_goal(client.application, membership_id(world, world.mentee)) is None


def test_a_failed_submit_keeps_everything_typed(client, world, terms):
    login(client, world.mentee)
    data = goal_data(terms, years="99", near_term_goal="Give my first conference talk on data pipelines")
    html = post_form(client, goals_url(world), data).get_data(as_text=True)
    assert "Give my first conference talk on data pipelines" in html
    assert f'name="topics" value="{terms.data_science}"' in html
    assert 'value="Europe/Lisbon" selected' in html or 'selected value="Europe/Lisbon"' in html
    assert "Could you review my two-page design doc" in html


def test_topics_from_another_program_are_refused(client, world, terms):
    login(client, world.mentee)
    html = post_form(client, goals_url(world), goal_data(terms, topics=[str(terms.foreign)])).get_data(as_text=True)
    assert 'id="topics-error"' in html and "Pick from the program" in html
    assert saved_goal(client.application, membership_id(world, world.mentee)) is None


def test_more_than_five_topics_are_refused(client, world, terms):
    login(client, world.mentee)
    many = [str(terms.ids[n]) for n in ("Backend development", "Data science", "Public speaking", "Career change",
                                          "Security")]
    assert post_form(client, goals_url(world), goal_data(terms, topics=many)).status_code == 303
    with client.application.app_context():
        from mentormatch.services import ServiceError
        from mentormatch.services.people import goal_forms
        with pytest.raises(ServiceError) as error:
            goal_forms.check_goal_form(world.program.id, {**goal_data(terms), "topics": many + [terms.women_in_tech]})
        assert error.value.field == "topics"


def test_a_mentee_can_edit_their_saved_form(client, world, terms):
    login(client, world.mentee)
    post_form(client, goals_url(world), goal_data(terms))
    assert "Lead my first feature" in client.get(goals_url(world)).get_data(as_text=True)
    post_form(client, goals_url(world), goal_data(terms, near_term_goal="Pass the AWS associate exam this spring."))
    assert saved_goal(client.application, membership_id(world, world.mentee)).near_term_goal.startswith("Pass the AWS")


def test_inline_validation_shows_the_error_for_one_field(client, world, terms):
    login(client, world.mentee)
    response = check(client, world, "years", goal_data(terms, years="70", timezone="Nowhere"))
    html = response.get_data(as_text=True)
    assert response.status_code == 200
    assert '<div id="years-feedback"' in html and "between 0 and 60" in html
    assert "Choose a time zone" not in html  # only the field being checked
    assert 'id="completeness"' in html and 'hx-swap-oob="true"' in html
    assert "<html" not in html


def test_inline_validation_of_a_good_value_clears_the_error(client, world, terms):
    login(client, world.mentee)
    html = check(client, world, "years", goal_data(terms, years="5")).get_data(as_text=True)
    assert '<div id="years-feedback"' in html and 'class="error"' not in html


def test_inline_validation_of_an_unknown_field_is_404(client, world, terms):
    login(client, world.mentee)
    assert check(client, world, "role", {"role": "coordinator"}).status_code == 404


def test_completeness_indicator_counts_what_is_filled_in(client, world, terms):
    login(client, world.mentee)
    html = check(client, world, "near_term_goal", {"near_term_goal": "Lead my first feature end to end."}).get_data(as_text=True)
    assert "<strong>14%</strong>" in html  # 1 of 7
    html = check(client, world, "near_term_goal", goal_data(terms)).get_data(as_text=True)
    assert "<strong>100%</strong>" in html and "Everything is filled in" in html


@pytest.mark.parametrize("question", [
    "Will you be my mentor?",
    "How do I get into tech?",
    "Any advice for a junior developer like me?",
    "Career help please",
])
def test_vague_asks_get_a_gentle_hint_as_they_type(client, world, terms, question):
    login(client, world.mentee)
    html = check(client, world, "power_question", {"power_question": question}).get_data(as_text=True)
    assert 'class="hint"' in html


def test_a_small_specific_question_gets_no_hint(client, world, terms):
    login(client, world.mentee)
    html = check(client, world, "power_question", goal_data(terms)).get_data(as_text=True)
    assert 'class="hint"' not in html and 'class="error"' not in html


def test_the_vague_hint_never_blocks_saving_and_shows_on_the_page(client, world, terms):
    login(client, world.mentee)
    question = "Will you be my mentor? I would love to learn from you."
    assert post_form(client, goals_url(world), goal_data(terms, power_question=question)).status_code == 303
    html = client.get(goals_url(world)).get_data(as_text=True)
    assert "big, open ask" in html
    assert "Could you look at my 5-slide pitch" in html  # the examples are shown


def test_topic_search_filters_the_programs_topics(client, world, terms):
    login(client, world.mentee)
    response = client.get(f"{goals_url(world)}/topics?topic_q=dat", headers=HX)
    html = response.get_data(as_text=True)
    assert response.status_code == 200 and "Vary" in response.headers and "HX-Request" in response.headers["Vary"]
    assert "Data science" in html and "Security" not in html and "Foreign topic" not in html
    assert html.lstrip().startswith('<ul id="topic-results"')


def test_topic_picker_adds_moves_and_removes_without_saving(client, world, terms):
    login(client, world.mentee)
    token = csrf_from(client.get(goals_url(world)).get_data(as_text=True))
    url = f"{goals_url(world)}/topics"
    ds, sec = terms.data_science, terms.security
    html = client.post(url, data={"csrf_token": token, "topics": [str(ds)], "topic_op": f"add:{sec}"},
                       headers=HX).get_data(as_text=True)
    assert html.index(f'name="topics" value="{ds}"') < html.index(f'name="topics" value="{sec}"')
    html = client.post(url, data={"csrf_token": token, "topics": [str(ds), str(sec)], "topic_op": f"up:{sec}"},
                       headers=HX).get_data(as_text=True)
    assert html.index(f'name="topics" value="{sec}"') < html.index(f'name="topics" value="{ds}"')
    html = client.post(url, data={"csrf_token": token, "topics": [str(ds), str(sec)], "topic_op": f"remove:{ds}"},
                       headers=HX).get_data(as_text=True)
    assert f'name="topics" value="{ds}"' not in html and f'name="topics" value="{sec}"' in html
    assert saved_goal(client.application, membership_id(world, world.mentee)) is None


def test_the_picker_refuses_a_sixth_topic_with_a_message(client, world, terms):
    login(client, world.mentee)
    token = csrf_from(client.get(goals_url(world)).get_data(as_text=True))
    five = [str(i) for n, i in terms.ids.items() if n in ("Backend development", "Data science", "Public speaking",
                                                          "Career change", "Security")]
    html = client.post(f"{goals_url(world)}/topics", headers=HX, data={
        "csrf_token": token, "topics": five[:4], "topic_op": f"add:{five[4]}"}).get_data(as_text=True)
    assert html.count('name="topics"') == 5
    html = client.post(f"{goals_url(world)}/topics", headers=HX, data={
        "csrf_token": token, "topics": five, "topic_op": f"add:{terms.women_in_tech}"}).get_data(as_text=True)
    assert "remove one to add another" in html and html.count('name="topics"') == 5


def test_without_javascript_picker_buttons_change_the_list_and_keep_typed_text(client, world, terms):
    login(client, world.mentee)
    data = goal_data(terms, topics=[str(terms.data_science)], near_term_goal="Half-typed goal about data pipelines",
                     topic_op=f"add:{terms.security}")
    response = post_form(client, goals_url(world), data)
    html = response.get_data(as_text=True)
    assert response.status_code == 200
    assert "Half-typed goal about data pipelines" in html
    assert f'name="topics" value="{terms.security}"' in html
    assert saved_goal(client.application, membership_id(world, world.mentee)) is None


def test_extra_posted_fields_change_nothing(client, world, terms):
    login(client, world.mentee)
    own, other = membership_id(world, world.mentee), membership_id(world, world.other_mentee, world.other_program)
    data = goal_data(terms, role="coordinator", owner=str(world.other_mentee.id), membership_id=str(other),
                     program=str(world.other_program.id), program_id=str(world.other_program.id),
                     status="approved", submitted_at="2000-01-01", user_id=str(world.other_mentee.id))
    assert post_form(client, goals_url(world), data).status_code == 303
    with client.application.app_context():
        assert db.session.get(User, world.mentee.id).role == "mentee"
        forms = db.session.scalars(db.select(GoalForm)).all()
        assert [f.membership_id for f in forms] == [own]
        assert forms[0].submitted_at.year != 2000


def test_script_typed_into_text_fields_comes_back_escaped(client, world, terms):
    login(client, world.mentee)
    evil = "<script>alert('x')</script> and more words here"
    data = goal_data(terms, near_term_goal=evil, long_term_goal=evil, industry="<b>bold</b>", background=evil[:150],
                     location="<img src=x onerror=alert(1)>", power_question=evil)
    assert post_form(client, goals_url(world), data).status_code == 303
    for url in (goals_url(world), "/mentee/"):
        html = client.get(url).get_data(as_text=True)
        assert "<script>alert" not in html and "&lt;script&gt;alert" in html
        assert "<img src=x" not in html and "<b>bold</b>" not in html
    # The inline check echoes nothing raw either.
    html = check(client, world, "near_term_goal", {"near_term_goal": "<script>x</script>"}).get_data(as_text=True)
    assert "<script>" not in html


def test_a_mentee_in_two_programs_has_one_form_per_program(client, world, terms, make_program):
    second = make_program(world.coordinator, "Second program", [world.mentee])
    login(client, world.mentee)
    assert post_form(client, goals_url(world), goal_data(terms)).status_code == 303
    html = client.get(goals_url(world, second)).get_data(as_text=True)
    assert "Lead my first feature" not in html and "not saved yet" in html
    home = client.get("/mentee/").get_data(as_text=True)
    assert "Main program" in home and "Second program" in home


def test_a_mentee_cannot_open_or_change_another_programs_form_by_editing_the_id(client, world, terms):
    login(client, world.mentee)
    other = world.other_program.id
    assert client.get(f"/mentee/programs/{other}/goals").status_code == 404
    token = csrf_from(client.get(goals_url(world)).get_data(as_text=True))
    response = client.post(f"/mentee/programs/{other}/goals", data={"csrf_token": token, **goal_data(terms)})
    assert response.status_code == 404
    assert saved_goal(client.application, membership_id(world, world.other_mentee, world.other_program)) is None


def test_an_empty_submit_lists_every_problem_at_once_and_saves_nothing(client, world, terms):
    login(client, world.mentee)
    html = post_form(client, goals_url(world), {"timezone": ""}).get_data(as_text=True)
    assert 'role="alert"' in html and "answers need a look" in html
    for field in ("near_term_goal", "topics", "languages", "timezone", "power_question"):
        assert f'id="{field}-error"' in html, field
    assert saved_goal(client.application, membership_id(world, world.mentee)) is None


def test_checkbox_groups_are_checked_inline_as_a_whole(app, client, world):
    """Unticking every language gets the error next to the language group, before any submit."""
    login(client, world.mentee)
    page = client.get(f"/mentee/programs/{world.program.id}/goals").get_data(as_text=True)
    assert f'hx-post="/mentee/programs/{world.program.id}/goals/check?field=languages"' in page
    response = client.post(f"/mentee/programs/{world.program.id}/goals/check?field=languages",
                           data={"csrf_token": csrf_from(page), "near_term_goal": "x"},
                           headers={"HX-Request": "true"})
    html = response.get_data(as_text=True)
    assert response.status_code == 200 and 'id="languages-error"' in html
