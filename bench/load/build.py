"""Builds the load-test program: N mentees, M mentors (profiles from the real anonymized data),
R micro-requests in every state, and one solved round. Writes the plan locust reads.

    DATABASE_URL=... python bench/load/build.py --mentees 1000 --mentors 300 --requests 5000 --plan FILE
"""
import argparse
import json
import random
import sys
import time
from datetime import timedelta
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[2]))

from sqlalchemy import insert  # noqa: E402

from mentormatch import create_app, demo  # noqa: E402
from mentormatch.demo import accounts as demo_accounts  # noqa: E402
from mentormatch.demo import people as demo_people
from mentormatch.demo import rounds as demo_rounds
from mentormatch.extensions import db  # noqa: E402
from mentormatch.models import PENDING_REQUEST, Membership, MicroRequest, OpenRequestCounter, User, utcnow  # noqa: E402
from mentormatch.services import programs  # noqa: E402

PASSWORD = demo.DEMO_PASSWORD
# Of every 10 requests: 1 open (the cap is 5 per mentee), the rest in the other states.
STATES = ["open", "accepted", "done", "done", "done", "declined", "cancelled", "expired", "done", "accepted"]


def build(mentees: int, mentors: int, requests: int, seed: int = 7) -> dict:
    rng = random.Random(seed)
    started = time.perf_counter()
    coordinator = User(email="load-coordinator@example.org", name="Load Coordinator", role="coordinator",
                       password_hash=demo_accounts.password_hash())
    db.session.add(coordinator)
    db.session.commit()
    program = programs.create_program(coordinator, name="Load test program", description="", offers_rounds=True,
                                      offers_micro=True)
    hash_ = demo_accounts.password_hash()
    rows = ([{"email": f"load-mentor{i}@example.org", "name": f"Mentor {i}", "role": "mentor"} for i in range(mentors)]
            + [{"email": f"load-mentee{i}@example.org", "name": f"Mentee {i}", "role": "mentee"} for i in range(mentees)])
    db.session.execute(insert(User), [r | {"password_hash": hash_, "created_at": utcnow()}
                                      for r in rows])
    users = db.session.execute(db.select(User.id, User.role).where(User.email.like("load-%"), User.role != "coordinator")
                               .order_by(User.id)).all()
    db.session.execute(insert(Membership), [{"program_id": program.id, "user_id": uid, "role": role, "joined_at": utcnow()}
                                            for uid, role in users])
    db.session.commit()
    demo_people.fill(program, rng, demo_people.real_mentor_profiles())
    members = db.session.execute(db.select(Membership.id, Membership.role).where(Membership.program_id == program.id)
                                 .order_by(Membership.id)).all()
    mentor_ids = [m for m, role in members if role == "mentor"]
    mentee_ids = [m for m, role in members if role == "mentee"]
    now = utcnow()
    open_count: dict[int, int] = {}
    pending: set[tuple[int, int]] = set()  # one pending request per mentee and mentor (a unique index)
    request_rows = []
    for i in range(requests):
        mentee = mentee_ids[i % len(mentee_ids)]
        mentor = rng.choice(mentor_ids)
        state = STATES[i % len(STATES)]
        if state == "open" and open_count.get(mentee, 0) >= 5:
            state = "done"
        if state in PENDING_REQUEST and (mentee, mentor) in pending:
            state = "done"
        if state in PENDING_REQUEST:
            pending.add((mentee, mentor))
        if state == "open":
            open_count[mentee] = open_count.get(mentee, 0) + 1
        created = now - timedelta(days=rng.randint(0, 80), hours=rng.randint(0, 23))
        answered = created + timedelta(hours=rng.randint(1, 72)) if state not in ("open", "cancelled", "expired") else None
        request_rows.append({
            "program_id": program.id, "mentee_membership_id": mentee, "mentor_membership_id": mentor,
            "kind": rng.choice(["feedback", "intro", "email", "call15", "call30"]),
            "question": f"Could you look at my plan #{i} and tell me which step to cut first?", "context": "",
            "state": state, "created_at": created, "answered_at": answered, "reminders_sent": 0, "decline_note": "",
        })
    db.session.execute(insert(MicroRequest), request_rows)
    db.session.execute(insert(OpenRequestCounter), [{"membership_id": m, "open_requests": open_count.get(m, 0)}
                                                    for m in mentee_ids])
    db.session.commit()
    demo_rounds.solved_round(program, coordinator)
    round_id = db.session.scalar(db.text("SELECT max(id) FROM rounds"))
    return {
        "password": PASSWORD,
        "accounts": {
            "coordinator": [coordinator.email],
            "mentor": [f"load-mentor{i}@example.org" for i in range(mentors)],
            "mentee": [f"load-mentee{i}@example.org" for i in range(mentees)],
        },
        "urls": {
            "directory": f"/requests/programs/{program.id}/mentors",
            "review": f"/coordinator/programs/{program.id}/rounds/{round_id}",
        },
        "build_s": round(time.perf_counter() - started, 1),
        "sizes": {"mentees": mentees, "mentors": mentors, "requests": requests},
    }


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--mentees", type=int, default=1000)
    parser.add_argument("--mentors", type=int, default=300)
    parser.add_argument("--requests", type=int, default=5000)
    parser.add_argument("--plan", default="bench/out/load-plan.json")
    args = parser.parse_args()
    app = create_app()
    with app.app_context():
        plan = build(args.mentees, args.mentors, args.requests)
    Path(args.plan).parent.mkdir(parents=True, exist_ok=True)
    Path(args.plan).write_text(json.dumps(plan))
    print(f"built {plan['sizes']} in {plan['build_s']} s; plan in {args.plan}")


if __name__ == "__main__":
    main()
