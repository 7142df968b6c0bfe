"""Sign-up, login, logout and password change, with their bad inputs."""
import re

import pytest

from mentormatch.core.security import verify_password
from mentormatch.extensions import db
from mentormatch.models import Membership, User
from tests.conftest import PASSWORD, login, post_form


def count_users(app) -> int:
    with app.app_context():
        return db.session.scalar(db.select(db.func.count(User.id)))


def outbox(app) -> list:
    return list(getattr(app.extensions["mailman"], "outbox", []))


LINK = re.compile(r"http://localhost(/auth/\S+)")


def signup(client, environ_base=None, **fields):
    data = {"email": "sam@example.org", "role": "mentee"}
    return post_form(client, "/auth/signup", data | fields, environ_base=environ_base or {})


def finish(client, link: str, **fields):
    """The form on the mailed link's page: the name and the password are chosen here."""
    return post_form(client, link, {"name": "Sam Signup", "password": "a long enough phrase"} | fields)


def finish_link(app, email: str) -> str:
    """The link in the last sign-up mail to this address."""
    mails = [m for m in outbox(app) if m.to == [email] and m.subject == "Finish creating your MentorMatch account"]
    assert mails, [m.subject for m in outbox(app)]
    return LINK.search(mails[-1].body).group(1)


def sign_up_and_finish(app, client, finish_fields=None, **fields):
    """The whole sign-up: the form, the link from the mail, the name and password on its page."""
    response = signup(client, **fields)
    assert response.status_code == 303 and response.headers["Location"] == "/auth/signup/sent"
    link = finish_link(app, fields.get("email", "sam@example.org"))
    return finish(client, link, **(finish_fields or {}))


def test_signup_mails_a_link_that_creates_the_mentee_logs_them_in_and_hashes_with_argon2id(app, client):
    response = signup(client)
    assert response.status_code == 303 and response.headers["Location"] == "/auth/signup/sent"
    assert "Check your inbox" in client.get("/auth/signup/sent").get_data(as_text=True)
    assert count_users(app) == 0, "no account before the link is opened"
    link = finish_link(app, "sam@example.org")
    page = client.get(link).get_data(as_text=True)
    assert "sam@example.org" in page and 'name="name"' in page and 'name="password"' in page
    assert count_users(app) == 0, "opening the link (as a mail scanner would) makes no account"
    assert client.post(link, data={"name": "Sam Signup", "password": "a long enough phrase"}).status_code == 400, \
        "a POST without the CSRF token makes nothing"
    assert count_users(app) == 0
    response = finish(client, link)
    assert response.status_code == 303 and response.headers["Location"] == "/mentee/"
    assert "Sam Signup" in client.get("/mentee/").get_data(as_text=True)
    with app.app_context():
        user = db.session.scalar(db.select(User).where(User.email == "sam@example.org"))
        assert user.role == "mentee"
        assert user.password_hash.startswith("$argon2id$")
        assert verify_password(user.password_hash, "a long enough phrase")
    assert app.test_client().get(link).status_code == 404, "the link works once"


def test_signup_as_mentor(app, client):
    assert sign_up_and_finish(app, client, role="mentor").headers["Location"] == "/mentor/"


@pytest.mark.parametrize(
    "fields, field_error",
    [
        ({"email": "not-an-email"}, "valid email"),
        ({"email": "sam@mentormatch.test"}, "valid email"),
        ({"email": "jösé.ünï@example.org"}, "plain ASCII"),
        ({"email": "sam@bücher.example"}, "plain ASCII"),
        ({"role": "coordinator"}, "Not a valid choice"),
    ],
)
def test_signup_rejects_bad_input_next_to_the_field_and_saves_nothing(app, client, fields, field_error):
    response = signup(client, **fields)
    html = response.get_data(as_text=True)
    assert response.status_code == 200
    assert field_error in html
    assert 'class="error"' in html and 'aria-invalid="true"' in html
    assert count_users(app) == 0 and not outbox(app)


@pytest.mark.parametrize(
    "fields, field_error",
    [
        ({"password": "short"}, "at least 8 characters"),
        ({"password": "password123"}, "most common"),
        ({"password": "x" * 129}, "128"),
        ({"password": "Sam Signup"}, "Do not use your name"),
        ({"name": ""}, "Enter your name"),
        ({"name": "\u202e\u202c \t"}, "Enter your name"),
    ],
)
def test_the_finish_page_rejects_bad_input_next_to_the_field_and_the_link_still_works(app, client, fields,
                                                                                       field_error):
    signup(client)
    link = finish_link(app, "sam@example.org")
    response = finish(client, link, **fields)
    html = response.get_data(as_text=True)
    assert response.status_code == 200 and field_error in html
    assert 'class="error"' in html and 'aria-invalid="true"' in html
    assert count_users(app) == 0
    if "name" not in fields:
        assert 'value="Sam Signup"' in html, "what the person typed is still there (except the password)"
    assert finish(client, link).status_code == 303


