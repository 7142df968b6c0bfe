"""CSV import at the documented limit: 20,000 rows checked and applied, beside a reference.

The file is realistic: names from common first and last names, topics and languages drawn from
the real de-identified mentor profiles in /work/shared/data, IANA time zones, goals. One person in
ten already has an account in another program (they get an invitation instead of a membership).
The reference, measured in the same run on the same database, is a bare SQLAlchemy Core insert
of the same people (users, memberships, profiles: executemany, no checks, no mail), i.e. the floor.

    .venv/bin/python bench/import_bench.py [--rows 20000] [--runs 3] [--database-url URL] [--profile FILE]

Prints the rows, the engine, and the medians over --runs fresh runs of the apply (the import job:
wall and CPU seconds) beside the reference. CPU time matters on a shared machine: wall time
includes waiting for other processes.

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
import statistics
import sys
import tempfile
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

from sqlalchemy import func, insert  # noqa: E402

from mentormatch import create_app  # noqa: E402
from mentormatch.extensions import db  # noqa: E402
from mentormatch.models import GoalForm, Membership, MentorProfile, OutboxMessage, Program, ProgramCoordinator, User  # noqa: E402
from mentormatch.services.people import import_csv, import_jobs  # noqa: E402

DATA = Path(os.environ.get("MENTORMATCH_DATA", "/work/shared/data"))
FIRST = ["Ana", "Bruno", "Chidi", "Dana", "Emeka", "Fatima", "Gabriel", "Hana", "Ivan", "Jia", "Kofi", "Lucia", "Mateo", "Nadia", "Omar", "Priya", "Quinn", "Rosa", "Sven", "Tariq", "Uma", "Vera", "Wei", "Ximena", "Yusuf", "Zofia", "Aiko", "Bilal", "Carmen", "Diego", "Elif", "Femi", "Greta", "Hugo", "Ines", "Jonas", "Kavya", "Lars", "Mei", "Nikhil", "Olga", "Pedro", "Rania", "Sofia", "Tomas", "Valentina", "Wanjiru", "Yara"]
LAST = ["Silva", "Okafor", "Chen", "Novak", "Garcia", "Patel", "Kim", "Haddad", "Rossi", "Mensah", "Kowalski", "Santos", "Nguyen", "Schmidt", "Ibrahim", "Andersen", "Moreau", "Ortiz", "Tanaka", "Adeyemi", "Costa", "Fischer", "Kaur", "Lopez", "Mwangi", "Petrov", "Sato", "Yilmaz", "Dubois", "Reyes", "Osei", "Jensen", "Alvarez", "Ito", "Mahlangu", "Varga", "Singh", "Cohen", "Lindqvist", "Abara"]
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
        users = db.session.execute(db.select(User.id, User.role).where(User.role != "coordinator")).all()
        db.session.execute(insert(Membership), [{"program_id": other.id, "user_id": u, "role": role} for u, role in users])
        db.session.commit()
        return target.id


def reference_insert(app, text: str) -> tuple[float, float]:
    """Floor: the same people written with bare Core executemany, no checks, no mail.
    Returns (wall, CPU) seconds."""
    rows = list(csv.DictReader(io.StringIO(text)))
    with app.app_context():
        program = Program(name="Reference")
        db.session.add(program)
        db.session.commit()
        wall, cpu = time.perf_counter(), time.process_time()
        db.session.execute(insert(User), [{"email": "ref-" + r["Email"], "name": r["Name"], "role": r["Role"],
                                           "password_hash": "!"} for r in rows])
        users = db.session.execute(db.select(User.id, User.role).where(User.email.like("ref-%")).order_by(User.id)).all()
        db.session.execute(insert(Membership), [{"program_id": program.id, "user_id": u, "role": role} for u, role in users])
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
        return time.perf_counter() - wall, time.process_time() - cpu


def one_run(app, text: str, existing: list[tuple[str, str]], profile: str | None = None) -> dict:
    """A fresh schema, the preview, then the import job as the web app runs it (inline runner):
    store the checked rows, re-check them against the program, write everything, queue the mails
    in the outbox, one commit. Delivery is not part of it (MAIL_DELIVERY=cron: the outbox's worker
    sends later). Then the reference on the same database."""
    program_id = setup(app, existing)
    with app.test_request_context():
        program = db.session.get(Program, program_id)
        actor = db.session.scalar(db.select(User).where(User.role == "coordinator"))
        preview_s, preview_cpu, preview = timed(lambda: import_csv.preview(program, text))
        assert preview.ok, [(r.line, r.errors) for r in preview.rows if r.errors][:5]
        db.session.rollback()
        profiler = None
        if profile:
            from pyinstrument import Profiler

            profiler = Profiler(interval=0.002)
            profiler.start()
        job_s, job_cpu, job = timed(lambda: import_jobs.start(program, preview, actor))
        if profiler:
            profiler.stop()
            Path(profile).write_text(profiler.output_text(unicode=True, color=False, show_all=False))
        assert job.status == "done", job.error
        result = dict(job.result)
        mails = db.session.scalar(db.select(func.count()).select_from(OutboxMessage))
        db.session.remove()
    reference_s, reference_cpu = reference_insert(app, text)
    return {"preview": (preview_s, preview_cpu), "job": (job_s, job_cpu), "reference": (reference_s, reference_cpu),
            "mails": mails, "result": result}


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("--rows", type=int, default=20_000)
    ap.add_argument("--runs", type=int, default=3, help="fresh runs; the figures are their medians")
    ap.add_argument("--database-url", help="a PostgreSQL database to EMPTY and use")
    ap.add_argument("--profile", help="write a pyinstrument profile of the last run's import job to this file")
    args = ap.parse_args()
    url = args.database_url or f"sqlite:///{tempfile.mkdtemp(prefix='import-bench-')}/bench.sqlite"
    app = create_app({"SQLALCHEMY_DATABASE_URI": url, "TESTING": True, "ENV_NAME": "test", "SECRET_KEY": "bench",
                      "MAIL_BACKEND": "locmem", "MAIL_DELIVERY": "cron", "RATELIMIT_STORAGE_URI": "memory://",
                      "SOLVE_RUNNER": "inline", "PUBLIC_URL": "https://mentoring.example.org"})
    t = time.perf_counter()
    text, existing = build_csv(args.rows)
    print(f"rows           {args.rows}  ({len(text) / 1e6:.1f} MB CSV, {len(existing)} of them already have an "
          f"account elsewhere; built in {time.perf_counter() - t:.1f} s)")
    print(f"engine         {url.split('://')[0].split('+')[0]}   runs {args.runs}  (medians below; each run on a "
          "fresh schema)")
    runs = [one_run(app, text, existing, args.profile if i == args.runs - 1 else None) for i in range(args.runs)]
    last = runs[-1]

    def med(key: str, i: int) -> float:
        return statistics.median(r[key][i] for r in runs)

    job_s, reference_s = med("job", 0), med("reference", 0)
    verdict = "under" if job_s < 10 else "OVER"
    print(f"preview        {med('preview', 0):7.2f} s wall {med('preview', 1):6.2f} s CPU  "
          "(the confirming request: every row checked)")
    print(f"apply (job)    {job_s:7.2f} s wall {med('job', 1):6.2f} s CPU  (store + re-check + write + "
          f"{last['mails']} mails into the outbox, one commit; {last['result']})  -> {verdict} the 10 s target")
    print(f"reference      {reference_s:7.2f} s wall {med('reference', 1):6.2f} s CPU  "
          "(bare Core executemany of the same people: the floor)")
    print(f"apply/reference {job_s / reference_s:6.1f}x wall")
    print("each run (apply wall/CPU, reference wall/CPU): " + "; ".join(
        f"{r['job'][0]:.2f}/{r['job'][1]:.2f}, {r['reference'][0]:.2f}/{r['reference'][1]:.2f}" for r in runs))


def timed(work):
    wall, cpu = time.perf_counter(), time.process_time()
    value = work()
    return time.perf_counter() - wall, time.process_time() - cpu, value


if __name__ == "__main__":
    main()
