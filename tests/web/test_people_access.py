"""Who may read what: goal forms by role and owner, private notes, and the coordinator's view."""
import pytest

from mentormatch.extensions import db
from mentormatch.models import Note
from tests.conftest import csrf_from, login, post_form
from tests.web.test_people_support import add_member, goal_data, make_pairing, membership_id, terms  # noqa: F401

HX = {"HX-Request": "true"}


@pytest.fixture
def mentee_with_goals(client, world, terms):
    login(client, world.mentee)
    data = goal_data(terms, industry="Insurance", location="Porto", background="Former teacher",
                     context_matters=["industry"])
    assert post_form(client, f"/mentee/programs/{world.program.id}/goals", data).status_code == 303
    client.post("/auth/logout", data={"csrf_token": csrf_from(client.get("/mentee/").get_data(as_text=True))})
    return world


def mentee_page(world, user=None):
    return f"/mentor/programs/{world.program.id}/mentees/{membership_id(world, user or world.mentee)}"


@pytest.mark.parametrize("state", ["accepted", "active"])
def test_mentor_reads_the_goal_form_of_a_current_mentee(app, client, mentee_with_goals, state):
    world = mentee_with_goals
    make_pairing(app, world, world.mentor, world.mentee, state=state)
    login(client, world.mentor)
    html = client.get(mentee_page(world)).get_data(as_text=True)
    assert "Lead my first feature" in html and "Could you review my two-page design doc" in html
    home = client.get("/mentor/").get_data(as_text=True)
    assert "Mira Mentee" in home and "Lead my first feature" in home


@pytest.mark.parametrize("state", ["proposed", "info_requested", "declined", "completed", "expired"])
def test_mentor_cannot_read_the_goal_form_unless_the_pairing_is_current(app, client, mentee_with_goals, state):
    world = mentee_with_goals
    make_pairing(app, world, world.mentor, world.mentee, state=state)
    login(client, world.mentor)
    assert client.get(mentee_page(world)).status_code == 404


def test_mentor_cannot_read_another_mentors_mentee(app, client, mentee_with_goals, make_user):
    world = mentee_with_goals
    rival = make_user("mentor", "Rita Rival")
    add_member(app, world.program, rival)
    make_pairing(app, world, rival, world.mentee, state="active")
    login(client, world.mentor)
    assert client.get(mentee_page(world)).status_code == 404
    assert "Lead my first feature" not in client.get("/mentor/").get_data(as_text=True)


def test_mentor_sees_only_the_context_the_mentee_chose_to_share(app, client, mentee_with_goals):
    world = mentee_with_goals
    make_pairing(app, world, world.mentor, world.mentee)
    login(client, world.mentor)
    html = client.get(mentee_page(world)).get_data(as_text=True)
    assert "Insurance" in html  # ticked
    assert "Porto" not in html and "Former teacher" not in html and "Women in tech" not in html


def test_mentee_cannot_open_mentor_pages_and_mentor_cannot_open_goal_forms(client, world, terms):
    login(client, world.mentee)
    assert client.get(mentee_page(world)).status_code == 403
    client.post("/auth/logout", data={"csrf_token": csrf_from(client.get("/mentee/").get_data(as_text=True))})
    login(client, world.mentor)
    assert client.get(f"/mentee/programs/{world.program.id}/goals").status_code == 403


def test_mentor_saves_private_notes_on_a_current_mentee(app, client, mentee_with_goals):
    world = mentee_with_goals
    make_pairing(app, world, world.mentor, world.mentee)
    login(client, world.mentor)
    url = mentee_page(world) + "/note"
    assert post_form(client, url, {"body": "Prefers async feedback."}, page=mentee_page(world)).status_code == 303
    assert "Prefers async feedback." in client.get(mentee_page(world)).get_data(as_text=True)
    # Saved in place with htmx: the partial comes back alone.
    token = csrf_from(client.get(mentee_page(world)).get_data(as_text=True))
    response = client.post(url, data={"csrf_token": token, "body": "Second thought."}, headers=HX)
    html = response.get_data(as_text=True)
    assert response.status_code == 200 and html.lstrip().startswith('<form id="note-form"') and "Saved just now" in html
    with app.app_context():
        assert [n.body for n in db.session.scalars(db.select(Note))] == ["Second thought."]


