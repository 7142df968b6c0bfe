"""The program workbook prepared in the background (issue 17 part 2): "Prepare workbook" queues a
job on the shared runner and returns at once; the section polls (htmx) or the page is refreshed
(no JavaScript) until a download link appears; the file is the program's coordinators' alone,
expires, survives nothing of an erased person, and a killed worker's job is failed, not stuck."""
import io
import sys
import uuid
from datetime import timedelta

import pytest
from openpyxl import load_workbook
from redis import Redis

from mentormatch.extensions import db
from mentormatch.models import ProgramCoordinator, User, WorkbookExport, utcnow
from mentormatch.services import reminders, workbook_jobs
from mentormatch.services.data_rights import erase
from tests.conftest import csrf_from, login
from tests.web.test_lifecycle_data import frozen  # noqa: F401
from tests.web.test_reports import EVIL, build
from tests.web.test_rq_worker import REDIS_URL, rq_burst

HX = {"HX-Request": "true"}
NONE = pytest.mark.parametrize("app", [{"SOLVE_RUNNER": "none"}], indirect=True)  # the test runs the job


def _base(world, program=None) -> str:
    return f"/coordinator/programs/{(program or world.program).id}"


def _prepare(client, world, headers=None):
    token = csrf_from(client.get(f"{_base(world)}/report").get_data(as_text=True))
    return client.post(f"{_base(world)}/workbook", data={"csrf_token": token}, headers=headers or {})


def _job_id(app, world) -> int:
    with app.app_context():
        return db.session.scalar(db.select(WorkbookExport.id).where(WorkbookExport.program_id == world.program.id)
                                 .order_by(WorkbookExport.id.desc()))


def _check_book(data: bytes, world) -> None:
    book = load_workbook(io.BytesIO(data))
    assert book.sheetnames == ["People", "Goal forms", "Mentor profiles", "Pairings", "Micro-requests", "Meetings",
                               "Check-ins", "Closing surveys"]
    names = {r[1] for r in book["People"].iter_rows(min_row=2, values_only=True)}
    assert world.mentee.name in names and world.other_mentee.name not in names
    goals = [g[4] for g in book["Goal forms"].iter_rows(min_row=2, values_only=True) if g[1] == world.mentee.name]
    assert goals == ["'" + EVIL], "formula-safe as the direct download"
    assert sorted(r[4] for r in book["Closing surveys"].iter_rows(min_row=2, values_only=True)) == [3, 9, 10]


@NONE
def test_prepare_returns_at_once_polls_while_active_and_then_offers_the_download(app, client, world, frozen):  # noqa: F811
    build(app, world)
    login(client, world.coordinator)
    report = client.get(f"{_base(world)}/report").get_data(as_text=True)
    assert 'id="prepare-workbook"' in report and "Prepare workbook" in report
    response = _prepare(client, world)
    assert response.status_code == 303
    job_page = response.headers["Location"]
    job_id = _job_id(app, world)
    assert job_page.endswith(f"/workbook/{job_id}")
    html = client.get(job_page).get_data(as_text=True)
    assert "Waiting for a worker" in html and 'hx-trigger="every 1s"' in html and "Refresh to see progress" in html
    assert client.get(f"{job_page}/download").status_code == 404, "no file before it is ready"
    # Asking again while it waits gives the same job, not a second one.
    assert _prepare(client, world).headers["Location"] == job_page

    assert workbook_jobs.execute(job_id, app) == "done"
    partial = client.get(job_page, headers=HX)
    text = partial.get_data(as_text=True)
    assert "<html" not in text and 'hx-trigger' not in text and 'id="download-workbook"' in text
    assert "HX-Request" in partial.headers.get("Vary", "")
    assert 'id="download-workbook"' in client.get(f"{_base(world)}/report").get_data(as_text=True)
    download = client.get(f"{job_page}/download")
    assert download.status_code == 200 and download.content_type == workbook_jobs.CONTENT_TYPE
    assert f'filename="program-{world.program.id}.xlsx"' in download.headers["Content-Disposition"]
    _check_book(download.data, world)
    with app.app_context():
        job = db.session.get(WorkbookExport, job_id)
        assert job.progress["done"] == job.progress["of"] == 8 and job.size == len(download.data)