def test_long_passphrases_are_accepted(app, client):
    assert sign_up_and_finish(app, client, {"password": "p" * 64 + " and more words"}).status_code == 303


def test_the_signup_link_carries_no_password_material(app, client):
    """Finding 4: the link (in the outbox, relay logs, history, access logs) held the Argon2 hash."""
    from itsdangerous import URLSafeTimedSerializer

    signup(client, password="a long enough phrase", name="Sam Signup")  # posted by an old form: ignored
    link = finish_link(app, "sam@example.org")
    payload = URLSafeTimedSerializer("unused").loads_unsafe(link.rsplit("/", 1)[1])[1]
    assert payload == {"e": "sam@example.org", "r": "mentee", "i": ""}
    assert "argon2" not in outbox(app)[-1].body and "a long enough phrase" not in outbox(app)[-1].body


def test_whoever_typed_the_address_does_not_know_the_password_of_the_account(app, client):
    """Finding 5: an attacker signs up with the victim's address and a password of their own; the
    victim opens the genuine mail and creates the account. The attacker's password must not work."""
    attacker = app.test_client()
    signup(attacker, email="victim@example.org", password="attacker knows this", name="Not the victim")
    link = finish_link(app, "victim@example.org")
    assert "Not the victim" not in client.get(link).get_data(as_text=True)
    assert finish(client, link, name="Vic Tim", password="only the victim knows").status_code == 303
    with app.app_context():
        user = db.session.scalar(db.select(User).where(User.email == "victim@example.org"))
        assert user.name == "Vic Tim"
        assert not verify_password(user.password_hash, "attacker knows this")
    assert post_form(attacker, "/auth/login", {"email": "victim@example.org",
                                               "password": "attacker knows this"}).status_code == 200
    assert post_form(attacker, link, {"name": "X Y", "password": "attacker knows this"},
                     page="/auth/login").status_code == 404, "the link works once"


def test_a_name_with_line_breaks_and_controls_is_stored_on_one_line(app, client):
    """Finding 1/14: a CR/LF in a name ended up in mail subjects (refused by the mailer)."""
    sign_up_and_finish(app, client, {"name": "Eve\r\nBcc: spy@evil.example\t\u202eX\x7f"})
    with app.app_context():
        user = db.session.scalar(db.select(User).where(User.email == "sam@example.org"))
        assert user.name == "Eve  Bcc: spy@evil.example X"


@pytest.mark.parametrize("variant", [str.lower, str.upper, str.title])
def test_signup_answers_the_same_for_a_taken_email_and_mails_its_owner(app, client, make_user, variant):
    user = make_user("mentor", email="taken@example.org")
    fresh = signup(app.test_client(), email="fresh@example.org")
    taken = signup(client, email=variant(user.email))
    assert (taken.status_code, taken.headers["Location"]) == (fresh.status_code, fresh.headers["Location"])
    assert taken.get_data() == fresh.get_data()
    assert count_users(app) == 1
    mail = [m for m in outbox(app) if m.to == [user.email]]
    assert len(mail) == 1 and mail[0].subject == "Someone tried to sign up with your email"
    assert "http://localhost/auth/login" in mail[0].body and "http://localhost/auth/reset/" in mail[0].body
    login(client, user)  # the account is untouched


def test_an_unused_link_stops_working_once_the_address_has_an_account(app, client, make_user):
    signup(client, email="late@example.org")
    link = finish_link(app, "late@example.org")
    make_user("mentee", email="late@example.org")
    assert client.get(link).status_code == 404
    assert post_form(app.test_client(), link, {}, page="/auth/login").status_code == 404


def test_tampered_or_expired_signup_links_make_no_account(app, client, monkeypatch):
    signup(client)
    link = finish_link(app, "sam@example.org")
    assert client.get(link[:-3] + "abc").status_code == 404
    from mentormatch.services import accounts

    monkeypatch.setattr(accounts, "SIGNUP_MAX_AGE", -1)
    assert client.get(link).status_code == 404
    assert post_form(client, link, {}, page="/auth/login").status_code == 404
    assert count_users(app) == 0


def test_signup_cannot_choose_a_coordinator_role_by_posting_it(app, client):
    signup(client, role="coordinator", email="sneaky@example.org")
    with app.app_context():
        assert db.session.scalar(db.select(User).where(User.email == "sneaky@example.org")) is None
    assert not outbox(app)


def test_signup_ignores_extra_fields(app, client):
    sign_up_and_finish(app, client, {"id": "999", "password_hash": "x", "role": "coordinator"},
                       email="extra@example.org", id="999", password_hash="x")
    with app.app_context():
        user = db.session.scalar(db.select(User).where(User.email == "extra@example.org"))
        assert user.id != 999 and user.password_hash.startswith("$argon2id$") and user.role == "mentee"


def from_address(address: str) -> dict:
    return {"environ_base": {"REMOTE_ADDR": address}}


