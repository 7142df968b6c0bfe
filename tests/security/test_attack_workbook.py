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
