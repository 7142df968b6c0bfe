"""The RQ path: a run queued by the web app is executed by a real `rq worker` process."""
import os
import subprocess
import sys
import time
import uuid
from pathlib import Path

import pytest
from redis import Redis

from tests.conftest import login, post_form
from tests.web.test_rounds_support import latest_run_id, make_round, round_state, run_row, small_world

REDIS_URL = os.environ.get("TEST_REDIS_URL", "redis://127.0.0.1:6379/15")
QUEUE = f"mentormatch-test-{uuid.uuid4().hex[:8]}"
ROOT = Path(__file__).resolve().parents[2]


def rq_burst(database_url: str, queue: str, timeout: int = 300) -> subprocess.CompletedProcess:
    """A real `rq worker` process that runs what is on `queue` and exits (its stderr kept). It gets
    the database through its environment (for SQLite, the same file), as a production worker would."""
    env = {**os.environ, "DATABASE_URL": database_url, "MENTORMATCH_ENV": "test", "MAIL_BACKEND": "locmem",
           "PYTHONPATH": str(ROOT)}
    rq = Path(sys.executable).with_name("rq")
    return subprocess.run([str(rq), "worker", "--burst", "--url", REDIS_URL, queue], cwd=ROOT, env=env,
                          capture_output=True, text=True, timeout=timeout)


def redis_up() -> bool:
    try:
        return Redis.from_url(REDIS_URL, socket_connect_timeout=1).ping()
    except Exception:
        return False


@pytest.mark.skipif(not redis_up(), reason="needs Redis at " + REDIS_URL)
@pytest.mark.parametrize("app", [{"REDIS_URL": REDIS_URL, "RQ_QUEUE": QUEUE}], indirect=True)
def test_a_run_queued_in_redis_is_solved_by_an_rq_worker_process(app, client, world, database_url):
    small_world(app, world.program.id)
    rid = make_round(app, world.program.id, world.coordinator.id)
    login(client, world.coordinator)
    page = f"/coordinator/programs/{world.program.id}/rounds/{rid}"
    started = time.perf_counter()
    assert post_form(client, page + "/run", {}, page=page).status_code == 303
    assert time.perf_counter() - started < 5  # the request returns at once
    run_id = latest_run_id(app, rid)
    assert run_row(app, run_id).status == "queued"
    assert Redis.from_url(REDIS_URL).llen(f"rq:queue:{QUEUE}") == 1

    done = rq_burst(database_url, QUEUE, timeout=120)  # another process, as in production
    assert done.returncode == 0, done.stderr[-2000:]
    row = run_row(app, run_id)
    assert row.status == "done", (row.error, done.stderr[-2000:])
    assert row.matched == 2 and round_state(app, rid) == "proposed"
    assert "Cy Mentee" in client.get(page).get_data(as_text=True)
