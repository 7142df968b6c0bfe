"""A mentee reports an unresponsive mentor; it lands on the coordinator's health page."""
from mentormatch.extensions import db
from mentormatch.models import MentorReport
from tests.conftest import csrf_from, login, post_form
from tests.web.test_lifecycle_data import add_pairing, add_profile, frozen, mid, send_request  # noqa: F401

NOTE = "I sent my deck two weeks ago and heard nothing back."


def _reports(app):
    with app.app_context():
        return [(r.request_id, r.pairing_id, r.note, r.resolved_at is not None)
                for r in db.session.scalars(db.select(MentorReport).order_by(MentorReport.id))]


def test_mentee_reports_a_request_and_the_coordinator_sees_and_resolves_it(app, client, world, frozen):
    add_profile(app, mid(world, world.mentor))
    rid = send_request(app, world.mentee, world.program.id, mid(world, world.mentor))
    login(client, world.mentee)
    assert "Tell your coordinator" in client.get(f"/requests/{rid}").get_data(as_text=True)
    assert post_form(client, f"/requests/{rid}/report", {"note": NOTE}).status_code == 303
    assert _reports(app) == [(rid, None, NOTE, False)]
    coordinator = app.test_client()
    login(coordinator, world.coordinator)
    page = f"/coordinator/programs/{world.program.id}/health"
    html = coordinator.get(page).get_data(as_text=True)
    assert NOTE in html and world.mentor.name in html and world.mentee.name in html
    with app.app_context():
        report_id = db.session.scalar(db.select(MentorReport.id))
    url = f"/coordinator/programs/{world.program.id}/reports/{report_id}/resolve"
    assert post_form(coordinator, url, {}, page=page).status_code == 303
    assert _reports(app)[0][3] is True
    assert NOTE not in coordinator.get(page).get_data(as_text=True)


def test_mentee_reports_a_pairing(app, client, world, frozen):
    add_profile(app, mid(world, world.mentor))
    pid = add_pairing(app, world.program.id, mid(world, world.mentee), mid(world, world.mentor), state="active")
    login(client, world.mentee)
    assert f"/pairings/{pid}/report" in client.get("/mentee/").get_data(as_text=True)
    assert post_form(client, f"/pairings/{pid}/report", {"note": NOTE}).status_code == 303
    assert _reports(app) == [(None, pid, NOTE, False)]


def test_a_report_needs_a_sentence_and_one_is_enough(app, client, world, frozen):
    add_profile(app, mid(world, world.mentor))
    rid = send_request(app, world.mentee, world.program.id, mid(world, world.mentor))
    login(client, world.mentee)
    html = post_form(client, f"/requests/{rid}/report", {"note": "bad"}).get_data(as_text=True)
    assert 'id="note-error"' in html and _reports(app) == []
    post_form(client, f"/requests/{rid}/report", {"note": NOTE})
    html = post_form(client, f"/requests/{rid}/report", {"note": NOTE}).get_data(as_text=True)
    assert "already reported" in html and len(_reports(app)) == 1


def test_the_report_note_is_escaped_on_the_health_page(app, client, world, frozen):
    add_profile(app, mid(world, world.mentor))
    rid = send_request(app, world.mentee, world.program.id, mid(world, world.mentor))
    login(client, world.mentee)
    post_form(client, f"/requests/{rid}/report", {"note": "<script>alert(1)</script> no answer at all"})
    coordinator = app.test_client()
    login(coordinator, world.coordinator)
    html = coordinator.get(f"/coordinator/programs/{world.program.id}/health").get_data(as_text=True)
    assert "<script>alert(1)" not in html and "&lt;script&gt;alert(1)" in html


def test_mass_assignment_cannot_pick_another_mentor(app, client, world, frozen):
    add_profile(app, mid(world, world.mentor))
    rid = send_request(app, world.mentee, world.program.id, mid(world, world.mentor))
    login(client, world.mentee)
    post_form(client, f"/requests/{rid}/report", {"note": NOTE, "mentor_membership_id": "1", "resolved_at": "x"})
    with app.app_context():
        r = db.session.scalar(db.select(MentorReport))
        assert r.mentor_membership_id == mid(world, world.mentor) and r.resolved_at is None


def test_the_mentor_cannot_report_and_another_coordinator_cannot_resolve(app, client, world, frozen):
    add_profile(app, mid(world, world.mentor))
    rid = send_request(app, world.mentee, world.program.id, mid(world, world.mentor))
    login(client, world.mentor)
    token = csrf_from(client.get(f"/requests/{rid}").get_data(as_text=True))
    assert client.post(f"/requests/{rid}/report", data={"csrf_token": token, "note": NOTE}).status_code == 403
    assert _reports(app) == []
