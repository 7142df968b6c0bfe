"""Attacks on the workbook job (issue 17 part 2): two Prepare clicks at once, other programs'
coordinators, expiry, and the download's headers."""
import threading

import pytest

from mentormatch.extensions import db
from mentormatch.models import Program, User, WorkbookExport
from mentormatch.services import workbook_jobs

NONE = pytest.mark.parametrize("app", [{"SOLVE_RUNNER": "none"}], indirect=True)  # nothing runs the job


@NONE
def test_prepare_clicked_at_once_makes_one_job(app, world):
    """"One at a time per program" was a read then an insert: racing clicks each saw no job running
    and each queued one (on PostgreSQL; SQLite serializes the writers)."""
    racers = 6
    barrier = threading.Barrier(racers)
    ids, errors = [], []

    def prepare() -> None:
        with app.app_context():
            try:
                program = db.session.get(Program, world.program.id)
                user = db.session.get(User, world.coordinator.id)
                barrier.wait()
                ids.append(workbook_jobs.start(program, user).id)
            except Exception as error:  # noqa: BLE001 - reported below
                db.session.rollback()
                errors.append(repr(error))
            finally:
                db.session.remove()

    threads = [threading.Thread(target=prepare) for _ in range(racers)]
    for t in threads:
        t.start()
    for t in threads:
        t.join(30)
    assert errors == []
    with app.app_context():
        active = db.session.scalars(db.select(WorkbookExport.id).where(
            WorkbookExport.program_id == world.program.id, WorkbookExport.status.in_(("queued", "running")))).all()
    assert len(active) == 1, f"{len(active)} jobs queued for one program"
    assert set(ids) == set(active), "every click is shown the one job"


@NONE
def test_a_hostile_program_name_never_reaches_the_download_headers(app, world):
    """Quotes, line breaks, right-to-left text in the program's name: the files are named by the
    program's number only (held)."""
    from tests.conftest import login
    from tests.web.test_workbook_jobs import _job_id, _prepare
    with app.app_context():
        db.session.get(Program, world.program.id).name = 'Q"; filename="evil.exe\u202efdp.xlsx x\u0645\u062b'
        db.session.commit()
    client = app.test_client()
    login(client, world.coordinator)
    page = _prepare(client, world).headers["Location"]
    workbook_jobs.execute(_job_id(app, world), app)
    base = f"/coordinator/programs/{world.program.id}"
    for url, name in ((f"{page}/download", f"program-{world.program.id}.xlsx"),
                      (f"{base}/export.xlsx", f"program-{world.program.id}.xlsx"),
                      (f"{base}/export/people.csv", f"program-{world.program.id}-people.csv")):
        r = client.get(url)
        assert r.status_code == 200 and r.headers["Content-Disposition"] == f'attachment; filename="{name}"', url
        assert r.headers["Cache-Control"] == "no-store"


@pytest.mark.parametrize("app", [{"SOLVE_RUNNER": "none", "RETENTION_DAYS": 0}], indirect=True)
def test_a_workbook_prepared_after_retention_names_nobody(app, world):
    """An ended program's workbook is dropped by retention (held); one prepared afterwards holds only
    stand-ins (held)."""
    import io

    from openpyxl import load_workbook

    from mentormatch.services import reminders
    from tests.conftest import login, post_form
    from tests.web.test_workbook_jobs import _job_id, _prepare
    client = app.test_client()
    login(client, world.coordinator)
    base = f"/coordinator/programs/{world.program.id}"
    _prepare(client, world)
    workbook_jobs.execute(_job_id(app, world), app)
    assert post_form(client, f"{base}/end", {}, page=base).status_code == 303
    with app.app_context():
        reminders.run()
        assert db.session.scalar(db.select(db.func.count()).select_from(WorkbookExport)) == 0, "the old file is gone"
    page = _prepare(client, world).headers["Location"]
    assert workbook_jobs.execute(_job_id(app, world), app) == "done"
    book = load_workbook(io.BytesIO(client.get(f"{page}/download").get_data()), read_only=True)
    cells = " ".join(str(v) for sheet in book for row in sheet.iter_rows(values_only=True) for v in row)
    assert "A former member" in cells
    for leak in (world.mentee.name, world.mentor.name, world.mentee.email, world.mentor.email):
        assert leak not in cells
