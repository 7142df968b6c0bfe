"""CSV import: preview with per-row errors in words, then all or nothing."""
import io
import re
import uuid

import pytest
from redis import Redis
from sqlalchemy import event, update

from mentormatch.core import links
from mentormatch.core.security import verify_password
from mentormatch.extensions import db
from mentormatch.models import GoalForm, ImportJob, Membership, MentorProfile, Program, ProgramInvitation, User
from mentormatch.services import accounts
from mentormatch.services.people import import_csv, import_jobs
from tests.conftest import csrf_from, login, post_form
from tests.web.test_rq_worker import REDIS_URL, rq_burst

GOOD = ("Name,Email,Role,Topics,Years,Languages,Time zone,Capacity\n"
        "Rita Reis,rita@example.org,mentor,python; sql,9,pt;en,Europe/Lisbon,2\n"
        "Sam Silva,sam@example.org,mentee,python,2,pt,America/Sao_Paulo,\n")
BAD = GOOD + ("No Email,not-an-email,mentee,python,2,en,UTC,\n"
              "Bad Zone,zone@example.org,mentor,python,99,english,Mars/Base,\n")


def upload(client, program_id, text, confirm=False):
    url = f"/coordinator/programs/{program_id}/import"
    token = csrf_from(client.get(url).get_data(as_text=True))
    data = {"csrf_token": token}
    if confirm:
        data.update(csv_text=text, confirm="1")
    else:
        data["file"] = (io.BytesIO(text.encode()), "people.csv")
    return client.post(url, data=data, content_type="multipart/form-data")


def count(app, model):
    with app.app_context():
        return db.session.scalar(db.select(db.func.count()).select_from(model))


def test_bad_rows_are_listed_in_words_and_nothing_is_imported(app, client, world):
    login(client, world.coordinator)
    users_before = count(app, User)
    html = upload(client, world.program.id, BAD).get_data(as_text=True)
    assert "2 with errors" in html
    assert "“not-an-email” is not an email address." in html
    assert "Years must be a number from 0 to 60" in html and "“Mars/Base” is not a time zone name" in html
    assert "Languages are two-letter codes" in html
    assert "Import 4 people" not in html
    # Posting the confirmation anyway (a crafted request) still applies nothing.
    html = upload(client, world.program.id, BAD, confirm=True).get_data(as_text=True)
    assert "Nothing was imported" in html
    assert count(app, User) == users_before and count(app, MentorProfile) == 0 and count(app, GoalForm) == 0


def test_good_file_creates_accounts_profiles_and_invitations(app, client, world):
    login(client, world.coordinator)
    html = upload(client, world.program.id, GOOD).get_data(as_text=True)
    assert "Import 2 people" in html and "rita@example.org" in html
    r = upload(client, world.program.id, GOOD, confirm=True)
    assert r.status_code == 303
    with app.app_context():
        rita = db.session.scalar(db.select(User).where(User.email == "rita@example.org"))
        assert rita.role == "mentor" and not verify_password(rita.password_hash, "")
        assert rita.password_hash.startswith("!")  # unusable until they set one
        profile = db.session.scalar(db.select(MentorProfile).join(Membership).where(Membership.user_id == rita.id))
        assert profile.timezone == "Europe/Lisbon" and profile.languages == ["pt", "en"] and len(profile.topics) == 2
        assert db.session.scalar(db.select(Membership.program_id).where(Membership.user_id == rita.id)) == world.program.id
    outbox = app.extensions["mailman"].outbox
    assert sorted(m.to[0] for m in outbox) == ["rita@example.org", "sam@example.org"]
    # The invitation carries a working set-your-password link.
    link = re.search(r"http://localhost(/auth/reset/\S+)", outbox[0].body).group(1)
    assert post_form(app.test_client(), link, {"password": "my own passphrase"}).status_code == 303


def test_a_member_of_this_program_with_another_role_is_refused(app, client, world):
    login(client, world.coordinator)
    text = f"name,email,role\nMilo,{world.mentor.email},mentee\n"
    html = upload(client, world.program.id, text).get_data(as_text=True)
    assert "This person is in the program as a mentor." in html


def test_missing_required_column_is_reported_next_to_the_file_field(app, client, world):
    login(client, world.coordinator)
    html = upload(client, world.program.id, "name,topics\nX,python\n").get_data(as_text=True)
    assert 'id="file-error"' in html and "needs these columns: email, role" in html


