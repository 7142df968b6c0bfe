"""Logging out ends the session on the server: a cookie copied before logout is worth nothing after."""
from mentormatch.extensions import db
from mentormatch.models import LoginSession
from tests.conftest import PASSWORD, login, post_form


def session_cookie(client) -> str:
    cookie = client.get_cookie("session")
    assert cookie is not None
    return cookie.value


def replay(app, cookie: str):
    """A different browser (an attacker) sending a copied session cookie."""
    thief = app.test_client()
    thief.set_cookie("session", cookie)
    return thief


def count_sessions(app, user) -> int:
    with app.app_context():
        return db.session.scalar(db.select(db.func.count(LoginSession.id)).where(LoginSession.user_id == user.id))


def test_a_cookie_copied_before_logout_is_anonymous_after_it(app, client, make_user):
    user = make_user("mentor")
    login(client, user)
    copied = session_cookie(client)
    assert replay(app, copied).get("/mentor/").status_code == 200, "the copy works while the session lives"
    assert post_form(client, "/auth/logout", {}, page="/mentor/").status_code == 303
    thief = replay(app, copied)
    response = thief.get("/mentor/")
    assert response.status_code == 302 and "/auth/login" in response.headers["Location"]
    assert "Log in" in thief.get("/").get_data(as_text=True)
    assert count_sessions(app, user) == 0


def test_logging_out_one_browser_keeps_the_others(app, make_user):
    user = make_user("mentee")
    phone, laptop = app.test_client(), app.test_client()
    login(phone, user)
    login(laptop, user)
    post_form(phone, "/auth/logout", {}, page="/mentee/")
    assert phone.get("/mentee/").status_code == 302
    assert laptop.get("/mentee/").status_code == 200


def test_log_out_everywhere_ends_every_session_of_the_account_only(app, make_user):
    user, other = make_user("mentee"), make_user("mentee")
    phone, laptop, someone_else = app.test_client(), app.test_client(), app.test_client()
    login(phone, user)
    login(laptop, user)
    login(someone_else, other)
    copied = session_cookie(phone)
    assert "Log out everywhere" in phone.get("/auth/password").get_data(as_text=True)
    response = post_form(phone, "/auth/logout-everywhere", {}, page="/auth/password")
    assert response.status_code == 303
    for client in (phone, laptop, replay(app, copied)):
        assert client.get("/mentee/").status_code == 302
    assert someone_else.get("/mentee/").status_code == 200
    assert count_sessions(app, user) == 0
    login(app.test_client(), user)  # the account itself still works


def test_log_out_everywhere_needs_a_csrf_token(app, client, make_user):
    login(client, make_user("mentor"))
    assert client.post("/auth/logout-everywhere").status_code == 400
    assert client.get("/mentor/").status_code == 200


def test_password_change_keeps_only_the_current_session(app, make_user):
    user = make_user("coordinator")
    current, other = app.test_client(), app.test_client()
    login(current, user)
    login(other, user)
    copied = session_cookie(current)
    post_form(current, "/auth/password", {"current_password": PASSWORD, "new_password": "a brand new phrase"})
    assert current.get("/coordinator/").status_code == 200
    assert other.get("/coordinator/").status_code == 302
    assert replay(app, copied).get("/coordinator/").status_code == 302, "the pre-change cookie is retired too"
    assert count_sessions(app, user) == 1


def test_a_password_reset_ends_every_other_session(app, make_user):
    from tests.web.test_password_reset import ask_for_link, outbox, sent_link

    user = make_user("mentee")
    stolen = app.test_client()
    login(stolen, user)
    owner = app.test_client()
    with app.app_context():
        outbox().clear()
        ask_for_link(app, owner, user.email)
        link = sent_link(app)
    assert post_form(owner, link, {"password": "a fresh passphrase"}).status_code == 303
    assert owner.get("/mentee/").status_code == 200
    assert stolen.get("/mentee/").status_code == 302
    assert count_sessions(app, user) == 1


def test_the_database_keeps_only_a_hash_of_the_token(app, client, make_user):
    user = make_user("mentee")
    login(client, user)
    with client.session_transaction() as session:
        token = session["login_token"]
    with app.app_context():
        stored = db.session.scalar(db.select(LoginSession.token_hash).where(LoginSession.user_id == user.id))
    assert token and stored and token not in stored


def test_a_forged_cookie_for_another_user_id_is_anonymous(app, client, make_user):
    victim, attacker = make_user("coordinator"), make_user("mentee")
    login(client, attacker)
    with client.session_transaction() as session:
        session["_user_id"] = str(victim.id)  # a valid token of the attacker, the victim's id
    assert client.get("/coordinator/").status_code == 302
