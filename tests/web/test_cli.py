"""The flask commands."""
from mentormatch import demo
from mentormatch.core.security import verify_password
from mentormatch.extensions import db
from mentormatch.models import Membership, Program, User


def test_create_coordinator(app):
    result = app.test_cli_runner().invoke(
        args=["create-coordinator", "--email", "Boss@Example.org", "--name", "Boss", "--password", "a fine passphrase"])
    assert result.exit_code == 0, result.output
    with app.app_context():
        user = db.session.scalar(db.select(User).where(User.email == "boss@example.org"))
        assert user.role == "coordinator" and verify_password(user.password_hash, "a fine passphrase")


def test_create_coordinator_refuses_a_weak_password_and_saves_nothing(app):
    result = app.test_cli_runner().invoke(
        args=["create-coordinator", "--email", "b@example.org", "--name", "B", "--password", "password"])
    assert result.exit_code != 0 and "most common" in result.output
    with app.app_context():
        assert db.session.scalar(db.select(db.func.count(User.id))) == 0


def test_seed_demo_is_idempotent_and_prints_accounts(app):
    runner = app.test_cli_runner()
    first = runner.invoke(args=["seed-demo"])
    assert first.exit_code == 0, first.output
    assert "Demo data loaded." in first.output and demo.DEMO_PASSWORD in first.output
    with app.app_context():
        counts = (db.session.scalar(db.select(db.func.count(User.id))),
                  db.session.scalar(db.select(db.func.count(Program.id))),
                  db.session.scalar(db.select(db.func.count(Membership.id))))
    second = runner.invoke(args=["seed-demo"])
    assert second.exit_code == 0 and "already present" in second.output
    with app.app_context():
        assert counts == (db.session.scalar(db.select(db.func.count(User.id))),
                          db.session.scalar(db.select(db.func.count(Program.id))),
                          db.session.scalar(db.select(db.func.count(Membership.id))))
    assert counts[1] == 1 and counts[0] > 10
    for _role, email, _ in demo.demo_accounts():
        assert email in second.output


def test_demo_coordinator_can_log_in(app, client):
    app.test_cli_runner().invoke(args=["seed-demo"])
    from types import SimpleNamespace

    from tests.conftest import login

    login(client, SimpleNamespace(email=demo.COORDINATOR[0]), demo.DEMO_PASSWORD)
    assert demo.PROGRAM_NAME in client.get("/coordinator/").get_data(as_text=True)


def test_create_coordinator_refuses_an_address_the_login_form_would_refuse(app, client):
    # A reserved test domain: once accepted here, yet its owner could never log in.
    result = app.test_cli_runner().invoke(
        args=["create-coordinator", "--email", "boss@mentormatch.test", "--name", "Boss", "--password", "a fine passphrase"])
    assert result.exit_code != 0 and "valid email" in result.output
    with app.app_context():
        assert db.session.scalar(db.select(db.func.count(User.id))) == 0
    from tests.conftest import post_form

    response = post_form(client, "/auth/login", {"email": "boss@mentormatch.test", "password": "a fine passphrase"})
    assert "Enter a valid email address." in response.get_data(as_text=True)


def test_every_created_coordinator_can_log_in(app, client):
    from types import SimpleNamespace

    from tests.conftest import login

    result = app.test_cli_runner().invoke(
        args=["create-coordinator", "--email", " Boss@Example.ORG ", "--name", "Boss", "--password", "a fine passphrase"])
    assert result.exit_code == 0, result.output
    login(client, SimpleNamespace(email="boss@example.org"), "a fine passphrase")


def test_the_demo_shows_threads_and_meetings(app):
    """The demo has a pair's conversation, a meeting they both said they had (health counts it) and
    the next one booked, and a thread on an accepted request; seeding again adds none of it twice."""
    from mentormatch.core import clock
    from mentormatch.models import Meeting, Message
    from mentormatch.services import meetings

    runner = app.test_cli_runner()
    assert runner.invoke(args=["seed-demo"]).exit_code == 0
    with app.app_context():
        pair_messages = db.session.scalar(db.select(db.func.count()).select_from(Message)
                                          .where(Message.pairing_id.is_not(None)))
        request_messages = db.session.scalar(db.select(db.func.count()).select_from(Message)
                                             .where(Message.request_id.is_not(None)))
        rows = list(db.session.scalars(db.select(Meeting).order_by(Meeting.starts_at)))
        assert pair_messages >= 4 and request_messages >= 2
        assert [m.state for m in rows] == ["done", "booked"]
        assert rows[0].starts_at < clock.now() < rows[1].starts_at
        program = db.session.scalar(db.select(Program).where(Program.name == demo.PROGRAM_NAME))
        assert meetings.program_met(program.id).met_recently == 1
        meetings.ics(rows[1])  # a real invitation can be built from the demo's meeting
        counts = (pair_messages + request_messages, len(rows))
    assert "already present" in runner.invoke(args=["seed-demo"]).output
    with app.app_context():
        assert counts == (db.session.scalar(db.select(db.func.count()).select_from(Message)),
                          db.session.scalar(db.select(db.func.count()).select_from(Meeting)))
