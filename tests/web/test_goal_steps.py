"""Goal steps: the mentee plans and ticks off steps; their mentor sees the progress."""
from mentormatch.extensions import db
from mentormatch.models import GoalStep
from tests.conftest import csrf_from, login, post_form
from tests.web.test_lifecycle_data import add_goal, add_pairing, add_profile, frozen, mid  # noqa: F401


def _steps(app):
    with app.app_context():
        return [(s.title, s.done_at is not None) for s in db.session.scalars(db.select(GoalStep).order_by(GoalStep.position))]


def _url(w):
    return f"/steps/programs/{w.program.id}"


def test_mentee_adds_ticks_and_removes_steps(app, client, world, frozen):
    add_goal(app, mid(world, world.mentee))
    login(client, world.mentee)
    assert "Ship my first feature" in client.get(_url(world)).get_data(as_text=True)
    assert post_form(client, _url(world), {"title": "Pick the feature"}).status_code == 303
    post_form(client, _url(world), {"title": "Write the design doc"})
    assert _steps(app) == [("Pick the feature", False), ("Write the design doc", False)]
    with app.app_context():
        first = db.session.scalar(db.select(GoalStep.id).order_by(GoalStep.position))
    assert post_form(client, f"/steps/{first}/toggle", {"done": "yes"}, page=_url(world)).status_code == 303
    assert _steps(app)[0] == ("Pick the feature", True)
    post_form(client, f"/steps/{first}/toggle", {"done": "no"}, page=_url(world))
    assert _steps(app)[0] == ("Pick the feature", False)
    post_form(client, f"/steps/{first}/delete", {}, page=_url(world))
    assert _steps(app) == [("Write the design doc", False)]


def test_ticking_with_htmx_returns_only_the_steps_partial(app, client, world, frozen):
    login(client, world.mentee)
    post_form(client, _url(world), {"title": "Pick the feature"})
    with app.app_context():
        sid = db.session.scalar(db.select(GoalStep.id))
    response = post_form(client, f"/steps/{sid}/toggle", {"done": "yes"}, page=_url(world), headers={"HX-Request": "true"})
    html = response.get_data(as_text=True)
    assert response.status_code == 200 and "<html" not in html and 'id="goal-steps"' in html and "1 of 1 done" in html
    assert "HX-Request" in response.headers["Vary"]


def test_an_empty_step_is_refused_next_to_the_field(app, client, world, frozen):
    login(client, world.mentee)
    html = post_form(client, _url(world), {"title": "   "}).get_data(as_text=True)
    assert 'id="title-error"' in html and _steps(app) == []


def test_the_mentor_sees_progress_on_the_mentees_page(app, client, world, frozen):
    add_profile(app, mid(world, world.mentor))
    add_goal(app, mid(world, world.mentee))
    add_pairing(app, world.program.id, mid(world, world.mentee), mid(world, world.mentor), state="active")
    mentee = app.test_client()
    login(mentee, world.mentee)
    post_form(mentee, _url(world), {"title": "Pick the feature"})
    post_form(mentee, _url(world), {"title": "<script>alert(1)</script> demo"})
    with app.app_context():
        sid = db.session.scalar(db.select(GoalStep.id).order_by(GoalStep.position))
    post_form(mentee, f"/steps/{sid}/toggle", {"done": "yes"}, page=_url(world))
    login(client, world.mentor)
    html = client.get(f"/mentor/programs/{world.program.id}/mentees/{mid(world, world.mentee)}").get_data(as_text=True)
    assert "1 of 2 done" in html and "Pick the feature" in html
    assert "<script>alert(1)" not in html and "&lt;script&gt;" in html


def test_a_mentor_cannot_tick_the_mentees_steps(app, client, world, frozen):
    login(client, world.mentee)
    post_form(client, _url(world), {"title": "Pick the feature"})
    with app.app_context():
        sid = db.session.scalar(db.select(GoalStep.id))
    mentor = app.test_client()
    login(mentor, world.mentor)
    token = csrf_from(mentor.get("/auth/login").get_data(as_text=True))
    assert mentor.post(f"/steps/{sid}/toggle", data={"csrf_token": token, "done": "yes"}).status_code == 403
    assert _steps(app) == [("Pick the feature", False)]


def test_posted_membership_is_ignored(app, client, world, frozen):
    login(client, world.mentee)
    post_form(client, _url(world), {"title": "Pick the feature", "membership_id": "1", "done_at": "2020-01-01"})
    with app.app_context():
        s = db.session.scalar(db.select(GoalStep))
        assert s.membership_id == mid(world, world.mentee) and s.done_at is None