def test_script_in_a_csv_cell_comes_back_escaped(app, client, world):
    login(client, world.coordinator)
    html = upload(client, world.program.id, "name,email,role\n<script>alert(1)</script>,x@example.org,mentee\n").get_data(as_text=True)
    assert "<script>alert(1)</script>" not in html and "&lt;script&gt;" in html


def test_another_programs_coordinator_cannot_import_into_this_program(app, client, world):
    login(client, world.other_coordinator)
    assert client.get(f"/coordinator/programs/{world.program.id}/import").status_code == 404


# ------------------------------------------------------------ accounts outside the program (issue 11, item 9)

def _preview_html(client, program_id, email, role="mentee"):
    text = f"name,email,role,topics\nPat Person,{email},{role},python\n"
    html = upload(client, program_id, text).get_data(as_text=True).replace(email, "EMAIL")
    # The CSRF token carries a timestamp: two requests a second apart differ there (the form field and
    # the htmx header) and nowhere else.
    token = csrf_from(html)
    assert token, "the preview page holds a CSRF token"
    return html.replace(token, "TOKEN")


def _member_ids(app, program_id):
    with app.app_context():
        return set(db.session.scalars(db.select(Membership.user_id).where(Membership.program_id == program_id)))


@pytest.mark.parametrize("role", ["mentee", "mentor"])  # the same role as the account, and another
def test_the_preview_of_an_account_elsewhere_is_identical_to_a_new_address(app, client, world, role):
    login(client, world.coordinator)
    existing = _preview_html(client, world.program.id, world.other_mentee.email, role)
    new = _preview_html(client, world.program.id, "nobody.yet@example.org", role)
    assert existing == new
    assert "Oren Outsider" not in existing and "Import 1 person" in existing


def test_an_account_in_another_program_is_invited_not_enrolled(app, client, world):
    login(client, world.coordinator)
    outsider = world.other_mentee
    text = f"name,email,role,topics\nPat Person,{outsider.email},mentee,python\nNew Person,new@example.org,mentee,sql\n"
    r = upload(client, world.program.id, text, confirm=True)
    assert r.status_code == 303
    page = client.get(r.headers["Location"]).get_data(as_text=True)
    assert "2 others were emailed" in page and "Oren Outsider" not in page and "Pat Person" not in page
    with app.app_context():
        members = _member_ids(app, world.program.id)
        new_id = db.session.scalar(db.select(User.id).where(User.email == "new@example.org"))
        assert new_id in members and outsider.id not in members  # no membership until accepted
        assert db.session.get(User, outsider.id).name == "Oren Outsider"  # the file renames no one
        invitation = db.session.scalar(db.select(ProgramInvitation))
        assert (invitation.user_id, invitation.program_id, invitation.role) == (outsider.id, world.program.id, "mentee")
    mail = next(m for m in app.extensions["mailman"].outbox if m.to == [outsider.email])
    assert f"/invitations/{invitation.token}" in mail.body and "Nothing changes unless you accept" in mail.body


def _invite(app, client, world, outsider, role="mentee"):
    login(client, world.coordinator)
    text = f"name,email,role,topics,years\nPat Person,{outsider.email},{role},python; sql,3\n"
    assert upload(client, world.program.id, text, confirm=True).status_code == 303
    with app.app_context():
        return db.session.scalar(db.select(ProgramInvitation.token).where(ProgramInvitation.user_id == outsider.id))


def test_the_invited_person_accepts_and_joins_with_the_profile_from_the_file(app, world):
    outsider = world.other_mentee
    token = _invite(app, app.test_client(), world, outsider)
    client = app.test_client()
    anonymous = client.get(f"/invitations/{token}")
    assert anonymous.status_code == 302 and "/auth/login" in anonymous.headers["Location"]
    login(client, outsider)
    page = client.get(f"/invitations/{token}").get_data(as_text=True)
    assert "Join Main program?" in page and "python, sql" in page
    assert post_form(client, f"/invitations/{token}", {"answer": "accept"}).status_code == 303
    with app.app_context():
        membership = db.session.scalar(db.select(Membership).where(Membership.program_id == world.program.id,
                                                                   Membership.user_id == outsider.id))
        form = db.session.scalar(db.select(GoalForm).where(GoalForm.membership_id == membership.id))
        assert form.years == 3 and len(form.topics) == 2
        assert db.session.scalar(db.select(db.func.count()).select_from(ProgramInvitation)) == 0
    assert client.get(f"/invitations/{token}").status_code == 404  # used up