@NONE
def test_with_htmx_the_report_section_replaces_itself_and_polls(app, client, world):
    login(client, world.coordinator)
    response = _prepare(client, world, headers=HX)
    html = response.get_data(as_text=True)
    assert response.status_code == 200
    assert html.lstrip().startswith('<section id="workbook-job"') and 'hx-trigger="every 1s"' in html


RQ_QUEUE = f"mentormatch-workbook-test-{uuid.uuid4().hex[:8]}"


@pytest.mark.parametrize("app", [{"REDIS_URL": REDIS_URL, "RQ_QUEUE": RQ_QUEUE}], indirect=True)
def test_on_the_rq_runner_an_rq_worker_process_writes_the_workbook(app, client, world, database_url):
    build(app, world)
    login(client, world.coordinator)
    job_page = _prepare(client, world).headers["Location"]
    assert Redis.from_url(REDIS_URL).llen(f"rq:queue:{RQ_QUEUE}") == 1
    assert "Waiting for a worker" in client.get(job_page).get_data(as_text=True)
    done = rq_burst(database_url, RQ_QUEUE)
    assert done.returncode == 0, done.stderr[-2000:]
    assert 'id="download-workbook"' in client.get(job_page).get_data(as_text=True), done.stderr[-2000:]
    _check_book(client.get(f"{job_page}/download").data, world)


@NONE
def test_only_the_programs_coordinators_reach_a_workbook(app, world, make_user):
    build(app, world)
    owner = app.test_client()
    login(owner, world.coordinator)
    job_page = _prepare(owner, world).headers["Location"]
    job_id = _job_id(app, world)
    workbook_jobs.execute(job_id, app)
    with app.app_context():
        co = make_user("coordinator", "Cole Cocoordinator")
        db.session.add(ProgramCoordinator(program_id=world.program.id, user_id=co.id))
        db.session.commit()
    for user, code in ((world.mentee, 403), (world.mentor, 403), (world.other_coordinator, 404), (co, 200)):
        client = app.test_client()
        login(client, user)
        assert client.get(job_page).status_code == code, user.name
        assert client.get(f"{job_page}/download").status_code == code, user.name
    anonymous = app.test_client()
    assert anonymous.get(f"{job_page}/download").status_code == 302
    # The other program's coordinator, with ids edited into their own program's URL: still 404.
    other = app.test_client()
    login(other, world.other_coordinator)
    assert other.get(f"{_base(world, world.other_program)}/workbook/{job_id}/download").status_code == 404
    # ... and cannot prepare one for a program they do not coordinate.
    token = csrf_from(other.get(f"{_base(world, world.other_program)}/report").get_data(as_text=True))
    assert other.post(f"{_base(world)}/workbook", data={"csrf_token": token}).status_code == 404
    mentee = app.test_client()
    login(mentee, world.mentee)
    token = csrf_from(mentee.get("/account/").get_data(as_text=True))
    assert mentee.post(f"{_base(world)}/workbook", data={"csrf_token": token}).status_code == 403
    with app.app_context():
        assert db.session.scalar(db.select(db.func.count()).select_from(WorkbookExport)) == 1, "nothing made by them"


@NONE
def test_a_killed_workers_job_is_failed_by_the_next_poll_and_a_late_finish_changes_nothing(app, client, world):
    login(client, world.coordinator)
    job_page = _prepare(client, world).headers["Location"]
    job_id = _job_id(app, world)
    with app.app_context():  # the worker took it and was killed: its heartbeat stopped long ago
        db.session.execute(db.update(WorkbookExport).where(WorkbookExport.id == job_id).values(
            status="running", phase="writing", heartbeat_at=utcnow() - timedelta(seconds=workbook_jobs.STALE_S + 1)))
        db.session.commit()
    html = client.get(job_page).get_data(as_text=True)
    assert workbook_jobs.STOPPED in html and "hx-trigger" not in html and "Prepare again" in html
    # The killed worker's job is not picked up twice, and a new one can be prepared at once.
    assert workbook_jobs.execute(job_id, app) == "skipped"
    new_page = _prepare(client, world).headers["Location"]
    assert new_page != job_page
    new_id = _job_id(app, world)
    # A worker that resumes after its job was failed as stale writes nothing over "failed".
    write = workbook_jobs.exports.export_workbook

    def failed_meanwhile(program, progress=None):
        body = write(program, progress)
        with db.engine.begin() as conn:
            conn.execute(db.update(WorkbookExport).where(WorkbookExport.id == new_id).values(status="failed"))
        return body

    workbook_jobs.exports.export_workbook = failed_meanwhile
    try:
        assert workbook_jobs.execute(new_id, app) == "failed"
    finally:
        workbook_jobs.exports.export_workbook = write
    assert client.get(f"{new_page}/download").status_code == 404


