"""Faults around solves: a stale worker resumed late, a balanced run under RQ, Redis unreachable.

Real parts: the stale worker is a `flask solve` process paused with SIGSTOP; the balanced run is
executed by an `rq worker` process; "Redis down" is a closed local port.
"""
import os
import random
import signal
import socket
import subprocess
import sys
import time
import uuid
from pathlib import Path

import pytest
from sqlalchemy import create_engine, text, update
from sqlalchemy.exc import OperationalError

from mentormatch.extensions import db
from mentormatch.models import GoalForm, Membership, MentorProfile, Pairing, Term, User
from mentormatch.models.rounds import Round, RunPair, SolveRun
from mentormatch.services.rounds import runs, settings
from tests.conftest import login, password_hash, post_form
from tests.web.test_rounds_support import latest_run_id, make_round, round_state, run_row

ROOT = Path(__file__).resolve().parents[2]
BIN = Path(sys.executable).parent
REDIS_URL = os.environ.get("TEST_REDIS_URL", "redis://127.0.0.1:6379/15")
HX = {"HX-Request": "true"}
BALANCED = {"group_balance": True, "balance_slack": 0}


def _closed_port() -> int:
    # A port the kernel just gave us and we closed again: nothing listens there.
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def crowd(app, program_id: int, mentees: int, mentors: int, seed: int = 7) -> None:
    """A program big enough that a balanced solve takes a while (three groups, twelve topics)."""
    rng = random.Random(seed)
    with app.app_context():
        topics = [Term(program_id=program_id, kind="topic", name=f"topic {i}") for i in range(12)]
        groups = [Term(program_id=program_id, kind="group", name=g) for g in ("first-gen", "parents", "veterans")]
        db.session.add_all(topics + groups)
        users = [User(role=role, name=f"{role.title()} {i}", email=f"crowd-{role}-{i}@example.org",
                      password_hash=password_hash())
                 for role, n in (("mentor", mentors), ("mentee", mentees)) for i in range(n)]
        db.session.add_all(users)
        db.session.flush()
        members = [Membership(program_id=program_id, user_id=u.id) for u in users]
        db.session.add_all(members)
        db.session.flush()
        for user, member in zip(users, members):
            common = dict(membership_id=member.id, languages=["en"], years=rng.randint(0, 20),
                          topics=[t.id for t in rng.sample(topics, 3)],
                          groups=[g.id for g in rng.sample(groups, rng.randint(0, 1))])
            db.session.add(MentorProfile(capacity_round=rng.randint(1, 2), **common) if user.role == "mentor"
                           else GoalForm(**common))
        db.session.commit()


def _env(database_url: str, **extra) -> dict:
    env = {k: v for k, v in os.environ.items() if k not in ("REDIS_URL", "RATELIMIT_STORAGE_URI", "SOLVE_RUNNER")}
    return {**env, "DATABASE_URL": database_url, "MENTORMATCH_ENV": "test", "MAIL_BACKEND": "locmem",
            "PYTHONPATH": str(ROOT), **extra}


def _run_of(app, round_id: int):
    with app.app_context(), db.engine.connect() as conn:
        return conn.execute(db.select(SolveRun.id, SolveRun.status, SolveRun.phase)
                            .where(SolveRun.round_id == round_id).order_by(SolveRun.id.desc())).first()


def _row_unlocked(database_url: str, run_id: int) -> bool:
    """Can another connection write the run's row now? A process stopped inside one of its short
    progress writes would hold it, and the coordinator's stale check would wait for it."""
    engine = create_engine(database_url)
    try:
        with engine.begin() as conn:
            conn.execute(text("SET LOCAL lock_timeout = '1s'" if engine.dialect.name == "postgresql"
                              else "PRAGMA busy_timeout = 1000"))
            conn.execute(update(SolveRun).where(SolveRun.id == run_id).values(heartbeat_at=SolveRun.heartbeat_at))
        return True
    except OperationalError:
        return False
    finally:
        engine.dispose()


def _pause_mid_solve(app, proc: subprocess.Popen, round_id: int, database_url: str) -> int:
    """SIGSTOP the solve process while its run is running, in the solver, outside any write."""
    while True:
        assert proc.poll() is None, proc.communicate()
        row = _run_of(app, round_id)
        if row is not None and row.status not in ("queued", "running"):
            pytest.fail(f"the run ended ({row.status}) before it could be paused")
        if row is not None and row.status == "running" and row.phase in ("flow", "lagrangian", "cpsat"):
            proc.send_signal(signal.SIGSTOP)
            if _row_unlocked(database_url, row.id):
                return row.id
            proc.send_signal(signal.SIGCONT)
        time.sleep(0.02)


@pytest.mark.parametrize("app", [{"SOLVE_RUNNER": "none", "SOLVE_STALE_SECONDS": 2, "SOLVE_TIME_LIMIT": 20}],
                         indirect=True)