def test_the_invited_person_may_decline(app, world):
    outsider = world.other_mentee
    token = _invite(app, app.test_client(), world, outsider)
    client = app.test_client()
    login(client, outsider)
    assert post_form(client, f"/invitations/{token}", {"answer": "decline"}).status_code == 303
    assert outsider.id not in _member_ids(app, world.program.id)
    assert client.get(f"/invitations/{token}").status_code == 404


def test_an_invitation_for_the_other_side_joins_on_that_side(app, world):
    """One account, roles per program (issue 15): a mentee account invited as a mentor becomes a
    mentor in that program, with the profile from the file; the account's own role is unchanged."""
    outsider = world.other_mentee
    token = _invite(app, app.test_client(), world, outsider, role="mentor")
    client = app.test_client()
    login(client, outsider)
    assert post_form(client, f"/invitations/{token}", {"answer": "accept"}).status_code == 303
    with app.app_context():
        membership = db.session.scalar(db.select(Membership).where(Membership.program_id == world.program.id,
                                                                   Membership.user_id == outsider.id))
        assert membership.role == "mentor" and db.session.get(User, outsider.id).role == "mentee"
        assert db.session.scalar(db.select(MentorProfile.years).where(MentorProfile.membership_id == membership.id)) == 3


def test_an_invitation_for_the_other_side_of_a_program_they_are_in_is_refused(app, world):
    outsider = world.other_mentee
    token = _invite(app, app.test_client(), world, outsider, role="mentor")
    client = app.test_client()
    login(client, outsider)
    post_form(client, f"/join/{world.program.mentee_invite}", {})  # joined as a mentee meanwhile
    html = post_form(client, f"/invitations/{token}", {"answer": "accept"}).get_data(as_text=True)
    assert "You are a mentee in this program already" in html
    with app.app_context():
        assert db.session.scalars(db.select(Membership.role).where(
            Membership.program_id == world.program.id, Membership.user_id == outsider.id)).all() == ["mentee"]


def test_a_stranger_cannot_see_or_accept_someone_elses_invitation(app, world):
    token = _invite(app, app.test_client(), world, world.other_mentee)
    for stranger in (world.mentee, world.other_mentor, world.coordinator):
        client = app.test_client()
        login(client, stranger)
        assert client.get(f"/invitations/{token}").status_code == 404
        token_page = client.get("/auth/login").get_data(as_text=True)
        r = client.post(f"/invitations/{token}", data={"csrf_token": csrf_from(token_page), "answer": "accept"})
        assert r.status_code == 404
    assert world.other_mentee.id not in _member_ids(app, world.program.id)
    with app.app_context():
        assert db.session.scalar(db.select(db.func.count()).select_from(ProgramInvitation)) == 1


def test_importing_again_refreshes_a_pending_invitation_and_keeps_its_link(app, client, world):
    token = _invite(app, app.test_client(), world, world.other_mentee)
    assert _invite(app, app.test_client(), world, world.other_mentee) == token
    with app.app_context():
        assert db.session.scalar(db.select(db.func.count()).select_from(ProgramInvitation)) == 1


# ------------------------------------------------------------ size: bulk writes and the background job (item 8)

def people_csv(n: int, prefix: str = "p") -> str:
    return "name,email,role,topics,groups\n" + "".join(
        f"Person {i},{prefix}{i}@example.org,{'mentor' if i % 4 == 0 else 'mentee'},topic{i % 7}; shared,group{i % 3}\n"
        for i in range(n))


def _statements_to_apply(app, program_id, text) -> int:
    with app.app_context():
        program = db.session.get(Program, program_id)
        seen = []
        listener = lambda *args: seen.append(1)  # noqa: E731
        event.listen(db.engine, "before_cursor_execute", listener)
        try:
            import_csv.apply(program, text, None)
        finally:
            event.remove(db.engine, "before_cursor_execute", listener)
        return len(seen)


