"""Sign-up, login, logout and password change, with their bad inputs."""
import pytest

from mentormatch.extensions import db
from mentormatch.models import Membership, User
from mentormatch.security import verify_password
from tests.conftest import PASSWORD, csrf_from, login, post_form


def count_users(app) -> int:
    with app.app_context():
        return db.session.scalar(db.select(db.func.count(User.id)))


def signup(client, **fields):
    data = {"name": "Sam Signup", "email": "sam@example.org", "password": "a long enough phrase", "role": "mentee"}
    return post_form(client, "/auth/signup", data | fields)


def test_signup_creates_a_mentee_logs_them_in_and_hashes_with_argon2id(app, client):
    response = signup(client)
    assert response.status_code == 303 and response.headers["Location"] == "/mentee/"
    assert "Sam Signup" in client.get("/mentee/").get_data(as_text=True)
    with app.app_context():
        user = db.session.scalar(db.select(User).where(User.email == "sam@example.org"))
        assert user.role == "mentee"
        assert user.password_hash.startswith("$argon2id$")
        assert verify_password(user.password_hash, "a long enough phrase")


def test_signup_as_mentor(client):
    assert signup(client, role="mentor").headers["Location"] == "/mentor/"


@pytest.mark.parametrize(
    "fields, field_error",
    [
        ({"password": "short"}, "at least 8 characters"),
        ({"password": "password123"}, "most common"),
        ({"password": "x" * 129}, "128"),
        ({"email": "not-an-email"}, "valid email"),
        ({"name": ""}, "Enter your name"),
        ({"role": "coordinator"}, "Not a valid choice"),
    ],
)
def test_signup_rejects_bad_input_next_to_the_field_and_saves_nothing(app, client, fields, field_error):
    before = count_users(app)
    response = signup(client, **fields)
    html = response.get_data(as_text=True)
    assert response.status_code == 200
    assert field_error in html
    assert 'class="error"' in html and 'aria-invalid="true"' in html
    assert count_users(app) == before
    # What the person typed is still there (except the password).
    if "name" not in fields:
        assert 'value="Sam Signup"' in html


def test_long_passphrases_are_accepted(client):
    assert signup(client, password="p" * 64 + " and more words").status_code == 303


def test_signup_with_a_taken_email_says_so(app, client, make_user):
    user = make_user("mentor")
    response = signup(client, email=user.email.upper())
    assert "already exists" in response.get_data(as_text=True)


def test_signup_cannot_choose_a_coordinator_role_by_posting_it(app, client):
    signup(client, role="coordinator", email="sneaky@example.org")
    with app.app_context():
        assert db.session.scalar(db.select(User).where(User.email == "sneaky@example.org")) is None


def test_signup_ignores_extra_fields(app, client):
    signup(client, email="extra@example.org", id="999", session_version="77", password_hash="x")
    with app.app_context():
        user = db.session.scalar(db.select(User).where(User.email == "extra@example.org"))
        assert user.id != 999 and user.session_version == 1 and user.password_hash.startswith("$argon2id$")


def test_login_errors_are_one_generic_message(client, make_user):
    user = make_user("mentee")
    wrong_password = post_form(client, "/auth/login", {"email": user.email, "password": "wrong password!"})
    unknown_email = post_form(client, "/auth/login", {"email": "nobody@example.org", "password": PASSWORD})
    for response in (wrong_password, unknown_email):
        assert response.status_code == 200
        assert "Email or password is incorrect." in response.get_data(as_text=True)


def test_login_then_logout(client, make_user):
    user = make_user("mentor")
    login(client, user)
    assert client.get("/mentor/").status_code == 200
    post_form(client, "/auth/logout", {}, page="/mentor/")
    assert client.get("/mentor/").status_code == 302


def test_logout_requires_post_with_csrf(client, make_user):
    login(client, make_user("mentee"))
    assert client.get("/auth/logout").status_code == 405
    assert client.post("/auth/logout").status_code == 400
    assert client.get("/mentee/").status_code == 200


def test_login_without_csrf_token_is_refused(client, make_user):
    user = make_user("mentee")
    response = client.post("/auth/login", data={"email": user.email, "password": PASSWORD})
    assert response.status_code == 400
    assert client.get("/mentee/").status_code == 302


