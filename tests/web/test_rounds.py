"""Match rounds through the test client: draft -> solving -> proposed -> approved, and the edits between."""
import threading
import time
from datetime import timedelta

import pytest

from mentormatch.extensions import db
from mentormatch.models import Membership, Pairing, User, utcnow
from mentormatch.models.rounds import Round, RoundConstraint, RoundEvent, RunPair, SolveRun
from mentormatch.services import ServiceError
from mentormatch.services.rounds import export, publish, runs
from tests.conftest import csrf_from, login, post_form
from tests.web.test_rounds_support import add_people, latest_run_id, make_round, round_state, run_row, small_world

INLINE = pytest.mark.parametrize("app", [{"SOLVE_RUNNER": "inline"}], indirect=True)
MANUAL = pytest.mark.parametrize("app", [{"SOLVE_RUNNER": "none"}], indirect=True)


def url(world, rid, tail=""):
    return f"/coordinator/programs/{world.program.id}/rounds/{rid}{tail}"


def post(client, target, data=None, page=None):
    return post_form(client, target, data or {}, page=page or "/coordinator/")


def pairs_of(app, run_id):
    with app.app_context():
        return {(p.mentee_name, p.mentor_name) for p in db.session.scalars(db.select(RunPair).where(RunPair.run_id == run_id))}


ROUND_FORM = {"name": "Spring round", "topics": "40", "context": "20", "stage": "25", "tz": "15",
              "mentors_per_mentee": "1", "team_by": "industry", "balance_slack": "5"}


@INLINE
def test_round_goes_from_draft_to_approved_through_the_site(app, client, world):
    people = small_world(app, world.program.id)
    login(client, world.coordinator)
    new = f"/coordinator/programs/{world.program.id}/rounds/new"
    response = post_form(client, new, ROUND_FORM)
    assert response.status_code == 303
    rid = int(response.headers["Location"].rstrip("/").split("/")[-1])
    assert round_state(app, rid) == "draft"
    assert "Run the optimizer" in client.get(url(world, rid)).get_data(as_text=True)

    assert post(client, url(world, rid, "/run"), page=url(world, rid)).status_code == 303
    assert round_state(app, rid) == "proposed"
    page = client.get(url(world, rid)).get_data(as_text=True)
    assert "Cy Mentee" in page and "Ada Mentor" in page
    # The Portuguese speaker is explained in words, with what would help.
    assert "no shared language" in page and "speaks Portuguese" in page
    assert "<svg" in page and "Match rate per affinity group" in page

    assert post(client, url(world, rid, "/approve"), page=url(world, rid)).status_code == 303
    assert round_state(app, rid) == "approved"
    with app.app_context():
        pairings = db.session.scalars(db.select(Pairing).where(Pairing.round_id == rid)).all()
        assert {(p.mentee_membership_id, p.mentor_membership_id, p.state) for p in pairings} == {
            (people.ids["Cy Mentee"], people.ids["Ada Mentor"], "proposed"),
            (people.ids["Di Mentee"], people.ids["Bob Mentor"], "proposed")}
        actions = [e.action for e in db.session.scalars(db.select(RoundEvent).where(RoundEvent.round_id == rid))]
        assert actions == ["create", "run", "approve"]
        recipients = sorted(m.to[0] for m in app.extensions["mailman"].outbox)
    assert recipients == sorted(people.emails[n] for n in ("Ada Mentor", "Bob Mentor", "Cy Mentee", "Di Mentee"))
    page = client.get(url(world, rid)).get_data(as_text=True)
    assert "Cora Coordinator" in page and "approve" in page  # the audit trail shows who
    assert "Run again" not in page  # frozen


@MANUAL
def test_progress_polls_while_active_and_stops_when_done(app, client, world):
    small_world(app, world.program.id)
    rid = make_round(app, world.program.id, world.coordinator.id)
    login(client, world.coordinator)
    post(client, url(world, rid, "/run"), page=url(world, rid))
    run_id = latest_run_id(app, rid)
    assert run_row(app, run_id).status == "queued" and round_state(app, rid) == "solving"
    partial = client.get(url(world, rid, f"/runs/{run_id}/progress"), headers={"HX-Request": "true"})
    assert 'hx-trigger="every 1s"' in partial.get_data(as_text=True)
    assert "HX-Request" in partial.headers["Vary"]
    assert "<html" not in partial.get_data(as_text=True)

    assert runs.execute(run_id, app) == "done"
    row = run_row(app, run_id)
    assert row.status == "done" and row.phase == "done" and row.matched == 2
    assert row.progress["people"] == 5 and row.progress["candidates"] >= 2 and row.progress["objective"]["pairs"] == 2
    html = client.get(url(world, rid, f"/runs/{run_id}/progress"), headers={"HX-Request": "true"}).get_data(as_text=True)
    assert "hx-trigger" not in html and "Show the proposal" in html
    assert round_state(app, rid) == "proposed"


