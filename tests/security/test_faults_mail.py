"""Faults around mail: the web worker killed during a round's approval, and a mail sender killed
in the middle of a batch. Real processes (gunicorn, an RQ worker, `flask deliver-mail`), a real
database, Redis and SMTP server; SIGKILL, as an out-of-memory killer or a crash would."""
import os
import re
import signal
import subprocess
import sys
import threading
import time
import uuid
from collections import Counter
from pathlib import Path

import pytest
import requests
from aiosmtpd.controller import Controller

from mentormatch.core import outbox
from mentormatch.extensions import db
from mentormatch.models import OutboxMessage, Pairing, User
from mentormatch.models.rounds import Round
from mentormatch.services.rounds import runs
from tests.smtp import SMTP_CONFIG, Inbox, free_port
from tests.web.test_rounds_support import add_people, make_round

ROOT = Path(__file__).resolve().parents[2]
BIN = Path(sys.executable).parent
REDIS_URL = os.environ.get("TEST_REDIS_URL", "redis://127.0.0.1:6379/15")
CSRF = re.compile(r'name="csrf_token"[^>]*value="([^"]+)"')


def environment(database_url: str, **extra) -> dict:
    return {**os.environ, "DATABASE_URL": database_url, "MENTORMATCH_ENV": "test", "SECRET_KEY": "fault-tests",
            "PYTHONPATH": str(ROOT), "MAIL_SERVER": "127.0.0.1", "MAIL_PORT": str(SMTP_CONFIG["MAIL_PORT"]),
            "PUBLIC_URL": "http://localhost", **{k: str(v) for k, v in extra.items()}}


def proposed_round(app, world, size: int) -> int:
    """A round whose run proposes `size` pairs, ready for approval."""
    mentors = [{"name": f"Mentor {i}", "years": 9, "topics": ["python"], "capacity_round": 1} for i in range(size)]
    mentees = [{"name": f"Mentee {i}", "years": 2, "topics": ["python"]} for i in range(size)]
    add_people(app, world.program.id, mentors=mentors, mentees=mentees)
    rid = make_round(app, world.program.id, world.coordinator.id)
    with app.app_context():
        round_ = db.session.get(Round, rid)
        runs.start_run(round_, db.session.get(User, world.coordinator.id))
        db.session.expire_all()
        assert db.session.get(Round, rid).state == "proposed"
    return rid


def children(pid: int) -> list[int]:
    return [int(c) for c in Path(f"/proc/{pid}/task/{pid}/children").read_text().split()]


def wait_until_up(url: str, limit: float = 30) -> None:
    deadline = time.monotonic() + limit
    while time.monotonic() < deadline:
        try:
            if requests.get(url, timeout=5).status_code < 500:
                return
        except requests.RequestException:  # not listening yet, or still loading the app
            pass
        time.sleep(0.1)
    raise AssertionError(f"{url} did not come up")


def logged_in_session(base: str, email: str) -> requests.Session:
    from tests.conftest import PASSWORD

    s = requests.Session()
    token = CSRF.search(s.get(base + "/auth/login", timeout=10).text).group(1)
    assert s.post(base + "/auth/login", data={"csrf_token": token, "email": email, "password": PASSWORD},
                  allow_redirects=False, timeout=10).status_code == 303
    return s