@pytest.mark.parametrize(
    "target, expected",
    [
        ("/coordinator/programs/new", "/coordinator/programs/new"),
        ("https://evil.example.com/", "/coordinator/"),
        ("//evil.example.com/x", "/coordinator/"),
        ("/\\evil.example.com", "/coordinator/"),
        ("javascript:alert(1)", "/coordinator/"),
    ],
)
def test_next_redirect_cannot_leave_the_site(client, make_user, target, expected):
    user = make_user("coordinator")
    response = post_form(client, f"/auth/login?next={target}", {"email": user.email, "password": PASSWORD},
                         page="/auth/login")
    assert response.status_code == 303
    assert response.headers["Location"] == expected


def test_session_is_renewed_on_login(client, make_user):
    user = make_user("mentee")
    client.get("/auth/login")
    with client.session_transaction() as session:
        session["planted"] = "by an attacker"
    login(client, user)
    with client.session_transaction() as session:
        assert "planted" not in session
        assert session["_user_id"].startswith(f"{user.id}:")


@pytest.mark.parametrize("app", [{"LOGIN_RATE_LIMIT": "3 per minute"}], indirect=True)
def test_login_is_rate_limited(client, make_user):
    user = make_user("mentee")
    codes = [post_form(client, "/auth/login", {"email": user.email, "password": "wrong password!"}).status_code
             for _ in range(4)]
    assert codes == [200, 200, 200, 429]


def test_change_password_signs_out_other_sessions(app, make_user):
    user = make_user("mentor")
    first, second = app.test_client(), app.test_client()
    login(first, user)
    login(second, user)
    response = post_form(first, "/auth/password", {"current_password": PASSWORD, "new_password": "a brand new phrase"})
    assert response.status_code == 303
    assert first.get("/mentor/").status_code == 200
    assert second.get("/mentor/").status_code == 302
    fresh = app.test_client()
    login(fresh, user, "a brand new phrase")


def test_change_password_rejects_a_wrong_current_password(app, client, make_user):
    user = make_user("mentor")
    login(client, user)
    response = post_form(client, "/auth/password", {"current_password": "not it at all", "new_password": "a brand new phrase"})
    assert "not your current password" in response.get_data(as_text=True)
    with app.app_context():
        assert verify_password(db.session.get(User, user.id).password_hash, PASSWORD)


def test_signup_through_an_invite_link_joins_the_program(app, client, world):
    response = client.get(f"/join/{world.program.mentor_invite}")
    assert "Create an account and join" in response.get_data(as_text=True)
    response = post_form(client, f"/auth/signup?invite={world.program.mentor_invite}",
                         {"name": "New Mentor", "email": "newmentor@example.org", "password": "mentoring is fun",
                          "invite": world.program.mentor_invite, "role": "mentee"})
    assert response.status_code == 303 and response.headers["Location"] == "/mentor/"
    with app.app_context():
        user = db.session.scalar(db.select(User).where(User.email == "newmentor@example.org"))
        assert user.role == "mentor", "the invite decides the role, not the posted field"
        assert db.session.scalar(db.select(Membership).where(Membership.user_id == user.id)).program_id == world.program.id


def test_logged_in_user_joins_a_second_program_by_invite(app, client, world, make_program):
    extra = make_program(world.coordinator, "Second program")
    login(client, world.mentee)
    response = post_form(client, f"/join/{extra.mentee_invite}", {})
    assert response.status_code == 303
    with app.app_context():
        programs = db.session.scalars(db.select(Membership.program_id).where(Membership.user_id == world.mentee.id)).all()
        assert sorted(programs) == sorted([world.program.id, extra.id])


def test_a_mentor_invite_does_not_turn_a_mentee_into_a_mentor(app, client, world):
    login(client, world.mentee)
    response = post_form(client, f"/join/{world.other_program.mentor_invite}", {}, follow_redirects=True)
    assert "invitation is for mentors" in response.get_data(as_text=True)
    with app.app_context():
        assert db.session.scalar(db.select(Membership).where(
            Membership.user_id == world.mentee.id, Membership.program_id == world.other_program.id)) is None


def test_unknown_invite_is_a_clear_404(client):
    response = client.get("/join/not-a-real-token")
    assert response.status_code == 404 and "not valid" in response.get_data(as_text=True)