@MANUAL
def test_cancelling_a_queued_run_cancels_it_and_returns_the_round_to_draft(app, client, world):
    small_world(app, world.program.id)
    rid = make_round(app, world.program.id, world.coordinator.id)
    login(client, world.coordinator)
    post(client, url(world, rid, "/run"), page=url(world, rid))
    run_id = latest_run_id(app, rid)
    post(client, url(world, rid, f"/runs/{run_id}/cancel"), page=url(world, rid))
    assert run_row(app, run_id).status == "cancelled"
    assert round_state(app, rid) == "draft"
    assert runs.execute(run_id, app) == "skipped"  # a worker picking it up later does nothing


@MANUAL
def test_a_running_run_stops_when_cancel_is_requested(app, world):
    small_world(app, world.program.id)
    rid = make_round(app, world.program.id, world.coordinator.id)
    with app.app_context():
        run = SolveRun(round_id=rid, status="queued", cancel_requested=True)
        db.session.add(run)
        db.session.flush()
        round_ = db.session.get(Round, rid)
        round_.state, round_.current_run_id = "solving", run.id  # as start_run leaves them
        db.session.commit()
        run_id = run.id
    assert runs.execute(run_id, app) == "cancelled"
    assert run_row(app, run_id).status == "cancelled" and pairs_of(app, run_id) == set()
    assert round_state(app, rid) == "draft"


@MANUAL
def test_a_run_that_raises_is_marked_failed_with_its_error(app, client, world, monkeypatch):
    small_world(app, world.program.id)
    rid = make_round(app, world.program.id, world.coordinator.id)
    login(client, world.coordinator)
    post(client, url(world, rid, "/run"), page=url(world, rid))
    run_id = latest_run_id(app, rid)

    def boom(*a, **k):
        raise RuntimeError("database went away")

    monkeypatch.setattr("mentormatch.services.rounds.instance.build_round_data", boom)
    assert runs.execute(run_id, app) == "failed"
    row = run_row(app, run_id)
    assert row.status == "failed" and "database went away" in row.error and row.round_state == "draft"
    assert "database went away" in client.get(url(world, rid)).get_data(as_text=True)


@MANUAL
def test_a_run_whose_worker_died_is_failed_when_the_page_polls(app, client, world):
    rid = make_round(app, world.program.id, world.coordinator.id)
    with app.app_context():
        run = SolveRun(round_id=rid, status="running", phase="flow", heartbeat_at=utcnow() - timedelta(minutes=5))
        db.session.add(run)
        db.session.flush()
        round_ = db.session.get(Round, rid)
        round_.state, round_.current_run_id = "solving", run.id  # as start_run leaves them
        db.session.commit()
        run_id = run.id
    login(client, world.coordinator)
    html = client.get(url(world, rid, f"/runs/{run_id}/progress"), headers={"HX-Request": "true"}).get_data(as_text=True)
    assert "stopped responding" in html and "hx-trigger" not in html
    assert run_row(app, run_id).status == "failed" and round_state(app, rid) == "draft"


@INLINE
def test_reruns_keep_locks_and_honour_forbids(app, client, world):
    people = small_world(app, world.program.id)
    rid = make_round(app, world.program.id, world.coordinator.id)
    login(client, world.coordinator)
    post(client, url(world, rid, "/run"), page=url(world, rid))
    assert ("Cy Mentee", "Ada Mentor") in pairs_of(app, latest_run_id(app, rid))
    # Lock Cy with Bob and forbid Di with Bob: the re-run must keep the first and avoid the second.
    for mentee, mentor, kind in (("Cy Mentee", "Bob Mentor", "lock"), ("Di Mentee", "Ada Mentor", "forbid")):
        r = post(client, url(world, rid, "/constraints"), {"mentee_email": people.emails[mentee],
                 "mentor_email": people.emails[mentor], "kind": kind}, page=url(world, rid))
        assert r.status_code == 303
    post(client, url(world, rid, "/run"), page=url(world, rid))
    pairs = pairs_of(app, latest_run_id(app, rid))
    assert ("Cy Mentee", "Bob Mentor") in pairs
    assert ("Di Mentee", "Ada Mentor") not in pairs
    assert all(mentee != "Di Mentee" for mentee, _ in pairs)  # Bob is locked to Cy, Ada is forbidden