@pytest.mark.parametrize("app", [{"MAIL_DELIVERY": "cron"}], indirect=True)  # count the import, not the sending
def test_applying_a_file_takes_the_same_number_of_queries_for_20_or_400_rows(app, world, make_program):
    """Bulk checks and writes: the query count does not grow with the file (it did, ~6 per row)."""
    # A few people of each file already have an account elsewhere, and a few are members here.
    other = make_program(world.other_coordinator, "Elsewhere")
    small = _statements_to_apply(app, world.program.id, people_csv(20, "a"))
    large = _statements_to_apply(app, other.id, people_csv(400, "b") + "".join(
        f"Again {i},a{i}@example.org,{'mentor' if i % 4 == 0 else 'mentee'},x,\n" for i in range(5)))
    assert large <= small + 3, (small, large)  # the invitations add a fixed few: read, insert, their mail
    assert large < 40
    with app.app_context():
        assert db.session.scalar(db.select(db.func.count()).select_from(ProgramInvitation)) == 5
        assert db.session.scalar(db.select(db.func.count()).select_from(Membership)
                                 .where(Membership.program_id == other.id)) == 400


def test_each_new_account_gets_its_own_set_password_link_that_works_once(app, world):
    """Links made in bulk keep the reset link's properties: bound to one account, used once."""
    with app.test_request_context():
        import_csv.apply(db.session.get(Program, world.program.id), people_csv(6, "own"), None)
    links = {m.to[0]: re.search(r"http://localhost(/auth/reset/\S+)", m.body).group(1)
             for m in app.extensions["mailman"].outbox}
    assert sorted(links) == [f"own{i}@example.org" for i in range(6)]
    with app.app_context():
        for email, link in links.items():
            assert accounts.user_for_reset_token(link.rsplit("/", 1)[1]).email == email
    first, second = links["own0@example.org"], links["own1@example.org"]
    assert post_form(app.test_client(), first, {"password": "my own passphrase"}).status_code == 303
    assert app.test_client().get(first).status_code == 404  # used: the hash it was bound to changed
    assert post_form(app.test_client(), second, {"password": "another passphrase"}).status_code == 303


def test_links_in_bulk_are_the_links_one_by_one_and_refuse_tokens_that_need_quoting(app):
    tokens = ["abc", "A-b_c.9", "eyJ1IjoxfQ.aW0.x-Y_z"]
    with app.app_context():
        assert links.links("auth.reset_password", "token", tokens) == [
            links.link("auth.reset_password", token=t) for t in tokens]
        with pytest.raises(ValueError):
            links.links("auth.reset_password", "token", ["ok", "a/b?c"])


def test_mail_links_are_built_once_per_import_not_once_per_row(app, world, make_program, monkeypatch):
    """Building a URL per row cost seconds at 20,000 rows (bench/import_bench.py)."""
    built = []
    link = links.link
    monkeypatch.setattr(links, "link", lambda *args, **kwargs: built.append(1) or link(*args, **kwargs))

    def links_to_apply(program_id, text):
        built.clear()
        with app.test_request_context():
            import_csv.apply(db.session.get(Program, program_id), text, None)
        return len(built)

    other = make_program(world.other_coordinator, "Elsewhere")
    small = links_to_apply(world.program.id, people_csv(10, "s"))  # new addresses: reset links
    # New addresses and the 10 accounts made above, now elsewhere: reset and invitation links.
    large = links_to_apply(other.id, people_csv(200, "l") + "".join(
        f"Known {i},s{i}@example.org,{'mentor' if i % 4 == 0 else 'mentee'},x,\n" for i in range(10)))
    with app.app_context():
        assert db.session.scalar(db.select(db.func.count()).select_from(ProgramInvitation)) == 10
    assert (small, large) == (1, 2)  # one URL per kind of link, whatever the number of rows


@pytest.mark.parametrize("app", [{"IMPORT_INLINE_ROWS": 10, "SOLVE_RUNNER": "none"}], indirect=True)
def test_a_large_file_is_applied_by_a_background_job_with_a_progress_page(app, client, world):
    login(client, world.coordinator)
    text = people_csv(30)
    r = upload(client, world.program.id, text, confirm=True)
    assert r.status_code == 303 and "/imports/" in r.headers["Location"]
    job_url = r.headers["Location"]
    page = client.get(job_url).get_data(as_text=True)
    assert 'hx-trigger="every 1s"' in page and "Waiting for a worker" in page
    assert len(_member_ids(app, world.program.id)) == 2  # nothing yet: the request returned at once
    with app.app_context():
        job_id = db.session.scalar(db.select(ImportJob.id))
    assert import_jobs.execute(job_id, app) == "done"
    assert import_jobs.execute(job_id, app) == "skipped"  # a second worker picking it up does nothing
    partial = client.get(job_url, headers={"HX-Request": "true"}).get_data(as_text=True)
    assert "hx-trigger" not in partial and "Imported 30 rows" in partial and "30 others were emailed" in partial
    assert len(_member_ids(app, world.program.id)) == 32
    assert len(app.extensions["mailman"].outbox) == 30
    with app.app_context():
        job = db.session.get(ImportJob, job_id)
        assert job.rows == [] and job.result["created"] == 30


