"""The coordinator's view of people and the program's topic and affinity-group lists."""
from mentormatch.extensions import db
from mentormatch.models import GoalForm, Term
from tests.conftest import csrf_from, login, post_form
from tests.web.test_people_support import goal_data, membership_id, profile_data, terms  # noqa: F401


def logout(client, page="/"):
    client.post("/auth/logout", data={"csrf_token": csrf_from(client.get(page).get_data(as_text=True))})


def test_coordinator_sees_who_has_completed_their_form(client, world, terms, make_user, app):
    from tests.web.test_people_support import add_member
    late = make_user("mentee", "Lena Late")
    add_member(app, world.program, late)
    login(client, world.mentee)
    post_form(client, f"/mentee/programs/{world.program.id}/goals", goal_data(terms))
    logout(client, "/mentee/")
    login(client, world.coordinator)
    html = client.get(f"/coordinator/programs/{world.program.id}/people").get_data(as_text=True)
    mira, lena = html.index("Mira Mentee"), html.index("Lena Late")
    assert "Complete" in html[mira:mira + 400] and "Missing" in html[lena:lena + 400]
    assert "Milo Mentor" in html and "Not started" in html
    assert "Oren Outsider" not in html  # another program's mentee
    person = client.get(f"/coordinator/programs/{world.program.id}/people/{membership_id(world, world.mentee)}")
    assert "Lead my first feature" in person.get_data(as_text=True)


def test_coordinator_sees_a_mentors_profile(client, world, terms):
    login(client, world.mentor)
    post_form(client, f"/mentor/programs/{world.program.id}/profile", profile_data(terms))
    logout(client, "/mentor/")
    login(client, world.coordinator)
    html = client.get(f"/coordinator/programs/{world.program.id}/people/{membership_id(world, world.mentor)}").get_data(
        as_text=True)
    assert "0 of 3 seats taken" in html and "Backend lead in payments." in html and "Security" in html


def test_coordinator_cannot_view_a_person_from_another_program_by_editing_the_id(client, world):
    login(client, world.coordinator)
    stranger = membership_id(world, world.other_mentee, world.other_program)
    assert client.get(f"/coordinator/programs/{world.program.id}/people/{stranger}").status_code == 404
    assert client.get(f"/coordinator/programs/{world.other_program.id}/people/{stranger}").status_code == 404


def test_coordinator_adds_topics_and_groups_and_duplicates_are_refused(app, client, world):
    login(client, world.coordinator)
    url = f"/coordinator/programs/{world.program.id}/topics"
    assert post_form(client, url, {"name": "  Data   science ", "kind": "topic"}).status_code == 303
    assert post_form(client, url, {"name": "Parents", "kind": "group"}).status_code == 303
    response = post_form(client, url, {"name": "data science", "kind": "topic"})
    assert response.status_code == 200 and "already on the list" in response.get_data(as_text=True)
    response = post_form(client, url, {"name": "x", "kind": "salary"})
    assert 'id="kind-error"' in response.get_data(as_text=True) or "Choose topic" in response.get_data(as_text=True)
    response = post_form(client, url, {"name": "", "kind": "topic"})
    assert 'id="name-error"' in response.get_data(as_text=True)
    with app.app_context():
        assert sorted((t.kind, t.name) for t in db.session.scalars(db.select(Term))) == [
            ("group", "Parents"), ("topic", "Data science")]


def test_coordinator_renames_a_topic_and_clashes_are_refused(app, client, world, terms):
    login(client, world.coordinator)
    base = f"/coordinator/programs/{world.program.id}/topics"
    assert post_form(client, f"{base}/{terms.security}/rename", {"name": "Application security"},
                     page=base).status_code == 303
    response = post_form(client, f"{base}/{terms.security}/rename", {"name": "Data science"}, page=base)
    assert response.status_code == 200 and "merge the two instead" in response.get_data(as_text=True)
    with app.app_context():
        assert db.session.get(Term, terms.security).name == "Application security"


def test_merging_a_topic_rewrites_every_form_that_used_it_keeping_order(app, client, world, terms):
    login(client, world.mentee)
    order = [str(terms.career_change), str(terms.data_science), str(terms.security)]
    post_form(client, f"/mentee/programs/{world.program.id}/goals", goal_data(terms, topics=order))
    logout(client, "/mentee/")
    login(client, world.coordinator)
    base = f"/coordinator/programs/{world.program.id}/topics"
    response = post_form(client, f"{base}/{terms.security}/merge", {"target": str(terms.career_change)}, page=base)
    assert response.status_code == 303
    with app.app_context():
        assert db.session.get(Term, terms.security) is None
        assert db.session.scalar(db.select(GoalForm.topics)) == [terms.career_change, terms.data_science]


def test_a_topic_cannot_be_merged_into_another_programs_topic_or_a_group(app, client, world, terms):
    login(client, world.coordinator)
    base = f"/coordinator/programs/{world.program.id}/topics"
    for target in (terms.foreign, terms.parents, terms.security):
        response = post_form(client, f"{base}/{terms.security}/merge", {"target": str(target)}, page=base)
        assert response.status_code == 200
    with app.app_context():
        assert db.session.get(Term, terms.security) is not None and db.session.get(Term, terms.foreign) is not None


def test_a_coordinator_cannot_touch_another_programs_terms(app, client, world, terms):
    login(client, world.coordinator)
    base = f"/coordinator/programs/{world.program.id}/topics"
    response = post_form(client, f"{base}/{terms.foreign}/rename", {"name": "Hijacked"}, page=base)
    assert response.status_code == 404
    response = post_form(client, f"/coordinator/programs/{world.other_program.id}/topics/{terms.foreign}/rename",
                         {"name": "Hijacked"}, page=base)
    assert response.status_code == 404
    with app.app_context():
        assert db.session.get(Term, terms.foreign).name == "Foreign topic"


def test_topic_names_are_escaped(client, world):
    login(client, world.coordinator)
    url = f"/coordinator/programs/{world.program.id}/topics"
    post_form(client, url, {"name": "<script>alert(4)</script>", "kind": "topic"})
    html = client.get(url).get_data(as_text=True)
    assert "<script>alert(4)" not in html and "&lt;script&gt;alert(4)" in html