@INLINE
def test_constraint_with_unknown_email_shows_the_error_and_saves_nothing(app, client, world):
    people = small_world(app, world.program.id)
    rid = make_round(app, world.program.id, world.coordinator.id)
    login(client, world.coordinator)
    r = post(client, url(world, rid, "/constraints"), {"mentee_email": "nobody@example.org",
             "mentor_email": people.emails["Ada Mentor"], "kind": "lock"}, page=url(world, rid))
    assert r.status_code == 422 and "No mentee with this email in this program." in r.get_data(as_text=True)
    # A mentee of another program is unknown here too (no cross-program ids).
    r = post(client, url(world, rid, "/constraints"), {"mentee_email": world.other_mentee.email,
             "mentor_email": people.emails["Ada Mentor"], "kind": "lock"}, page=url(world, rid))
    assert r.status_code == 422
    with app.app_context():
        assert db.session.scalar(db.select(db.func.count()).select_from(RoundConstraint)) == 0


@INLINE
def test_swap_moves_a_mentee_to_another_candidate_and_locks_it(app, client, world):
    small_world(app, world.program.id)
    with app.app_context():
        pass
    rid = make_round(app, world.program.id, world.coordinator.id)
    login(client, world.coordinator)
    # Give Bob a second seat so that Cy can move to him.
    with app.app_context():
        from mentormatch.models import MentorProfile

        for p in db.session.scalars(db.select(MentorProfile)):
            p.capacity_round = 2
        db.session.commit()
    post(client, url(world, rid, "/run"), page=url(world, rid))
    run_id = latest_run_id(app, rid)
    with app.app_context():
        pair = db.session.scalar(db.select(RunPair).where(RunPair.run_id == run_id, RunPair.mentee_name == "Cy Mentee"))
        pair_id, old_score = pair.id, pair.score
        bob = db.session.scalar(db.select(RunPair.mentor_membership_id).where(RunPair.run_id == run_id, RunPair.mentor_name == "Bob Mentor"))
    options = client.get(url(world, rid, f"/pairs/{pair_id}/swap")).get_data(as_text=True)
    assert "Bob Mentor" in options and "Swap to Bob Mentor" in options
    r = post(client, url(world, rid, f"/pairs/{pair_id}/swap"), {"mentor_id": str(bob)}, page=url(world, rid))
    assert r.status_code == 303
    assert ("Cy Mentee", "Bob Mentor") in pairs_of(app, run_id)
    with app.app_context():
        pair = db.session.get(RunPair, pair_id)
        assert pair.swapped and pair.locked and pair.score <= old_score
        assert db.session.scalar(db.select(RoundConstraint.kind).where(RoundConstraint.mentor_membership_id == bob)) == "lock"
        assert "swap" in [e.action for e in db.session.scalars(db.select(RoundEvent))]
    post(client, url(world, rid, "/run"), page=url(world, rid))
    assert ("Cy Mentee", "Bob Mentor") in pairs_of(app, latest_run_id(app, rid))


@INLINE
def test_swap_to_a_mentor_without_a_free_seat_is_refused_and_nothing_changes(app, client, world):
    small_world(app, world.program.id)
    rid = make_round(app, world.program.id, world.coordinator.id)
    login(client, world.coordinator)
    post(client, url(world, rid, "/run"), page=url(world, rid))
    run_id = latest_run_id(app, rid)
    with app.app_context():
        pair_id = db.session.scalar(db.select(RunPair.id).where(RunPair.run_id == run_id, RunPair.mentee_name == "Cy Mentee"))
        bob = db.session.scalar(db.select(RunPair.mentor_membership_id).where(RunPair.run_id == run_id, RunPair.mentor_name == "Bob Mentor"))
    r = post(client, url(world, rid, f"/pairs/{pair_id}/swap"), {"mentor_id": str(bob)}, page=url(world, rid))
    assert r.status_code == 200 and "has no free seat" in r.get_data(as_text=True)
    assert ("Cy Mentee", "Ada Mentor") in pairs_of(app, run_id)
    with app.app_context():
        assert db.session.scalar(db.select(db.func.count()).select_from(RoundConstraint)) == 0


