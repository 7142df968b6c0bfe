"""What one open thread costs the server: the htmx poll (every 5 s) with nothing new, and with one
new message, through the real app (test client: routing, login session, access check, queries,
template). Also the statements each poll sends. Medians of --repeat runs of --count polls.

    .venv/bin/python bench/thread_poll_bench.py [--count 500] [--messages 200] [--database-url URL]
"""
import argparse
import statistics
import sys
import tempfile
import time
from pathlib import Path
from types import SimpleNamespace

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

from sqlalchemy import event  # noqa: E402

from mentormatch import create_app  # noqa: E402
from mentormatch.core.security import hash_password  # noqa: E402
from mentormatch.extensions import db  # noqa: E402
from mentormatch.models import Membership, Message, Pairing, Program, ProgramCoordinator, User  # noqa: E402
from tests.conftest import app_config, login  # noqa: E402

PASSWORD = "correct horse battery"


def build(app, messages: int) -> tuple[SimpleNamespace, int, int]:
    with app.app_context():
        db.drop_all()
        db.create_all()
        users = [User(role=r, name=f"{r} one", email=f"{r}@example.org", password_hash=hash_password(PASSWORD))
                 for r in ("coordinator", "mentor", "mentee")]
        db.session.add_all(users)
        program = Program(name="Bench", description="", offers_rounds=True, offers_micro=True)
        program.coordinators.append(ProgramCoordinator(user=users[0]))
        db.session.add(program)
        db.session.flush()
        mentor, mentee = (Membership(program_id=program.id, user_id=u.id, role=u.role) for u in users[1:])
        db.session.add_all([mentor, mentee])
        db.session.flush()
        pairing = Pairing(program_id=program.id, mentor_membership_id=mentor.id, mentee_membership_id=mentee.id,
                          state="active")
        db.session.add(pairing)
        db.session.flush()
        db.session.add_all([Message(program_id=program.id, pairing_id=pairing.id, body=f"Message {n}",
                                    author_membership_id=(mentor, mentee)[n % 2].id) for n in range(messages)])
        db.session.commit()
        newest = db.session.scalar(db.select(db.func.max(Message.id)))
        return SimpleNamespace(email=users[2].email), pairing.id, newest


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--count", type=int, default=500)
    parser.add_argument("--messages", type=int, default=200, help="already in the thread")
    parser.add_argument("--repeat", type=int, default=3)
    parser.add_argument("--database-url", help="default: a temporary SQLite file")
    parser.add_argument("--show", action="store_true", help="print the statements of one poll")
    args = parser.parse_args()
    url = args.database_url or f"sqlite:///{tempfile.mkdtemp()}/bench.sqlite"
    app = create_app(app_config(url))
    mentee, pairing_id, newest = build(app, args.messages)
    client = app.test_client()
    login(client, mentee)
    statements = []
    with app.app_context():
        event.listen(db.engine, "before_cursor_execute", lambda *a: statements.append(a[2]))
    for label, after in (("nothing new", newest), ("one new", newest - 1)):
        runs = []
        for _ in range(args.repeat):
            start = time.perf_counter()
            for _ in range(args.count):
                response = client.get(f"/threads/pairing/{pairing_id}/messages?after={after}",
                                      headers={"HX-Request": "true"})
                assert response.status_code == 200
            runs.append((time.perf_counter() - start) / args.count * 1000)
        statements.clear()
        client.get(f"/threads/pairing/{pairing_id}/messages?after={after}", headers={"HX-Request": "true"})
        if "--show" in sys.argv[1:]:
            print("\n".join(s.split("\n")[0][:110] for s in statements))
        print(f"poll, {label}: {statistics.median(runs):.2f} ms median per poll, "
              f"{len(statements)} statements ({url.split(':')[0]})")


if __name__ == "__main__":
    main()
