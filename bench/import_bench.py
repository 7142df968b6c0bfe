"""CSV import at the documented limit: 20,000 rows checked and applied, beside a reference.

The file is realistic: names from common first and last names, topics and languages drawn from
the real de-identified mentor profiles in /work/shared/data, IANA time zones, goals. One person in
ten already has an account in another program (they get an invitation instead of a membership).
The reference, measured in the same run on the same database, is a bare SQLAlchemy Core insert
of the same people (users, memberships, profiles: executemany, no checks, no mail), i.e. the floor.

    MAIL_BACKEND=locmem .venv/bin/python bench/import_bench.py [--rows 20000] [--database-url URL]

--database-url: a PostgreSQL database the benchmark may empty (it drops and creates every table).
Without it, a new SQLite file in a temporary directory.
"""
from __future__ import annotations

import argparse
import csv
import io
import json
import os
import random
import sys
import tempfile
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

from sqlalchemy import insert  # noqa: E402

from mentormatch import create_app  # noqa: E402
from mentormatch.extensions import db  # noqa: E402
from mentormatch.models import GoalForm, Membership, MentorProfile, Program, ProgramCoordinator, User  # noqa: E402
from mentormatch.services import csv_import, import_jobs, notify  # noqa: E402

DATA = Path(os.environ.get("MENTORMATCH_DATA", "/work/shared/data"))
FIRST = ("Ana Bruno Chidi Dana Emeka Fatima Gabriel Hana Ivan Jia Kofi Lucia Mateo Nadia Omar Priya Quinn Rosa "
         "Sven Tariq Uma Vera Wei Ximena Yusuf Zofia Aiko Bilal Carmen Diego Elif Femi Greta Hugo Ines Jonas "
         "Kavya Lars Mei Nikhil Olga Pedro Rania Sofia Tomas Valentina Wanjiru Yara").split()
LAST = ("Silva Okafor Chen Novak Garcia Patel Kim Haddad Rossi Mensah Kowalski Santos Nguyen Schmidt Ibrahim "
        "Andersen Moreau Ortiz Tanaka Adeyemi Costa Fischer Kaur Lopez Mwangi Petrov Sato Yilmaz Dubois Reyes "
        "Osei Jensen Alvarez Ito Mahlangu Varga Singh Cohen Lindqvist Abara").split()
ZONES = {"US": "America/New_York", "GB": "Europe/London", "IN": "Asia/Kolkata", "DE": "Europe/Berlin",
         "NG": "Africa/Lagos", "CA": "America/Toronto", "ES": "Europe/Madrid", "FR": "Europe/Paris",
         "BR": "America/Sao_Paulo", "NL": "Europe/Amsterdam", "PT": "Europe/Lisbon", "KE": "Africa/Nairobi",
         "AU": "Australia/Sydney", "MX": "America/Mexico_City", "PL": "Europe/Warsaw", "PH": "Asia/Manila"}
GOALS = ("Ship my first pull request at work", "Move from support into engineering", "Prepare for a senior role",
         "Learn to give talks", "Get better at system design interviews", "Lead a small team for the first time")
HEADER = ["Name", "Email", "Role", "Topics", "Years", "Languages", "Time zone", "Industry", "Groups",
          "Capacity", "Preference", "Goal"]


def profiles() -> list[dict]:
    cc = json.loads((DATA / "mentors-codingcoach.json").read_text())
    return [{"topics": m["tags"], "languages": [x for x in m["languages"] if len(x) == 2] or ["en"],
             "country": m["country"]} for m in cc]


def build_csv(rows: int, seed: int = 1, existing_every: int = 10) -> tuple[str, list[tuple[str, str]]]:
    """The CSV text and the (email, role) of the people who already have an account (one in `existing_every`)."""
    rng = random.Random(seed)
    real = profiles()
    out = io.StringIO()
    writer = csv.writer(out)
    writer.writerow(HEADER)
    existing = []
    for i in range(rows):
        first, last = rng.choice(FIRST), rng.choice(LAST)
        email = f"{first}.{last}.{i}@example.org".lower()
        p = rng.choice(real)
        mentor = rng.random() < 0.25
        if i % existing_every == 0:
            existing.append((email, "mentor" if mentor else "mentee"))
        writer.writerow([
            f"{first} {last}", email, "mentor" if mentor else "mentee", "; ".join(p["topics"][:5]),
            rng.randint(4, 25) if mentor else rng.randint(0, 6), ";".join(p["languages"][:3]),
            ZONES.get(p["country"], "UTC"), rng.choice(["software", "finance", "health", "education", ""]),
            rng.choice(["first-gen", "women-in-tech", "career-changer", "", ""]),
            rng.randint(1, 4) if mentor else "", "" if mentor else rng.choice(["peer", "ahead", "senior"]),
            "" if mentor else rng.choice(GOALS)])
    return out.getvalue(), existing


