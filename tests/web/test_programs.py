"""Coordinators create programs, share invite links, see who joined, and invite coordinators."""
from mentormatch.extensions import db
from mentormatch.models import Invitation, Program, ProgramCoordinator, User
from tests.conftest import login, post_form


def program_count(app) -> int:
    with app.app_context():
        return db.session.scalar(db.select(db.func.count(Program.id)))


def test_coordinator_creates_a_program_and_sees_its_invite_links(app, client, make_user):
    coordinator = make_user("coordinator")
    login(client, coordinator)
    response = post_form(client, "/coordinator/programs/new",
                         {"name": "Bootcamp 2027", "description": "Spring cohort", "offers_rounds": "y"})
    assert response.status_code == 303
    page = client.get(response.headers["Location"]).get_data(as_text=True)
    with app.app_context():
        program = db.session.scalar(db.select(Program).where(Program.name == "Bootcamp 2027"))
        assert program.offers_rounds and not program.offers_micro
        assert f"/join/{program.mentor_invite}" in page and f"/join/{program.mentee_invite}" in page


def test_a_program_must_run_rounds_or_micro_requests(app, client, make_user):
    login(client, make_user("coordinator"))
    response = post_form(client, "/coordinator/programs/new", {"name": "Empty"})
    assert "cohort rounds, micro-requests, or both" in response.get_data(as_text=True)
    assert program_count(app) == 0


def test_program_name_is_required_and_limited(app, client, make_user):
    login(client, make_user("coordinator"))
    for name, message in (("", "Give the program a name."), ("x" * 121, "120")):
        response = post_form(client, "/coordinator/programs/new", {"name": name, "offers_micro": "y"})
        assert message in response.get_data(as_text=True)
    assert program_count(app) == 0


def test_coordinator_sees_only_programs_they_coordinate(client, world):
    login(client, world.coordinator)
    home = client.get("/coordinator/").get_data(as_text=True)
    assert "Main program" in home and "Other program" not in home
    assert client.get(f"/coordinator/programs/{world.other_program.id}").status_code == 404
    assert client.get(f"/coordinator/programs/{world.other_program.id}/edit").status_code == 404


def test_coordinator_cannot_edit_another_program_by_changing_the_id(app, client, world):
    login(client, world.coordinator)
    response = post_form(client, f"/coordinator/programs/{world.other_program.id}/edit",
                         {"name": "Hijacked", "offers_micro": "y"}, page="/coordinator/programs/new")
    assert response.status_code == 404
    with app.app_context():
        assert db.session.get(Program, world.other_program.id).name == "Other program"


def test_program_page_lists_who_joined(client, world):
    login(client, world.coordinator)
    page = client.get(f"/coordinator/programs/{world.program.id}").get_data(as_text=True)
    assert "Milo Mentor" in page and "Mira Mentee" in page and "Olga Outsider" not in page


def test_edit_program_ignores_posted_invite_tokens(app, client, world):
    login(client, world.coordinator)
    post_form(client, f"/coordinator/programs/{world.program.id}/edit",
              {"name": "Renamed", "offers_micro": "y", "mentor_invite": "chosen-by-me", "id": "77"})
    with app.app_context():
        program = db.session.get(Program, world.program.id)
        assert program.name == "Renamed" and program.mentor_invite == world.program.mentor_invite


def test_program_text_is_escaped(client, make_user):
    login(client, make_user("coordinator"))
    response = post_form(client, "/coordinator/programs/new",
                         {"name": "<script>alert(1)</script>", "description": "<img src=x onerror=alert(2)>",
                          "offers_micro": "y"})
    page = client.get(response.headers["Location"]).get_data(as_text=True)
    assert "<script>alert(1)</script>" not in page and "&lt;script&gt;alert(1)&lt;/script&gt;" in page
    assert "<img src=x" not in page


def test_coordinator_invites_a_coordinator_who_then_coordinates_the_program(app, client, world):
    login(client, world.coordinator)
    post_form(client, f"/coordinator/programs/{world.program.id}/coordinators", {"email": "co@example.org"},
              page=f"/coordinator/programs/{world.program.id}")
    with app.app_context():
        token = db.session.scalar(db.select(Invitation.token).where(Invitation.email == "co@example.org"))
    invitee = app.test_client()
    response = post_form(invitee, f"/auth/coordinator-invite/{token}", {"name": "Co Ordinator", "password": "co-ordinating well"})
    assert response.status_code == 303
    assert "Main program" in invitee.get("/coordinator/").get_data(as_text=True)
    with app.app_context():
        user = db.session.scalar(db.select(User).where(User.email == "co@example.org"))
        assert user.role == "coordinator"
        assert db.session.scalar(db.select(ProgramCoordinator).where(ProgramCoordinator.user_id == user.id))
    # Single use.
    assert app.test_client().get(f"/auth/coordinator-invite/{token}").status_code == 404


def test_security_headers_are_present(client):
    response = client.get("/auth/login")
    assert response.headers["Content-Security-Policy"].startswith("default-src 'self'")
    assert "script-src 'self'" in response.headers["Content-Security-Policy"]
    assert response.headers["X-Content-Type-Options"] == "nosniff"
    assert response.headers["X-Frame-Options"] == "DENY"
    assert response.headers["Referrer-Policy"] == "same-origin"


def test_pages_have_no_inline_script(client, world):
    login(client, world.coordinator)
    for url in ("/coordinator/", f"/coordinator/programs/{world.program.id}", "/coordinator/programs/new"):
        html = client.get(url).get_data(as_text=True)
        assert "<script>" not in html and " style=" not in html and "onclick=" not in html


def test_every_page_links_a_favicon_that_is_served(client):
    import re

    html = client.get("/auth/login").get_data(as_text=True)
    href = re.search(r'<link rel="icon" href="([^"]+)"', html).group(1)
    with client.get(href) as icon:
        assert icon.status_code == 200 and icon.mimetype == "image/svg+xml" and b"<svg" in icon.data


def test_htmx_requests_carry_csrf_token_header_on_body(client, world):
    login(client, world.coordinator)
    html = client.get("/coordinator/").get_data(as_text=True)
    assert 'hx-headers=\'{"X-CSRFToken": "' in html


def test_error_pages_are_friendly(client):
    response = client.get("/no/such/page")
    assert response.status_code == 404 and "Not found" in response.get_data(as_text=True)