@pytest.mark.parametrize("app", [{"IMPORT_INLINE_ROWS": 10, "SOLVE_RUNNER": "none"}], indirect=True)
def test_a_job_whose_rows_went_bad_since_the_preview_imports_nothing_and_lists_them(app, client, world, make_user):
    login(client, world.coordinator)
    text = people_csv(20) + "Milo,milo@example.org,mentee,,\n"
    with app.test_request_context():
        program = db.session.get(Program, world.program.id)
        job_id = import_jobs.start(program, import_csv.preview(program, text), None).id
    # Before a worker picks the job up, milo@ joins the program as a mentor.
    milo = make_user("mentor", email="milo@example.org")
    with app.app_context():
        db.session.add(Membership(program_id=world.program.id, user_id=milo.id))
        db.session.commit()
    users = count(app, User)
    assert import_jobs.execute(job_id, app) == "failed"
    assert count(app, User) == users and count(app, GoalForm) == 0
    html = client.get(f"/coordinator/programs/{world.program.id}/imports/{job_id}").get_data(as_text=True)
    assert "1 row has errors. Nothing was imported." in html
    assert "<td>22</td><td>This person is in the program as a mentor.</td>" in html
    with app.app_context():
        job = db.session.get(ImportJob, job_id)
        assert (job.error_parts, job.error) == ([["row_errors", {"num": 1}]], "1 row has errors. Nothing was imported.")
    # Stored as parts, read in the reader's language; the rows' problems too.
    html = client.get(f"/coordinator/programs/{world.program.id}/imports/{job_id}",
                      headers={"Accept-Language": "es"}).get_data(as_text=True)
    assert "1 fila tiene errores. No se importó nada." in html
    assert "<td>22</td><td>Esta persona está en el programa como mentor.</td>" in html
    assert "row has errors" not in html and "This person is in the program" not in html
    # A job stored before the parts were kept reads back from its English.
    with app.app_context():
        db.session.execute(update(ImportJob).where(ImportJob.id == job_id).values(
            error="3 row(s) have errors. Nothing was imported.", error_parts=None))
        db.session.commit()
    html = client.get(f"/coordinator/programs/{world.program.id}/imports/{job_id}",
                      headers={"Accept-Language": "es"}).get_data(as_text=True)
    assert "3 filas tienen errores. No se importó nada." in html and "row(s)" not in html


@pytest.mark.parametrize("app", [{"IMPORT_INLINE_ROWS": 10, "SOLVE_RUNNER": "none"}], indirect=True)
def test_a_job_whose_worker_died_is_failed_by_the_next_poll(app, client, world):
    from datetime import timedelta

    from mentormatch.models import utcnow

    with app.test_request_context():
        program = db.session.get(Program, world.program.id)
        job_id = import_jobs.start(program, import_csv.preview(program, people_csv(20)), None).id
        db.session.execute(db.update(ImportJob).values(status="running", heartbeat_at=utcnow() - timedelta(hours=1)))
        db.session.commit()
    login(client, world.coordinator)
    html = client.get(f"/coordinator/programs/{world.program.id}/imports/{job_id}").get_data(as_text=True)
    assert "The worker stopped responding; nothing was imported." in html and "hx-trigger" not in html
    assert import_jobs.execute(job_id, app) == "skipped"
    # The error is stored in English; a coordinator reading Portuguese reads it in Portuguese.
    html = client.get(f"/coordinator/programs/{world.program.id}/imports/{job_id}",
                      headers={"Accept-Language": "pt"}).get_data(as_text=True)
    assert "O processo de trabalho parou de responder; nada foi importado." in html
    assert "The worker stopped responding" not in html


def test_another_coordinator_cannot_see_an_import_job(app, client, world):
    with app.test_request_context():
        program = db.session.get(Program, world.program.id)
        app.config["SOLVE_RUNNER"] = "none"
        job_id = import_jobs.start(program, import_csv.preview(program, people_csv(2)), None).id
    login(client, world.other_coordinator)
    assert client.get(f"/coordinator/programs/{world.program.id}/imports/{job_id}").status_code == 404
    assert client.get(f"/coordinator/programs/{world.other_program.id}/imports/{job_id}").status_code == 404