def setup(app, existing: list[tuple[str, str]]) -> int:
    """Empty schema, a coordinator, the target program and another program holding `existing`."""
    with app.app_context():
        db.drop_all()
        db.create_all()
        coordinator = User(email="bench.coordinator@example.org", name="Bench", role="coordinator", password_hash="!")
        target, other = Program(name="Import target"), Program(name="Another program")
        target.coordinators.append(ProgramCoordinator(user=coordinator))
        db.session.add_all([target, other])
        db.session.flush()
        db.session.execute(insert(User), [{"email": e, "name": "Someone Else", "role": role, "password_hash": "!"}
                                          for e, role in existing])
        users = db.session.scalars(db.select(User.id).where(User.role != "coordinator")).all()
        db.session.execute(insert(Membership), [{"program_id": other.id, "user_id": u} for u in users])
        db.session.commit()
        return target.id


def reference_insert(app, text: str) -> float:
    """Floor: the same people written with bare Core executemany, no checks, no mail."""
    rows = list(csv.DictReader(io.StringIO(text)))
    with app.app_context():
        program = Program(name="Reference")
        db.session.add(program)
        db.session.commit()
        started = time.perf_counter()
        db.session.execute(insert(User), [{"email": "ref-" + r["Email"], "name": r["Name"], "role": r["Role"],
                                           "password_hash": "!"} for r in rows])
        user_ids = db.session.scalars(db.select(User.id).where(User.email.like("ref-%")).order_by(User.id)).all()
        db.session.execute(insert(Membership), [{"program_id": program.id, "user_id": u} for u in user_ids])
        member_ids = db.session.scalars(db.select(Membership.id).where(Membership.program_id == program.id)
                                        .order_by(Membership.id)).all()
        common = [{"membership_id": m, "years": int(r["Years"]), "languages": r["Languages"].split(";"),
                   "timezone": r["Time zone"], "topics": [], "groups": [], "industry": r["Industry"]}
                  for m, r in zip(member_ids, rows)]
        mentors = [c | {"capacity_round": int(r["Capacity"])} for c, r in zip(common, rows) if r["Role"] == "mentor"]
        mentees = [c | {"preference": r["Preference"], "near_term_goal": r["Goal"]}
                   for c, r in zip(common, rows) if r["Role"] == "mentee"]
        db.session.execute(insert(MentorProfile), mentors)
        db.session.execute(insert(GoalForm), mentees)
        db.session.commit()
        return time.perf_counter() - started


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("--rows", type=int, default=20_000)
    ap.add_argument("--database-url", help="a PostgreSQL database to EMPTY and use")
    args = ap.parse_args()
    url = args.database_url or f"sqlite:///{tempfile.mkdtemp(prefix='import-bench-')}/bench.sqlite"
    app = create_app({"SQLALCHEMY_DATABASE_URI": url, "TESTING": True, "ENV_NAME": "test", "SECRET_KEY": "bench",
                      "MAIL_BACKEND": os.environ.get("MAIL_BACKEND", "locmem"), "RATELIMIT_STORAGE_URI": "memory://",
                      "SOLVE_RUNNER": "inline"})
    t = time.perf_counter()
    text, existing = build_csv(args.rows)
    program_id = setup(app, existing)
    print(f"database       {url.split('://')[0]}  ({len(text) / 1e6:.1f} MB CSV, {args.rows} rows, "
          f"{len(existing)} of them already have an account elsewhere; built in {time.perf_counter() - t:.1f} s)")
    with app.test_request_context():
        program = db.session.get(Program, program_id)
        actor = db.session.scalar(db.select(User).where(User.role == "coordinator"))
        preview_s, preview_cpu, preview = timed(lambda: csv_import.preview(program, text))
        assert preview.ok, [(r.line, r.errors) for r in preview.rows if r.errors][:5]
        db.session.rollback()
        # The job as the web app runs it, on the inline runner: store the checked rows, re-check
        # them against the program, write everything, queue the mails, one commit. notify.send is
        # timed apart: with locmem it composes every MIME message in-process, work that the
        # transactional outbox moves to its delivery worker.
        mail_s = [0.0]
        send = notify.send

        def timed_send(*args):
            t0 = time.perf_counter()
            send(*args)
            mail_s[0] += time.perf_counter() - t0

        notify.send = timed_send
        job_s, job_cpu, job = timed(lambda: import_jobs.start(program, preview, actor))
        notify.send = send
        assert job.status == "done", job.error
        mails = len(app.extensions["mailman"].outbox) if "mailman" in app.extensions else 0
    reference_s = reference_insert(app, text)
    verdict = "under" if job_s < 10 else "OVER"
    print(f"preview        {preview_s:7.2f} s wall {preview_cpu:6.2f} s CPU  (the confirming request: every row checked)")
    print(f"import job     {job_s:7.2f} s wall {job_cpu:6.2f} s CPU  (re-check + write + {mails} mails via notify.send; "
          f"{job.result})  -> {verdict} the 10 s target")
    print(f"  of which    {mail_s[0]:7.2f} s wall in notify.send ({job_s - mail_s[0]:.2f} s without it)")
    print(f"reference      {reference_s:7.2f} s wall               (bare Core executemany of the same people: the floor)")
    print(f"job/reference  {job_s / reference_s:7.1f}x")


def timed(work):
    wall, cpu = time.perf_counter(), time.process_time()
    value = work()
    return time.perf_counter() - wall, time.process_time() - cpu, value


if __name__ == "__main__":
    main()