def test_a_stale_solve_process_resumed_late_leaves_the_new_run_and_its_round_alone(app, client, world, database_url):
    crowd(app, world.program.id, mentees=1500, mentors=300)
    rid = make_round(app, world.program.id, world.coordinator.id, rules=BALANCED)
    page = f"/coordinator/programs/{world.program.id}/rounds/{rid}"
    # The old worker: a real `flask solve` with a generous time limit, paused in the middle of the solve.
    old = subprocess.Popen([str(BIN / "flask"), "--app", "app", "solve", "--round", str(rid)], cwd=ROOT,
                           env=_env(database_url, SOLVE_STALE_SECONDS="2", SOLVE_TIME_LIMIT="600"),
                           stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True)
    try:
        old_id = _pause_mid_solve(app, old, rid, database_url)
        login(client, world.coordinator)
        # The coordinator's page polls; past the heartbeat limit it marks the paused run failed.
        for _ in range(240):
            if "stopped responding" in client.get(f"{page}/runs/{old_id}/progress", headers=HX).get_data(as_text=True):
                break
            time.sleep(0.5)
        assert run_row(app, old_id).status == "failed" and round_state(app, rid) == "draft"
        with app.app_context():  # the coordinator re-runs without balancing, which ends in seconds
            round_ = db.session.get(Round, rid)
            settings.update_settings(round_, db.session.get(User, world.coordinator.id), name=round_.name,
                                   weights=round_.weights, rules={**round_.rules, "group_balance": False},
                                   pool=round_.pool)

        assert post_form(client, page + "/run", {}, page=page).status_code == 303
        new_id = latest_run_id(app, rid)
        assert new_id != old_id and run_row(app, new_id).status == "queued" and round_state(app, rid) == "solving"

        old.send_signal(signal.SIGCONT)  # the old worker wakes up while the new run waits for its worker
        out, err = old.communicate(timeout=900)
    finally:
        if old.poll() is None:
            old.send_signal(signal.SIGCONT)
            old.kill()
            old.wait()
    assert old.returncode == 0, err[-2000:]

    stale = run_row(app, old_id)
    assert (stale.status, stale.phase) == ("failed", "failed") and "stopped responding" in stale.error, (out, err[-2000:])
    with app.app_context():
        assert db.session.scalar(db.select(db.func.count()).select_from(RunPair).where(RunPair.run_id == old_id)) == 0
    assert round_state(app, rid) == "solving" and run_row(app, new_id).status == "queued"

    assert runs.execute(new_id, app) == "done", run_row(app, new_id).error
    assert round_state(app, rid) == "proposed"
    assert post_form(client, page + "/approve", {}, page=page).status_code == 303
    with app.app_context():
        round_ = db.session.get(Round, rid)
        assert (round_.state, round_.approved_run_id) == ("approved", new_id)
        pairs = db.session.scalar(db.select(db.func.count()).select_from(Pairing).where(Pairing.round_id == rid))
        assert pairs == run_row(app, new_id).pairs > 0


QUEUE = f"mentormatch-test-{uuid.uuid4().hex[:8]}"


@pytest.mark.parametrize("app", [{"REDIS_URL": REDIS_URL, "RQ_QUEUE": QUEUE}], indirect=True)
def test_a_balanced_run_under_an_rq_worker_logs_no_application_context_error(app, client, world, database_url):
    crowd(app, world.program.id, mentees=600, mentors=120)
    rid = make_round(app, world.program.id, world.coordinator.id, rules=BALANCED)
    login(client, world.coordinator)
    page = f"/coordinator/programs/{world.program.id}/rounds/{rid}"
    assert post_form(client, page + "/run", {}, page=page).status_code == 303
    run_id = latest_run_id(app, rid)
    # The balanced solve checks for a cancel from its own polling thread, every 0.1 s while CP-SAT runs.
    done = subprocess.run([str(BIN / "rq"), "worker", "--burst", "--url", REDIS_URL, QUEUE], cwd=ROOT,
                          env=_env(database_url, SOLVE_TIME_LIMIT="3"), capture_output=True, text=True, timeout=600)
    assert done.returncode == 0, done.stderr[-2000:]
    row = run_row(app, run_id)
    assert row.status == "done", (row.error, done.stderr[-3000:])
    logs = done.stdout + done.stderr
    assert "Working outside of application context" not in logs, logs[-3000:]
    assert "Traceback" not in logs, logs[-3000:]


@pytest.mark.parametrize("app", [{"REDIS_URL": f"redis://127.0.0.1:{_closed_port()}/0", "SOLVE_RUNNER": "rq"}],
                         indirect=True)
def test_with_redis_unreachable_a_run_fails_at_once_and_the_round_returns_to_draft(app, client, world):
    crowd(app, world.program.id, mentees=6, mentors=3)
    rid = make_round(app, world.program.id, world.coordinator.id)
    login(client, world.coordinator)
    page = f"/coordinator/programs/{world.program.id}/rounds/{rid}"
    response = post_form(client, page + "/run", {}, page=page, follow_redirects=True)
    assert response.status_code == 200
    html = response.get_data(as_text=True)
    assert "could not be queued" in html and "The run failed" in html
    row = run_row(app, latest_run_id(app, rid))
    assert row.status == "failed" and row.error == runs.QUEUE_DOWN
    assert round_state(app, rid) == "draft"
    # Nothing is stuck: once the queue is back the coordinator simply runs again.
    html = client.get(page).get_data(as_text=True)
    assert "Cancel run" not in html