@NONE
def test_a_workbook_expires_and_the_scheduled_run_deletes_it(app, client, world, frozen):  # noqa: F811
    login(client, world.coordinator)
    job_page = _prepare(client, world).headers["Location"]
    workbook_jobs.execute(_job_id(app, world), app)
    assert client.get(f"{job_page}/download").status_code == 200
    frozen.advance(hours=workbook_jobs.KEEP_HOURS, seconds=1)
    assert client.get(f"{job_page}/download").status_code == 404 and client.get(job_page).status_code == 404
    assert 'id="download-workbook"' not in client.get(f"{_base(world)}/report").get_data(as_text=True)
    with app.app_context():
        reminders.run()
        assert db.session.scalar(db.select(db.func.count()).select_from(WorkbookExport)) == 0


@NONE
def test_erasing_an_account_drops_the_workbooks_that_name_them(app, client, world):
    login(client, world.coordinator)
    _prepare(client, world)
    workbook_jobs.execute(_job_id(app, world), app)
    with app.app_context():
        other = WorkbookExport(program_id=world.other_program.id, status="done", content=b"x", size=1)
        db.session.add(other)
        db.session.commit()
        erase.erase_user(db.session.get(User, world.mentee.id))
        db.session.commit()
        left = list(db.session.scalars(db.select(WorkbookExport.program_id)))
        assert left == [world.other_program.id], "their program's file is gone, another program's stays"


@pytest.mark.parametrize("app", [{"WORKBOOK_INLINE_PEOPLE": 3}], indirect=True)
def test_a_large_programs_direct_download_sends_the_coordinator_to_prepare_it(app, client, world):
    build(app, world)
    login(client, world.coordinator)
    response = client.get(f"{_base(world)}/export.xlsx")
    assert response.status_code == 303 and response.headers["Location"].endswith("/report#workbook-job")
    assert "prepare the workbook" in client.get(f"{_base(world)}/report").get_data(as_text=True)


def test_a_workbook_stopped_midway_leaves_nothing_to_fail_at_garbage_collection(app, world):
    """A job stopped between sheets (its worker was failed, say) abandons a write-only book; its open
    sheet generator must be finished then, not raise later inside whatever runs next."""
    import gc

    from mentormatch.models import Program
    from mentormatch.services import exports

    def stop_after_the_first_sheet(done: int, title: str) -> None:
        if done == 1:
            raise RuntimeError("stopped")

    seen = []
    hook, sys.unraisablehook = sys.unraisablehook, seen.append
    try:
        with app.app_context(), pytest.raises(RuntimeError):
            exports.export_workbook(db.session.get(Program, world.program.id), stop_after_the_first_sheet)
        gc.collect()
    finally:
        sys.unraisablehook = hook
    assert not seen, [str(u.exc_value) for u in seen]


@NONE
def test_a_crashed_job_says_so_in_its_readers_language_and_logs_the_error(app, client, world, caplog):
    """A job whose work raises is failed with a fixed text the page translates (the exception,
    which the reader cannot act on, goes to the log)."""
    login(client, world.coordinator)
    job_page = _prepare(client, world).headers["Location"]
    job_id = _job_id(app, world)
    assert workbook_jobs.JOBS.run(job_id, app, "writing", lambda _id: 1 / 0) == "failed"
    assert "ZeroDivisionError" in caplog.text
    with app.app_context():
        assert db.session.get(WorkbookExport, job_id).error == workbook_jobs.CRASHED
    assert workbook_jobs.CRASHED in client.get(job_page).get_data(as_text=True)
    client.set_cookie("lang", "es")
    with app.app_context():
        db.session.get(User, world.coordinator.id).locale = "es"
        db.session.commit()
    spanish = client.get(job_page).get_data(as_text=True)
    assert "registro del servidor" in spanish and workbook_jobs.CRASHED not in spanish