@pytest.mark.parametrize("app", [{"SOLVE_RUNNER": "inline"}], indirect=True)
def test_a_web_worker_killed_during_approval_loses_no_notification_and_sends_none_twice(
        app, world, database_url, smtp_server):
    rid = proposed_round(app, world, 150)
    port, queue = free_port(), f"mentormatch-fault-{uuid.uuid4().hex[:8]}"
    env = environment(database_url, REDIS_URL=REDIS_URL, RQ_QUEUE=queue, MAIL_DELIVERY="rq", SOLVE_RUNNER="inline")
    server = subprocess.Popen([str(BIN / "gunicorn"), "-w", "1", "-b", f"127.0.0.1:{port}", "app:app"], cwd=ROOT,
                              env=env, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    base = f"http://127.0.0.1:{port}"
    try:
        wait_until_up(base + "/auth/login")
        coordinator = logged_in_session(base, world.coordinator.email)
        page = f"{base}/coordinator/programs/{world.program.id}/rounds/{rid}"

        def approve(token: str):
            try:
                return coordinator.post(page + "/approve", data={"csrf_token": token}, allow_redirects=False,
                                        timeout=60).status_code
            except requests.RequestException:
                return "killed"

        def token() -> str:
            return CSRF.search(coordinator.get(page, timeout=30).text).group(1)

        outcome, first = [], token()
        thread = threading.Thread(target=lambda: outcome.append(approve(first)))
        thread.start()
        time.sleep(0.3)  # the approval is under way
        for worker in children(server.pid):
            os.kill(worker, signal.SIGKILL)
        thread.join(30)
        with app.app_context():
            state = db.session.get(Round, rid).state
        if state != "approved":  # killed before the commit: nothing happened, so approving again works
            wait_until_up(base + "/auth/login")
            assert approve(token()) == 303
    finally:
        server.terminate()
        server.wait(20)

    done = subprocess.run([str(BIN / "rq"), "worker", "--burst", "--url", REDIS_URL, f"{queue}-mail", queue], cwd=ROOT, env=env,
                          capture_output=True, text=True, timeout=300)
    assert done.returncode == 0, done.stderr[-2000:]
    # The scheduled sweep sends what a lost kick left behind (a worker killed between its commit
    # and queueing the job), and nothing twice.
    sweep = subprocess.run([str(BIN / "flask"), "--app", "app", "deliver-mail"], cwd=ROOT, env=env,
                           capture_output=True, text=True, timeout=300)
    assert sweep.returncode == 0, sweep.stderr[-2000:]
    with app.app_context():
        pairs = db.session.execute(db.select(Pairing.mentee_membership_id, Pairing.mentor_membership_id)
                                   .where(Pairing.round_id == rid)).all()
        people = {m for pair in pairs for m in pair}
        expected = Counter(db.session.scalars(db.select(OutboxMessage.to)).all())
    assert len(pairs) == 150 and len(people) == 300
    received = Counter(m["to"][0] for m in smtp_server.wait_for(300, timeout=60))
    assert received == expected and set(received.values()) == {1}, (outcome, sweep.stdout)
    assert len(received) == 300


class SlowInbox(Inbox):
    async def handle_DATA(self, server, session, envelope):
        import asyncio

        await asyncio.sleep(0.05)
        return await super().handle_DATA(server, session, envelope)


@pytest.mark.parametrize("app", [{"MAIL_DELIVERY": "cron"}], indirect=True)  # queue only: the sender is another process
def test_a_sender_killed_mid_batch_leaves_the_rest_to_the_next_sweep(app, database_url):
    inbox, port = SlowInbox(), free_port()
    controller = Controller(inbox, hostname="127.0.0.1", port=port)
    controller.start()
    try:
        with app.app_context():
            outbox.send_many([(f"person{i}@example.org", outbox.Mail(f"Notice {i}", "body", "")) for i in range(100)])
            db.session.commit()
        env = environment(database_url, MAIL_PORT=port, MAIL_CLAIM_SECONDS=2)
        flask = [str(BIN / "flask"), "--app", "app", "deliver-mail"]
        sender = subprocess.Popen(flask, cwd=ROOT, env=env, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
        inbox.wait_for(20, timeout=60)
        sender.kill()
        sender.wait(10)
        killed_at = len(inbox.messages)
        assert killed_at < 100, "the sender was killed in the middle of the batch"
        time.sleep(2.5)  # its claim lapses
        again = subprocess.run(flask, cwd=ROOT, env=env, capture_output=True, text=True, timeout=120)
        assert again.returncode == 0, again.stderr[-2000:]
        received = inbox.wait_for(100, timeout=30)
    finally:
        controller.stop()
    counts = Counter(m["to"][0] for m in received)
    assert set(counts) == {f"person{i}@example.org" for i in range(100)}, "nothing is lost"
    repeats = [m for m in received if counts[m["to"][0]] > 1]
    # At most the one message in flight when the sender died comes twice, with its Message-ID unchanged.
    assert len({m["to"][0] for m in repeats}) <= 1
    assert len({m["message_id"] for m in repeats}) <= 1
    with app.app_context():
        assert set(db.session.scalars(db.select(OutboxMessage.status))) == {"sent"}
