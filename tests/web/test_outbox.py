"""Mail goes through a transactional outbox and a real local SMTP server: written with the change
that causes it, dropped with a rollback, retried with backoff while the server is down, visible
to the coordinator when it fails, and delivered inline, by a sender thread or by an RQ worker."""
import os
import subprocess
import sys
import uuid
from contextlib import contextmanager
from datetime import timedelta
from pathlib import Path

import pytest
from aiosmtpd.controller import Controller
from redis import Redis

from mentormatch.core import clock, outbox
from mentormatch.extensions import db
from mentormatch.models import OutboxMessage
from tests.conftest import login, post_form
from tests.smtp import SMTP_CONFIG, Inbox, free_port
from tests.web.test_lifecycle_data import frozen  # noqa: F401 (fixture)

DOWN_PORT = free_port()
DOWN = SMTP_CONFIG | {"MAIL_PORT": DOWN_PORT}  # nothing listens there until a test starts a server


@contextmanager
def server_comes_back():
    inbox = Inbox()
    controller = Controller(inbox, hostname="127.0.0.1", port=DOWN_PORT)
    controller.start()
    try:
        yield inbox
    finally:
        controller.stop()
ROOT = Path(__file__).resolve().parents[2]
REDIS_URL = os.environ.get("TEST_REDIS_URL", "redis://127.0.0.1:6379/15")


def rows(app) -> list:
    with app.app_context():
        return [(m.to, m.status, m.attempts) for m in db.session.scalars(db.select(OutboxMessage).order_by(OutboxMessage.id))]


@pytest.mark.parametrize("app", [SMTP_CONFIG], indirect=True)
def test_mail_is_written_with_its_change_and_dropped_with_a_rollback(app, smtp_server):
    with app.app_context():
        outbox.queue("gone@example.org", outbox.Mail("Never sent", "This transaction fails.", ""))
        db.session.rollback()
        assert rows(app) == []
        outbox.queue("kept@example.org", outbox.Mail("Sent", "This one commits.", ""), reply_to="mentor@example.org")
        db.session.commit()
        message_id = db.session.scalar(db.select(OutboxMessage.id))
    [received] = smtp_server.wait_for(1)
    assert received["to"] == ["kept@example.org"] and received["reply_to"] == "mentor@example.org"
    assert received["message_id"] == f"<outbox-{message_id}@localhost>"  # fixed per row: a repeat is recognisable
    assert rows(app) == [("kept@example.org", "sent", 1)]


@pytest.mark.parametrize("app", [SMTP_CONFIG], indirect=True)
def test_a_savepoint_ending_after_mail_was_queued_leaves_delivery_to_the_commit(app, smtp_server):
    """Services open savepoints after queueing mail (threads.post creates each reader's row in one):
    neither the savepoint's release nor its rollback starts or forgets the delivery."""
    with app.app_context():
        outbox.queue("reader@example.org", outbox.Mail("New message", "Queued before two savepoints.", ""))
        with db.session.begin_nested():
            pass
        with pytest.raises(LookupError), db.session.begin_nested():
            raise LookupError("a racing twin: the savepoint rolls back")
        assert rows(app) == []  # nothing committed, nothing sent yet
        db.session.commit()
    [received] = smtp_server.wait_for(1)
    assert received["to"] == ["reader@example.org"]
    assert rows(app) == [("reader@example.org", "sent", 1)]


@pytest.mark.parametrize("app", [SMTP_CONFIG], indirect=True)
def test_a_batch_is_delivered_over_one_connection(app, smtp_server):
    batch = [(f"person{i}@example.org", f"Proposal {i}", f"Hello {i}") for i in range(25)]
    with app.app_context():
        assert outbox.send_many([(to, outbox.Mail(subject, body, "")) for to, subject, body in batch]) == 25
        db.session.commit()
    received = smtp_server.wait_for(25)
    assert sorted(m["to"][0] for m in received) == sorted(to for to, _, _ in batch)
    assert len({m["peer"] for m in received}) == 1
    assert {status for _, status, _ in rows(app)} == {"sent"}