@pytest.mark.parametrize("app", [{"SIGNUP_RATE_LIMIT": "2 per hour", "SIGNUP_RATE_LIMIT_PER_ACCOUNT": "3 per hour",
                                  "SIGNUP_RATE_LIMIT_PER_ADDRESS": "4 per hour"}], indirect=True)
def test_signup_is_rate_limited_per_email_and_per_address(app, client, make_user):
    user = make_user("mentee", email="owner@example.org")
    # Per email and address, case variants included, the same for a taken address as for a free one.
    for address, emails in (("10.0.0.1", ["free@example.org", "FREE@example.org", "free@example.org"]),
                            ("10.0.0.2", [user.email, user.email.upper(), user.email])):
        assert [signup(client, email=e, **from_address(address)).status_code for e in emails] == [303, 303, 429]
    # Another address gets its own two, up to the email's own, higher cap (3 from all addresses).
    assert [signup(client, email="Free@Example.org", **from_address(a)).status_code
            for a in ("10.0.0.3", "10.0.0.5")] == [303, 429]
    # Per address: a fifth email from one address is refused; the first four went through.
    codes = [signup(app.test_client(), email=f"p{n}@example.org", **from_address("10.0.0.4")).status_code
             for n in range(5)]
    assert codes == [303, 303, 303, 303, 429]
    assert count_users(app) == 1


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
        assert session["_user_id"] == str(user.id) and session["login_token"]


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
                         {"email": "newmentor@example.org", "invite": world.program.mentor_invite, "role": "mentee"})
    assert response.status_code == 303 and response.headers["Location"] == "/auth/signup/sent"
    link = finish_link(app, "newmentor@example.org")
    response = finish(client, link, name="New Mentor", password="mentoring is fun")
    assert response.status_code == 303 and response.headers["Location"] == "/mentor/"
    assert "You joined Main program." in client.get("/mentor/").get_data(as_text=True)
    with app.app_context():
        user = db.session.scalar(db.select(User).where(User.email == "newmentor@example.org"))
        assert user.role == "mentor", "the invite decides the role, not the posted field"
        assert db.session.scalar(db.select(Membership).where(Membership.user_id == user.id)).program_id == world.program.id


def test_signup_through_an_invite_link_with_a_taken_email_mails_the_join_link(app, client, world):
    response = post_form(client, f"/auth/signup?invite={world.program.mentee_invite}",
                         {"email": world.mentee.email.upper(), "invite": world.program.mentee_invite})
    assert response.headers["Location"] == "/auth/signup/sent"
    mail = [m for m in outbox(app) if m.to == [world.mentee.email]][-1]
    assert f"http://localhost/join/{world.program.mentee_invite}" in mail.body


def test_logged_in_user_joins_a_second_program_by_invite(app, client, world, make_program):
    extra = make_program(world.coordinator, "Second program")
    login(client, world.mentee)
    response = post_form(client, f"/join/{extra.mentee_invite}", {})
    assert response.status_code == 303
    with app.app_context():
        programs = db.session.scalars(db.select(Membership.program_id).where(Membership.user_id == world.mentee.id)).all()
        assert sorted(programs) == sorted([world.program.id, extra.id])


def test_a_mentor_invite_makes_a_mentee_a_mentor_in_that_program_only(app, client, world):
    """One account, roles per program (issue 15): the side lives on the membership, not the account."""
    login(client, world.mentee)
    response = post_form(client, f"/join/{world.other_program.mentor_invite}", {})
    assert response.status_code == 303 and response.headers["Location"] == "/mentor/"
    with app.app_context():
        sides = dict(db.session.execute(db.select(Membership.program_id, Membership.role).where(
            Membership.user_id == world.mentee.id)).all())
        assert sides == {world.program.id: "mentee", world.other_program.id: "mentor"}
        assert db.session.get(User, world.mentee.id).role == "mentee"  # the side the account signed up as


def test_a_coordinator_account_cannot_join_by_invite(app, client, world):
    login(client, world.coordinator)
    response = post_form(client, f"/join/{world.other_program.mentor_invite}", {}, follow_redirects=True)
    assert "invitation is for mentors; your account is a coordinator account" in response.get_data(as_text=True)
    with app.app_context():
        assert db.session.scalar(db.select(Membership).where(Membership.user_id == world.coordinator.id)) is None


def test_unknown_invite_is_a_clear_404(client):
    response = client.get("/join/not-a-real-token")
    assert response.status_code == 404 and "not valid" in response.get_data(as_text=True)


def test_a_link_opened_twice_at_once_makes_one_account(app, client):
    """Both requests read the link before either commits: the unique email refuses the second."""
    from mentormatch.services import ServiceError, accounts

    signup(client)
    token = finish_link(app, "sam@example.org").rsplit("/", 1)[1]
    with app.test_request_context():
        first, second = accounts.pending_sign_up(token), accounts.pending_sign_up(token)
        accounts.finish_sign_up(first, name="Sam One", password="a long enough phrase")
        with pytest.raises(ServiceError, match="used already"):
            accounts.finish_sign_up(second, name="Sam Two", password="another long phrase")
    assert count_users(app) == 1
