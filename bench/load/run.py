"""The load test: a fresh database, the data, gunicorn, then locust headless for a bounded time.

    python bench/load/run.py                      # full: PostgreSQL, 1000/300/5000, 50 users, 60 s
    python bench/load/run.py --short              # CI form: fewer people, 10 users, 15 s

Prints the figures per request kind and exits non-zero on any failed request (and, with
--strict, when p95 is over --p95-ms).
"""
import argparse
import json
import os
import secrets
import signal
import socket
import subprocess
import sys
import time
import urllib.request
import uuid
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]
BIN = Path(sys.executable).parent


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def create_database(server_url: str) -> tuple[str, callable]:
    """A fresh database: a new PostgreSQL database on the server, or a new SQLite file."""
    if server_url.startswith("sqlite"):
        path = ROOT / "bench" / "out" / f"load-{uuid.uuid4().hex[:8]}.sqlite"
        path.parent.mkdir(parents=True, exist_ok=True)
        return f"sqlite:///{path}", lambda: [p.unlink(missing_ok=True) for p in path.parent.glob(path.name + "*")]
    from sqlalchemy import create_engine, text
    from sqlalchemy.engine import make_url

    url = make_url(server_url).set(drivername="postgresql+psycopg")
    name = f"mm_load_{uuid.uuid4().hex[:8]}"
    admin = create_engine(url.set(database="postgres"), isolation_level="AUTOCOMMIT")
    with admin.connect() as conn:
        conn.execute(text(f'CREATE DATABASE "{name}"'))

    def drop():
        with admin.connect() as conn:
            conn.execute(text(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)'))
        admin.dispose()

    return url.set(database=name).render_as_string(hide_password=False), drop


def wait_until_up(url: str, seconds: float = 30) -> None:
    deadline = time.time() + seconds
    while time.time() < deadline:
        try:
            urllib.request.urlopen(url + "/healthz", timeout=2)
            return
        except OSError:
            time.sleep(0.3)
    raise RuntimeError("gunicorn did not come up")


def run(args) -> dict:
    database_url, drop = create_database(args.database)
    out = ROOT / "bench" / "out"
    out.mkdir(parents=True, exist_ok=True)
    plan_path = out / "load-plan.json"
    env = os.environ | {
        "DATABASE_URL": database_url,
        "SECRET_KEY": secrets.token_hex(16),
        "MENTORMATCH_ENV": "development",
        "LOGIN_RATE_LIMIT": "100000 per minute",  # every simulated person logs in from 127.0.0.1
        "SOLVE_RUNNER": "inline",
        "MAIL_BACKEND": "locmem",
        "LOAD_PLAN": str(plan_path),
        "LOAD_USERS": str(args.users),
        "LOAD_RESULT": str(out / "load-result.json"),
    }
    env.pop("REDIS_URL", None)
    gunicorn = None
    try:
        subprocess.run([BIN / "flask", "--app", "app", "db", "upgrade"], cwd=ROOT, env=env, check=True,
                       capture_output=True)
        subprocess.run([sys.executable, "bench/load/build.py", "--mentees", str(args.mentees), "--mentors",
                        str(args.mentors), "--requests", str(args.requests), "--plan", str(plan_path)],
                       cwd=ROOT, env=env, check=True)
        port = free_port()
        host = f"http://127.0.0.1:{port}"
        gunicorn = subprocess.Popen([BIN / "gunicorn", "-w", str(args.workers), "-b", f"127.0.0.1:{port}",
                                     "--log-level", "warning", "app:app"], cwd=ROOT, env=env)
        wait_until_up(host)
        subprocess.run([BIN / "locust", "-f", "bench/load/locustfile.py", "--headless", "--host", host,
                        "-u", str(args.users), "-r", str(args.spawn_rate), "-t", f"{args.seconds}s",
                        "--only-summary", "--loglevel", "WARNING"],
                       cwd=ROOT, env=env, check=False)
        return json.loads((out / "load-result.json").read_text())
    finally:
        if gunicorn is not None:
            gunicorn.send_signal(signal.SIGTERM)
            gunicorn.wait(timeout=30)
        drop()


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--database", default=os.environ.get("LOAD_DATABASE_URL",
                                                             "postgresql+psycopg://postgres@127.0.0.1:5432/postgres"))
    parser.add_argument("--mentees", type=int, default=1000)
    parser.add_argument("--mentors", type=int, default=300)
    parser.add_argument("--requests", type=int, default=5000)
    parser.add_argument("--users", type=int, default=50)
    parser.add_argument("--spawn-rate", type=int, default=10)
    parser.add_argument("--seconds", type=int, default=60)
    parser.add_argument("--workers", type=int, default=4)
    parser.add_argument("--p95-ms", type=float, default=150)
    parser.add_argument("--strict", action="store_true", help="also fail when p95 is over --p95-ms")
    parser.add_argument("--short", action="store_true", help="the CI form: 100/30/500, 10 users, 15 s, 2 workers")
    args = parser.parse_args()
    if args.short:
        args.mentees, args.mentors, args.requests = 100, 30, 500
        args.users, args.spawn_rate, args.seconds, args.workers = 10, 5, 15, 2
    stats = run(args)
    print(f"\n{args.mentees} mentees, {args.mentors} mentors, {args.requests} requests; {args.users} users, "
          f"{args.seconds} s, gunicorn -w {args.workers}; times after every user logged in")
    print(f"{'request':<18}{'count':>8}{'p50 ms':>9}{'p95 ms':>9}{'p99 ms':>9}")
    for name in ("mentee home", "directory search", "mentor home", "round review", "mix"):
        s = stats[name]
        print(f"{name:<18}{s['requests']:>8}{s['p50_ms']:>9.0f}{s['p95_ms']:>9.0f}{s['p99_ms']:>9.0f}")
    print(f"failed requests: {sum(stats['failures'].values())} {stats['failures'] or ''}")
    if stats["failures"] or not stats["mix"]["requests"]:
        print("FAIL: requests failed (or none were measured)")
        return 1
    if args.strict and stats["mix"]["p95_ms"] > args.p95_ms:
        print(f"FAIL: p95 {stats['mix']['p95_ms']} ms is over {args.p95_ms} ms")
        return 1
    return 0


if __name__ == "__main__":
    sys.exit(main())