@INLINE
def test_compare_shows_pairs_changed_between_two_runs(app, client, world):
    people = small_world(app, world.program.id)
    rid = make_round(app, world.program.id, world.coordinator.id)
    login(client, world.coordinator)
    post(client, url(world, rid, "/run"), page=url(world, rid))
    post(client, url(world, rid, "/constraints"), {"mentee_email": people.emails["Cy Mentee"],
         "mentor_email": people.emails["Bob Mentor"], "kind": "lock"}, page=url(world, rid))
    post(client, url(world, rid, "/run"), page=url(world, rid))
    html = client.get(url(world, rid, "/compare")).get_data(as_text=True)
    assert "Pairs changed: 2" in html  # Cy moved to Bob, Di lost Bob
    assert "Match rate: first-gen" in html and "Mentees matched" in html


@INLINE
def test_approve_happens_once_under_two_concurrent_requests(app, world):
    small_world(app, world.program.id)
    rid = make_round(app, world.program.id, world.coordinator.id)
    with app.test_request_context(), app.app_context():
        from flask_login import login_user

        user = db.session.get(User, world.coordinator.id)
        login_user(user)
        runs.start_run(db.session.get(Round, rid), user)
    assert round_state(app, rid) == "proposed"
    barrier, outcomes = threading.Barrier(2), []

    def approve():
        with app.app_context():
            round_ = db.session.get(Round, rid)
            actor = db.session.get(User, world.coordinator.id)
            barrier.wait()
            try:
                outcomes.append(publish.approve_round(round_, actor))
            except ServiceError as error:
                outcomes.append(error.message)
            finally:
                db.session.remove()

    threads = [threading.Thread(target=approve) for _ in range(2)]
    for t in threads:
        t.start()
    for t in threads:
        t.join(60)
    assert sorted(outcomes, key=str) == sorted([2, "This round was already approved (or is not ready to approve)."], key=str)
    with app.app_context():
        assert db.session.scalar(db.select(db.func.count()).select_from(Pairing).where(Pairing.round_id == rid)) == 2


@INLINE
def test_approving_twice_through_the_site_publishes_once(app, client, world):
    small_world(app, world.program.id)
    rid = make_round(app, world.program.id, world.coordinator.id)
    login(client, world.coordinator)
    post(client, url(world, rid, "/run"), page=url(world, rid))
    page = client.get(url(world, rid)).get_data(as_text=True)
    token = csrf_from(page)
    for _ in range(2):
        assert client.post(url(world, rid, "/approve"), data={"csrf_token": token}).status_code == 303
    with app.app_context():
        assert db.session.scalar(db.select(db.func.count()).select_from(Pairing)) == 2
    assert "already approved" in client.get(url(world, rid)).get_data(as_text=True)


@INLINE
def test_export_prefixes_cells_that_a_spreadsheet_would_run(app, client, world):
    from tests.web.test_rounds_support import add_people

    add_people(app, world.program.id,
               mentors=[{"name": "=HYPERLINK(\"http://x\")", "email": "eq@example.org", "years": 8, "topics": ["python"]}],
               mentees=[{"name": "@SUM(A1)", "email": "at@example.org", "years": 3, "topics": ["python"]}])
    rid = make_round(app, world.program.id, world.coordinator.id)
    login(client, world.coordinator)
    post(client, url(world, rid, "/run"), page=url(world, rid))
    r = client.get(url(world, rid, "/export.csv"))
    assert r.mimetype == "text/csv" and "attachment" in r.headers["Content-Disposition"]
    body = r.get_data(as_text=True)
    assert "'@SUM(A1)" in body and "'=HYPERLINK" in body
    assert "\n@" not in body and ",=" not in body and ',"=' not in body
    assert export.safe_cell("-1") == "'-1" and export.safe_cell("+x") == "'+x" and export.safe_cell("ok") == "ok"
    assert export.safe_cell(" =1+1") == "' =1+1" and export.safe_cell("\n@SUM(A1)") == "'\n@SUM(A1)"
    assert export.safe_cell("a =b") == "a =b"