@pytest.mark.parametrize("app", [{"IMPORT_INLINE_ROWS": 10, "SOLVE_RUNNER": "thread"}], indirect=True)
def test_on_the_thread_runner_the_request_returns_and_the_job_finishes_in_the_background(app, client, world):
    import threading

    login(client, world.coordinator)
    r = upload(client, world.program.id, people_csv(25), confirm=True)
    assert r.status_code == 303
    job_id = int(r.headers["Location"].rsplit("/", 1)[1])
    for thread in threading.enumerate():
        if thread.name == f"import-{job_id}":
            thread.join()
    html = client.get(r.headers["Location"]).get_data(as_text=True)
    assert "Imported 25 rows" in html and "hx-trigger" not in html
    assert len(_member_ids(app, world.program.id)) == 27


RQ_QUEUE = f"mentormatch-import-test-{uuid.uuid4().hex[:8]}"


@pytest.mark.parametrize("app", [{"IMPORT_INLINE_ROWS": 10, "REDIS_URL": REDIS_URL, "RQ_QUEUE": RQ_QUEUE}], indirect=True)
def test_on_the_rq_runner_an_rq_worker_process_applies_the_import(app, client, world, database_url):
    login(client, world.coordinator)
    r = upload(client, world.program.id, people_csv(25) + f"Pat Person,{world.other_mentee.email},mentee,,\n",
               confirm=True)
    assert r.status_code == 303
    assert "Waiting for a worker" in client.get(r.headers["Location"]).get_data(as_text=True)
    assert Redis.from_url(REDIS_URL).llen(f"rq:queue:{RQ_QUEUE}") == 1
    done = rq_burst(database_url, RQ_QUEUE)
    assert done.returncode == 0, done.stderr[-2000:]
    html = client.get(r.headers["Location"]).get_data(as_text=True)
    assert "Imported 26 rows" in html and "26 others were emailed" in html, done.stderr[-2000:]
    members = _member_ids(app, world.program.id)
    assert len(members) == 27 and world.other_mentee.id not in members


@pytest.mark.parametrize("app", [{"IMPORT_INLINE_ROWS": 10, "SOLVE_RUNNER": "none"}], indirect=True)
@pytest.mark.parametrize("step", ["conflicts", "write"])
def test_a_job_failed_as_stale_imports_nothing_when_its_worker_comes_back(app, world, monkeypatch, step):
    """The page said "nothing was imported": a worker that resumes after that must not import, nor
    write its progress over the failure (core.jobs.Lifecycle fences both on the job still running)."""
    with app.test_request_context():
        program = db.session.get(Program, world.program.id)
        job_id = import_jobs.start(program, import_csv.preview(program, people_csv(20)), None).id
    work = getattr(import_csv, step)

    def stale_meanwhile(*args):
        # While the worker re-checks the rows, or writes them, a poll finds no heartbeat and fails
        # the job (its own connection; done first because SQLite lets one writer in at a time).
        with db.engine.begin() as conn:
            conn.execute(db.update(ImportJob).where(ImportJob.id == job_id).values(status="failed", phase="failed"))
        return work(*args)

    monkeypatch.setattr(import_csv, step, stale_meanwhile)
    users = count(app, User)
    assert import_jobs.execute(job_id, app) == "failed"
    assert count(app, User) == users and len(_member_ids(app, world.program.id)) == 2
    with app.app_context():
        job = db.session.get(ImportJob, job_id)
        assert (job.status, job.phase) == ("failed", "failed")


@pytest.mark.parametrize("app", [{"IMPORT_INLINE_ROWS": 10, "REDIS_URL": "redis://127.0.0.1:1/0"}], indirect=True)
def test_with_the_queue_unreachable_a_large_import_fails_at_once_and_says_so(app, client, world):
    login(client, world.coordinator)
    r = upload(client, world.program.id, people_csv(25), confirm=True)
    assert r.status_code == 303  # not a 500
    html = client.get(r.headers["Location"]).get_data(as_text=True)
    assert "job queue is unreachable" in html and "Nothing was imported" in html
    assert _member_ids(app, world.program.id) == {world.mentor.id, world.mentee.id}