def test_mentor_cannot_read_another_mentors_notes(app, client, mentee_with_goals, make_user):
    world = mentee_with_goals
    rival = make_user("mentor", "Rita Rival")
    add_member(app, world.program, rival)
    make_pairing(app, world, world.mentor, world.mentee)
    make_pairing(app, world, rival, world.mentee, state="active")  # both currently mentor her
    login(client, world.mentor)
    post_form(client, mentee_page(world) + "/note", {"body": "SECRET-NOTE-OF-MILO"}, page=mentee_page(world))
    client.post("/auth/logout", data={"csrf_token": csrf_from(client.get("/mentor/").get_data(as_text=True))})
    login(client, rival)
    html = client.get(mentee_page(world)).get_data(as_text=True)
    assert "Lead my first feature" in html and "SECRET-NOTE-OF-MILO" not in html
    # Saving her own note does not touch his.
    post_form(client, mentee_page(world) + "/note", {"body": "Rita's own"}, page=mentee_page(world))
    with app.app_context():
        assert sorted(n.body for n in db.session.scalars(db.select(Note))) == ["Rita's own", "SECRET-NOTE-OF-MILO"]


def test_notes_are_hidden_from_mentee_and_coordinator(app, client, mentee_with_goals):
    world = mentee_with_goals
    make_pairing(app, world, world.mentor, world.mentee)
    login(client, world.mentor)
    post_form(client, mentee_page(world) + "/note", {"body": "SECRET-NOTE"}, page=mentee_page(world))
    client.post("/auth/logout", data={"csrf_token": csrf_from(client.get("/mentor/").get_data(as_text=True))})
    login(client, world.mentee)
    for url in ("/mentee/", f"/mentee/programs/{world.program.id}/goals"):
        assert "SECRET-NOTE" not in client.get(url).get_data(as_text=True)
    client.post("/auth/logout", data={"csrf_token": csrf_from(client.get("/mentee/").get_data(as_text=True))})
    login(client, world.coordinator)
    page = f"/coordinator/programs/{world.program.id}/people/{membership_id(world, world.mentee)}"
    html = client.get(page).get_data(as_text=True)
    assert "Lead my first feature" in html and "SECRET-NOTE" not in html


def test_mentor_cannot_write_notes_on_a_mentee_who_is_not_theirs(app, client, mentee_with_goals):
    world = mentee_with_goals
    make_pairing(app, world, world.mentor, world.mentee, state="proposed")
    login(client, world.mentor)
    token = csrf_from(client.get("/mentor/").get_data(as_text=True))
    response = client.post(mentee_page(world) + "/note", data={"csrf_token": token, "body": "sneaky"})
    assert response.status_code == 404
    with app.app_context():
        assert db.session.scalar(db.select(Note)) is None


def test_notes_are_escaped(app, client, mentee_with_goals):
    world = mentee_with_goals
    make_pairing(app, world, world.mentor, world.mentee)
    login(client, world.mentor)
    post_form(client, mentee_page(world) + "/note", {"body": "<script>alert(1)</script>"}, page=mentee_page(world))
    html = client.get(mentee_page(world)).get_data(as_text=True)
    assert "<script>alert(1)" not in html and "&lt;script&gt;alert(1)" in html


def test_mentee_goal_text_is_escaped_on_the_mentor_page(app, client, world, terms):
    login(client, world.mentee)
    post_form(client, f"/mentee/programs/{world.program.id}/goals",
              goal_data(terms, power_question="<script>alert(2)</script> please look at my slides"))
    client.post("/auth/logout", data={"csrf_token": csrf_from(client.get("/mentee/").get_data(as_text=True))})
    make_pairing(app, world, world.mentor, world.mentee)
    login(client, world.mentor)
    for url in (mentee_page(world), "/mentor/"):
        html = client.get(url).get_data(as_text=True)
        assert "<script>alert(2)" not in html and "&lt;script&gt;alert(2)" in html


def test_the_note_form_tells_the_mentor_the_mentee_sees_notes_in_their_data_export(app, client, mentee_with_goals):
    """A note about a mentee is their personal data (GDPR right of access): it is in their export,
    and the form says so where the note is written, on the page and in the htmx partial."""
    world = mentee_with_goals
    make_pairing(app, world, world.mentor, world.mentee)
    login(client, world.mentor)
    hint = "the mentee sees these notes if they request their data"
    html = client.get(mentee_page(world)).get_data(as_text=True)
    assert hint in html and "Only you can read" not in html
    token = csrf_from(html)
    partial = client.post(mentee_page(world) + "/note", data={"csrf_token": token, "body": "NOTE-FOR-EXPORT"},
                          headers=HX).get_data(as_text=True)
    assert hint in partial
    client.post("/auth/logout", data={"csrf_token": csrf_from(client.get("/mentor/").get_data(as_text=True))})
    login(client, world.mentee)
    assert "NOTE-FOR-EXPORT" in client.get("/account/data.json").get_data(as_text=True)
    assert "NOTE-FOR-EXPORT" in client.get("/account/data").get_data(as_text=True)