@INLINE
def test_round_name_with_script_comes_back_escaped(app, client, world):
    login(client, world.coordinator)
    r = post_form(client, f"/coordinator/programs/{world.program.id}/rounds/new",
                  {**ROUND_FORM, "name": "<script>alert(1)</script>"})
    page = client.get(r.headers["Location"]).get_data(as_text=True)
    assert "<script>alert(1)</script>" not in page and "&lt;script&gt;alert(1)&lt;/script&gt;" in page


def test_bad_round_settings_show_the_error_next_to_the_field_and_save_nothing(app, client, world):
    login(client, world.coordinator)
    r = post_form(client, f"/coordinator/programs/{world.program.id}/rounds/new",
                  {**ROUND_FORM, "mentors_per_mentee": "9", "topics": "0", "context": "0", "stage": "0", "tz": "0"})
    html = r.get_data(as_text=True)
    assert r.status_code == 200 and 'id="mentors_per_mentee-error"' in html and "Between 1 and 5." in html
    with app.app_context():
        assert db.session.scalar(db.select(db.func.count()).select_from(Round)) == 0
    r = post_form(client, f"/coordinator/programs/{world.program.id}/rounds/new",
                  {**ROUND_FORM, "topics": "0", "context": "0", "stage": "0", "tz": "0"})
    assert 'id="topics-error"' in r.get_data(as_text=True)
    with app.app_context():
        assert db.session.scalar(db.select(db.func.count()).select_from(Round)) == 0


def test_extra_posted_fields_cannot_set_state_program_or_owner(app, client, world):
    login(client, world.coordinator)
    r = post_form(client, f"/coordinator/programs/{world.program.id}/rounds/new",
                  {**ROUND_FORM, "state": "approved", "program_id": str(world.other_program.id),
                   "created_by_id": str(world.other_coordinator.id), "approved_run_id": "1"})
    assert r.status_code == 303
    with app.app_context():
        round_ = db.session.scalars(db.select(Round)).one()
        assert (round_.state, round_.program_id, round_.created_by_id, round_.approved_run_id) == (
            "draft", world.program.id, world.coordinator.id, None)


@INLINE
def test_a_round_of_another_program_is_404_even_with_the_right_program_in_the_url(app, client, world):
    rid = make_round(app, world.other_program.id, world.other_coordinator.id)
    login(client, world.coordinator)
    assert client.get(url(world, rid)).status_code == 404
    assert client.get(f"/coordinator/programs/{world.other_program.id}/rounds/{rid}").status_code == 404


@INLINE
def test_pairs_search_returns_only_the_table_to_htmx(app, client, world):
    small_world(app, world.program.id)
    rid = make_round(app, world.program.id, world.coordinator.id)
    login(client, world.coordinator)
    post(client, url(world, rid, "/run"), page=url(world, rid))
    r = client.get(url(world, rid, "/pairs?q=cy&sort=mentee"), headers={"HX-Request": "true"})
    html = r.get_data(as_text=True)
    assert "Cy Mentee" in html and "Di Mentee" not in html and "<html" not in html
    assert "HX-Request" in r.headers["Vary"]
    full = client.get(url(world, rid, "/pairs?q=di")).get_data(as_text=True)
    assert "<html" in full and "Di Mentee" in full and "Cy Mentee" not in full


@INLINE
def test_repair_after_a_decline_proposes_a_new_mentor_and_keeps_other_pairs(app, client, world):
    people = small_world(app, world.program.id)
    from tests.web.test_rounds_support import add_people

    add_people(app, world.program.id, mentors=[{"name": "Cat Mentor", "years": 7, "topics": ["python"], "capacity_round": 1}])
    rid = make_round(app, world.program.id, world.coordinator.id)
    login(client, world.coordinator)
    post(client, url(world, rid, "/run"), page=url(world, rid))
    post(client, url(world, rid, "/approve"), page=url(world, rid))
    with app.app_context():
        pairs = {(p.mentee_membership_id): p for p in db.session.scalars(db.select(Pairing).where(Pairing.round_id == rid))}
        declined = pairs[people.ids["Cy Mentee"]]
        first_mentor = declined.mentor_membership_id
        declined.state = "declined"
        db.session.commit()
    assert "lost their proposal" in client.get(url(world, rid)).get_data(as_text=True)
    post(client, url(world, rid, "/repair"), page=url(world, rid))
    with app.app_context():
        live = db.session.scalars(db.select(Pairing).where(Pairing.round_id == rid, Pairing.state == "proposed")).all()
        cy = [p for p in live if p.mentee_membership_id == people.ids["Cy Mentee"]]
        assert len(cy) == 1 and cy[0].mentor_membership_id != first_mentor
        assert len(live) == 2  # Di keeps Bob; Cy gets the mentor who was free
        assert db.session.get(Round, rid).state == "approved"
        assert "repair" in [e.action for e in db.session.scalars(db.select(RoundEvent))]
    # Nothing left to repair: a second click changes nothing.
    post(client, url(world, rid, "/repair"), page=url(world, rid))
    with app.app_context():
        assert db.session.scalar(db.select(db.func.count()).select_from(Pairing)) == 3