@pytest.mark.parametrize("app", [DOWN | {"MAIL_MAX_ATTEMPTS": 3}], indirect=True)
def test_a_server_that_is_down_delays_mail_with_backoff_and_never_loses_it(app, frozen, caplog):
    with app.app_context():
        outbox.send_many([("a@example.org", outbox.Mail("Hello", "body", "")), ("b@example.org", outbox.Mail("Hello", "body", ""))])
        db.session.commit()  # the kick fails to connect: logged, never raised
    assert any("mail server unreachable" in r.getMessage() for r in caplog.records)
    assert rows(app) == [("a@example.org", "pending", 1), ("b@example.org", "pending", 1)]
    with app.app_context():
        assert outbox.deliver().sent == 0, "nothing is due before the backoff ends"
        clock.advance(minutes=1, seconds=1)
        assert outbox.deliver().retrying == 2
        assert rows(app) == [("a@example.org", "pending", 2), ("b@example.org", "pending", 2)]
        first = db.session.scalar(db.select(OutboxMessage).order_by(OutboxMessage.id))
        assert first.next_attempt_at == clock.now() + timedelta(minutes=2) and "ConnectionRefused" in first.last_error
    with server_comes_back() as inbox, app.app_context():
        clock.advance(minutes=2, seconds=1)
        assert outbox.deliver().sent == 2
        assert sorted(m["to"][0] for m in inbox.wait_for(2)) == ["a@example.org", "b@example.org"]


@pytest.mark.parametrize("app", [DOWN | {"MAIL_MAX_ATTEMPTS": 2}], indirect=True)
def test_mail_that_failed_for_good_is_shown_to_its_coordinator_who_can_retry_it(app, client, world, frozen):
    with app.app_context():
        outbox.queue(world.mentor.email, outbox.Mail("You have a proposal", "body", ""), program_id=world.program.id)
        outbox.queue("someone@example.org", outbox.Mail("Other program", "body", ""), program_id=world.other_program.id)
        db.session.commit()
        clock.advance(minutes=2)
        outbox.deliver()
        ours, theirs = db.session.scalars(db.select(OutboxMessage.id).order_by(OutboxMessage.id)).all()
    assert [status for _, status, _ in rows(app)] == ["failed", "failed"]
    page = f"/coordinator/programs/{world.program.id}/mail"
    login(client, world.coordinator)
    assert "1 email could not be delivered" in client.get(f"/coordinator/programs/{world.program.id}").get_data(as_text=True)
    html = client.get(page).get_data(as_text=True)
    assert world.mentor.email in html and "ConnectionRefusedError" in html and 'id="mail-failed">1<' in html
    assert "someone@example.org" not in html, "only this program's mail"
    # Another program's message id under my program: not mine, nothing changes.
    assert post_form(client, f"{page}/{theirs}/retry", {}, page=page).status_code == 404
    with server_comes_back() as inbox:
        assert post_form(client, f"{page}/{ours}/retry", {}, page=page).status_code == 303
        assert [m["to"] for m in inbox.wait_for(1)] == [[world.mentor.email]]
    assert [status for _, status, _ in rows(app)] == ["sent", "failed"]

    other = app.test_client()
    login(other, world.other_coordinator)
    assert other.get(page).status_code == 404


@pytest.mark.parametrize("app", [SMTP_CONFIG | {"MAIL_DELIVERY": "thread"}], indirect=True)
def test_the_sender_thread_delivers_after_the_commit(app, smtp_server):
    with app.app_context():
        outbox.queue("thread@example.org", outbox.Mail("From the thread", "body", ""))
        db.session.commit()
    assert [m["to"] for m in smtp_server.wait_for(1)] == [["thread@example.org"]]


QUEUE = f"mentormatch-mail-{uuid.uuid4().hex[:8]}"


@pytest.mark.parametrize("app", [SMTP_CONFIG | {"MAIL_DELIVERY": "rq", "REDIS_URL": REDIS_URL, "RQ_QUEUE": QUEUE}],
                         indirect=True)
