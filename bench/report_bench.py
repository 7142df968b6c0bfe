"""What the program report and its exports cost for a large program, through the real app (test
client: routing, login, access check, queries, template, openpyxl): the report page, one CSV
(pairings) and the whole workbook (the "Prepare workbook" request, the background job, the
download), for --people members, beside the same requests for a 50-person
program measured in the same run (the reference). Also the statements each request sends: they
must be the same at both sizes (no query per person).

    .venv/bin/python bench/report_bench.py [--people 5000] [--repeat 3] [--database-url URL]
"""
import argparse
import statistics
import sys
import tempfile
import time
from datetime import datetime, timedelta
from pathlib import Path
from types import SimpleNamespace

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

from sqlalchemy import event  # noqa: E402

from mentormatch import create_app  # noqa: E402
from mentormatch.core.security import hash_password  # noqa: E402
from mentormatch.extensions import db  # noqa: E402
from mentormatch.models import (  # noqa: E402
    CheckIn,
    ClosingSurvey,
    GoalForm,
    Meeting,
    Membership,
    MentorProfile,
    Pairing,
    Program,
    ProgramCoordinator,
    Round,
    SolveRun,
    User,
)
from mentormatch.services import workbook_jobs  # noqa: E402
from tests.conftest import app_config, csrf_from, login  # noqa: E402

PASSWORD = "correct horse battery"
T0 = datetime(2026, 6, 1, 9, 0)


def build(people: int, tag: str, coordinator: User) -> int:
    """A program of `people` members (a fifth mentors), two published rounds, every mentee paired,
    each pairing with a check-in, a closing survey and, for half, a meeting that happened."""
    program = Program(name=f"Bench {tag}", description="", offers_rounds=True, offers_micro=True)
    program.coordinators.append(ProgramCoordinator(user=coordinator))
    db.session.add(program)
    db.session.flush()
    n_mentors = max(people // 5, 1)
    users = [User(role="mentor" if i < n_mentors else "mentee", name=f"Person {tag} {i}",
                  email=f"p{i}.{tag}@example.org", password_hash=coordinator.password_hash) for i in range(people)]
    db.session.add_all(users)
    db.session.flush()
    members = [Membership(program_id=program.id, user_id=u.id, role=u.role) for u in users]
    db.session.add_all(members)
    db.session.flush()
    mentors, mentees = members[:n_mentors], members[n_mentors:]
    db.session.add_all([MentorProfile(membership_id=m.id, languages=["en"], bio="Ten years in data") for m in mentors])
    db.session.add_all([GoalForm(membership_id=m.id, near_term_goal="Lead a project", languages=["en"],
                                 submitted_at=T0 if i % 4 else None) for i, m in enumerate(mentees)])
    rounds = []
    for k, name in enumerate(("Spring", "Autumn")):
        r = Round(program_id=program.id, name=name, state="approved", approved_at=T0 + timedelta(days=180 * k))
        db.session.add(r)
        db.session.flush()
        run = SolveRun(round_id=r.id, status="done", mentee_count=len(mentees) // 2, matched_count=len(mentees) // 2 - 3)
        db.session.add(run)
        db.session.flush()
        r.approved_run_id = run.id
        rounds.append(r.id)
    pairings = [Pairing(program_id=program.id, round_id=rounds[i % 2], mentee_membership_id=m.id,
                        mentor_membership_id=mentors[i % n_mentors].id, proposed_at=T0,
                        state=("completed", "active", "ended_early")[i % 3], end_reason="Changed jobs")
                for i, m in enumerate(mentees)]
    db.session.add_all(pairings)
    db.session.flush()
    for i, p in enumerate(pairings):
        db.session.add(CheckIn(program_id=program.id, pairing_id=p.id, membership_id=p.mentee_membership_id, day=30,
                               score=1 + i % 5, answered_at=T0))
        db.session.add(ClosingSurvey(pairing_id=p.id, membership_id=p.mentee_membership_id, role="mentee",
                                     recommend=i % 11, changed="Clearer goals" if i % 7 == 0 else ""))
        if i % 2:
            db.session.add(Meeting(program_id=program.id, pairing_id=p.id, uid=f"{tag}-{p.id}@bench", state="done",
                                   organizer_membership_id=p.mentee_membership_id,
                                   proposer_membership_id=p.mentee_membership_id, starts_at=T0, mentee_met="yes"))
    db.session.commit()
    return program.id


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--people", type=int, default=5000)
    parser.add_argument("--repeat", type=int, default=3)
    parser.add_argument("--database-url", help="default: a temporary SQLite file")
    args = parser.parse_args()
    url = args.database_url or f"sqlite:///{tempfile.mkdtemp()}/bench.sqlite"
    # The workbook is measured the way it is used: "Prepare workbook" (the request), the job (run
    # here in this process, as a worker would), then the download; the test runner "none" leaves
    # the job queued for the bench to run.
    app = create_app(app_config(url, SOLVE_RUNNER="none"))
    with app.app_context():
        db.drop_all()
        db.create_all()
        coordinator = User(role="coordinator", name="Cora", email="cora@example.org",
                           password_hash=hash_password(PASSWORD))
        db.session.add(coordinator)
        db.session.flush()
        start = time.perf_counter()
        sizes = {50: build(50, "ref", coordinator), args.people: build(args.people, "big", coordinator)}
        print(f"built both programs in {time.perf_counter() - start:.1f} s ({url.split(':')[0]})")
    client = app.test_client()
    login(client, SimpleNamespace(email="cora@example.org"), PASSWORD)
    statements = []
    with app.app_context():
        event.listen(db.engine, "before_cursor_execute", lambda *a: statements.append(a[2]))
    for label, path in (("report page", "report"), ("pairings CSV", "export/pairings.csv")):
        figures = []
        for people, program_id in sizes.items():
            runs = []
            for _ in range(args.repeat):
                statements.clear()
                start = time.perf_counter()
                response = client.get(f"/coordinator/programs/{program_id}/{path}")
                runs.append((time.perf_counter() - start) * 1000)
                assert response.status_code == 200
            figures.append(f"{people} people: {statistics.median(runs):.0f} ms, {len(statements)} statements, "
                           f"{len(response.data) / 1024:.0f} KiB")
        print(f"{label:20} " + "  |  ".join(figures) + "   (first: the reference)")
    for people, program_id in sizes.items():
        token = csrf_from(client.get(f"/coordinator/programs/{program_id}/report").get_data(as_text=True))
        start = time.perf_counter()
        response = client.post(f"/coordinator/programs/{program_id}/workbook", data={"csrf_token": token})
        prepare_ms = (time.perf_counter() - start) * 1000
        assert response.status_code == 303
        job_page = response.headers["Location"]
        job_id = int(job_page.rstrip("/").split("/")[-1])
        start = time.perf_counter()
        assert workbook_jobs.execute(job_id, app) == "done"
        job_s = time.perf_counter() - start
        start = time.perf_counter()
        download = client.get(f"{job_page}/download")
        download_ms = (time.perf_counter() - start) * 1000
        assert download.status_code == 200
        print(f"workbook, {people} people: prepare request {prepare_ms:.0f} ms, background job {job_s:.1f} s, "
              f"download {download_ms:.0f} ms, {len(download.data) / 1024:.0f} KiB")


if __name__ == "__main__":
    main()