def test_default_runner_solves_in_a_background_thread(app, client, world):
    small_world(app, world.program.id)
    rid = make_round(app, world.program.id, world.coordinator.id)
    login(client, world.coordinator)
    started = time.perf_counter()
    post(client, url(world, rid, "/run"), page=url(world, rid))
    run_id = latest_run_id(app, rid)
    deadline = time.time() + 60
    while run_row(app, run_id).status in ("queued", "running") and time.time() < deadline:
        time.sleep(0.1)
    assert run_row(app, run_id).status == "done"
    assert time.perf_counter() - started < 60
    assert round_state(app, rid) == "proposed"


def test_the_pool_filters_by_tag_by_not_matched_yet_and_by_join_date(app, world):
    from mentormatch.models import Term
    from mentormatch.services.rounds.instance import pool_mentee_ids

    people = small_world(app, world.program.id)
    cy, di, ed = (people.ids[n] for n in ("Cy Mentee", "Di Mentee", "Ed Mentee"))
    with app.app_context():
        first_gen = db.session.scalar(db.select(Term.id).where(Term.program_id == world.program.id, Term.name == "first-gen"))
        sql = db.session.scalar(db.select(Term.id).where(Term.program_id == world.program.id, Term.name == "sql"))
        db.session.add(Pairing(program_id=world.program.id, mentee_membership_id=di,
                               mentor_membership_id=people.ids["Bob Mentor"], state="active"))
        db.session.get(Membership, ed).joined_at = utcnow() - timedelta(days=90)
        db.session.commit()

        def pool(**filters):
            return pool_mentee_ids(Round(program_id=world.program.id, pool=filters))

        assert pool() == sorted([cy, di, ed])
        assert pool(tag_ids=[first_gen]) == [cy]                      # a group tag
        assert pool(tag_ids=[first_gen, sql]) == sorted([cy, di])     # any of the tags, topics included
        assert pool(unmatched_only=True) == sorted([cy, ed])          # Di already has a mentor
        recent = (utcnow() - timedelta(days=30)).isoformat()
        assert pool(joined_after=recent) == sorted([cy, di])
        assert pool(joined_before=recent) == [ed]


@INLINE
def test_the_unmatched_list_shows_a_page_then_more_on_request(app, client, world):
    from mentormatch.rounds.routes import UNMATCHED_PAGE

    small_world(app, world.program.id)
    strangers = [{"name": f"Pat {n:02d} Mentee", "years": 1, "topics": ["python"], "languages": ["pt"]}
                 for n in range(UNMATCHED_PAGE + 5)]            # nobody speaks Portuguese: all unmatched
    add_people(app, world.program.id, mentees=strangers)
    login(client, world.coordinator)
    rid = make_round(app, world.program.id, world.coordinator.id)
    assert post(client, url(world, rid, "/run"), page=url(world, rid)).status_code == 303
    total = UNMATCHED_PAGE + 6                                   # and Ed from the small world

    first = client.get(url(world, rid)).get_data(as_text=True)
    assert f"Without a mentor ({total})" in first
    assert first.count("no shared language") == UNMATCHED_PAGE
    assert f"({UNMATCHED_PAGE} of {total} shown)" in first
    more = client.get(url(world, rid), query_string={"unmatched": UNMATCHED_PAGE * 2}).get_data(as_text=True)
    assert more.count("no shared language") == total and "Show more" not in more.split('id="unmatched"')[1]
    for bad in ("abc", "-5", "99999999999999999999999"):       # bad numbers fall back, never a 500
        response = client.get(url(world, rid), query_string={"unmatched": bad})
        assert response.status_code == 200
        assert response.get_data(as_text=True).count("no shared language") in (UNMATCHED_PAGE, total)