def test_an_rq_worker_process_delivers_the_outbox_from_its_own_queue(app, smtp_server, database_url):
    for n in range(3):  # three commits, one job waiting: it sends everything due when it runs
        with app.app_context():
            outbox.queue(f"worker{n}@example.org", outbox.Mail("From the worker", "body", ""))
            db.session.commit()
    redis = Redis.from_url(REDIS_URL)
    assert redis.llen(f"rq:queue:{QUEUE}-mail") == 1 and redis.llen(f"rq:queue:{QUEUE}") == 0
    assert smtp_server.messages == [] and {status for _, status, _ in rows(app)} == {"pending"}
    env = {**os.environ, "DATABASE_URL": database_url, "MENTORMATCH_ENV": "test", "PYTHONPATH": str(ROOT),
           "MAIL_SERVER": "127.0.0.1", "MAIL_PORT": str(SMTP_CONFIG["MAIL_PORT"]), "PUBLIC_URL": "http://localhost"}
    rq = Path(sys.executable).with_name("rq")
    done = subprocess.run([str(rq), "worker", "--burst", "--worker-class", "rq.worker.SimpleWorker", "--url", REDIS_URL,
                           f"{QUEUE}-mail"], cwd=ROOT, env=env, capture_output=True, text=True, timeout=120)
    assert done.returncode == 0, done.stderr[-2000:]
    assert sorted(m["to"][0] for m in smtp_server.wait_for(3)) == [f"worker{n}@example.org" for n in range(3)], done.stderr[-6000:]
    assert {status for _, status, _ in rows(app)} == {"sent"}
    with app.app_context():  # the job cleared its flag: the next commit queues a new one
        outbox.queue("later@example.org", outbox.Mail("After the job", "body", ""))
        db.session.commit()
    assert redis.llen(f"rq:queue:{QUEUE}-mail") == 1


@pytest.mark.parametrize("app", [SMTP_CONFIG | {"MAIL_DELIVERY": "rq", "REDIS_URL": "redis://127.0.0.1:1/0"}],
                         indirect=True)
def test_with_redis_down_the_commit_stands_and_the_cron_sweep_sends_the_mail(app, smtp_server, caplog):
    with app.app_context():
        outbox.queue("later@example.org", outbox.Mail("Swept", "body", ""))
        db.session.commit()
    assert any("could not start" in r.getMessage() for r in caplog.records)
    result = app.test_cli_runner().invoke(args=["deliver-mail"])
    assert result.exit_code == 0 and "1 sent" in result.output
    assert [m["to"] for m in smtp_server.wait_for(1)] == [["later@example.org"]]


class RefusingInbox(Inbox):
    """A server that refuses one recipient for good, as a real one does for an unknown mailbox."""

    async def handle_RCPT(self, server, session, envelope, address, rcpt_options):
        if address.startswith("gone@"):
            return "550 5.1.1 no such mailbox"
        envelope.rcpt_tos.append(address)
        return "250 OK"


@pytest.mark.parametrize("app", [DOWN], indirect=True)
def test_a_refused_message_fails_alone_and_at_once_and_holds_nothing_back(app, frozen):
    inbox = RefusingInbox()
    controller = Controller(inbox, hostname="127.0.0.1", port=DOWN_PORT)
    controller.start()
    try:
        with app.app_context():
            outbox.send_many([("gone@example.org", outbox.Mail("First in line", "body", ""))]
                             + [(f"ok{i}@example.org", outbox.Mail("Behind it", "body", "")) for i in range(3)])
            outbox.queue("ok9@example.org", outbox.Mail("Eve\r\nBcc: everyone@example.org", "a name with a line break", ""))
            db.session.commit()
        received = inbox.wait_for(4)
    finally:
        controller.stop()
    assert sorted(m["to"][0] for m in received) == ["ok0@example.org", "ok1@example.org", "ok2@example.org",
                                                    "ok9@example.org"]
    assert [m["subject"] for m in received if m["to"] == ["ok9@example.org"]] == ["Eve Bcc: everyone@example.org"]
    assert rows(app)[0] == ("gone@example.org", "failed", 1), "a 5xx is not retried for hours"
    assert [status for _, status, _ in rows(app)[1:]] == ["sent"] * 4


@pytest.mark.parametrize("app", [DOWN], indirect=True)
def test_once_the_server_is_back_the_coordinator_sends_waiting_mail_without_waiting_for_the_backoff(
        app, client, world, frozen):
    with app.app_context():
        outbox.queue(world.mentee.email, outbox.Mail("Your mentor accepted", "body", ""), program_id=world.program.id)
        db.session.commit()
    assert rows(app) == [(world.mentee.email, "pending", 1)]  # next try in a minute, then 2, 4, …
    page = f"/coordinator/programs/{world.program.id}/mail"
    login(client, world.coordinator)
    assert "next try" in client.get(page).get_data(as_text=True)
    with server_comes_back() as inbox:
        assert post_form(client, f"{page}/retry", {}, page=page).status_code == 303
        assert [m["to"] for m in inbox.wait_for(1)] == [[world.mentee.email]]
    assert rows(app) == [(world.mentee.email, "sent", 1)]  # a fresh set of attempts
