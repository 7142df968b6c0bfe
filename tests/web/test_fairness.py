"""Fairness across rounds and the coverage/quality choice: mentees left unmatched last round are
carried over with the coordinator's bonus or must-match; a coordinator can lower a mentee's
priority; the round page shows who was carried over and both objectives' figures."""
from mentormatch.extensions import db
from mentormatch.matching import solve
from mentormatch.models import MenteePriority
from mentormatch.models.rounds import Round, RunUnmatched, SolveRun
from mentormatch.services.rounds import fairness, objectives
from mentormatch.services.rounds.instance import build_round_data
from tests.conftest import login, post_form
from tests.web.test_rounds_support import add_people, make_round


def _people(app, w):
    # One seat, two python mentees; Di is nearly as senior as Ada (a poor "a few years ahead" fit).
    return add_people(app, w.program.id,
                      mentors=[{"name": "Ada Mentor", "years": 8, "topics": ["python"], "capacity_round": 1,
                                "groups": ["first-gen"]}],
                      mentees=[{"name": "Cy Mentee", "years": 3, "topics": ["python"], "groups": ["first-gen"],
                                "context_matters": ["groups"]},
                               {"name": "Di Mentee", "years": 7, "topics": ["python"]}])


def _last_round_left_out(app, w, mentee_id):
    """A published earlier round in which `mentee_id` got no mentor."""
    rid = make_round(app, w.program.id, w.coordinator.id, name="Autumn")
    with app.app_context():
        run = SolveRun(round_id=rid, status="done", kind="full")
        db.session.add(run)
        db.session.flush()
        db.session.add(RunUnmatched(run_id=run.id, mentee_membership_id=mentee_id, mentee_name="Di Mentee"))
        r = db.session.get(Round, rid)
        r.state, r.approved_run_id = "approved", run.id
        db.session.commit()
    return rid


def _winner(app, rid):
    with app.app_context():
        data = build_round_data(db.session.get(Round, rid))
        return {p.mentee for p in solve(data.instance).assignment}


def test_without_fairness_the_better_fit_gets_the_seat(app, world):
    people = _people(app, world)
    rid = make_round(app, world.program.id, world.coordinator.id, rules={"carry_bonus": 0})
    assert _winner(app, rid) == {f"e{people.ids['Cy Mentee']}"}


def test_a_mentee_left_out_last_round_is_carried_over_and_must_match_wins_the_seat(app, world):
    people = _people(app, world)
    di = people.ids["Di Mentee"]
    _last_round_left_out(app, world, di)
    rid = make_round(app, world.program.id, world.coordinator.id, name="Winter",
                     rules={"carry_bonus": 0, "carry_must_match": True})
    with app.app_context():
        r = db.session.get(Round, rid)
        assert fairness.carried_over(r) == [di]
        data = build_round_data(r)
        me = next(m for m in data.instance.mentees if m.id == f"e{di}")
        assert me.must_match is True
    assert _winner(app, rid) == {f"e{di}"}


def test_the_carry_over_bonus_is_added_to_the_carried_mentees_pairs(app, world):
    people = _people(app, world)
    di = people.ids["Di Mentee"]
    _last_round_left_out(app, world, di)
    rid = make_round(app, world.program.id, world.coordinator.id, name="Winter", rules={"carry_bonus": 50})
    with app.app_context():
        data = build_round_data(db.session.get(Round, rid))
        prio = {m.id: m.priority for m in data.instance.mentees}
    assert prio == {f"e{people.ids['Cy Mentee']}": 0, f"e{di}": 50}
    assert _winner(app, rid) == {f"e{di}"}


def test_the_round_page_shows_who_was_carried_over(app, client, world):
    people = _people(app, world)
    _last_round_left_out(app, world, people.ids["Di Mentee"])
    rid = make_round(app, world.program.id, world.coordinator.id, name="Winter")
    login(client, world.coordinator)
    html = client.get(f"/coordinator/programs/{world.program.id}/rounds/{rid}").get_data(as_text=True)
    section = html.split('id="fairness"')[1].split("</section>")[0]
    assert "Di Mentee" in section and "Carried over" in section and "Cy Mentee" not in section


def test_coordinator_lowers_a_mentees_priority_and_it_reaches_the_solver(app, client, world):
    people = _people(app, world)
    cy = people.ids["Cy Mentee"]
    rid = make_round(app, world.program.id, world.coordinator.id, rules={"carry_bonus": 0})
    login(client, world.coordinator)
    url = f"/coordinator/programs/{world.program.id}/rounds/{rid}/priorities/{cy}"
    response = post_form(client, url, {"bonus": "-40", "note": "Missed three meetings",
                                       "membership_id": str(people.ids["Di Mentee"])})
    assert response.status_code == 303
    with app.app_context():
        rows = {p.membership_id: (p.bonus, p.must_match, p.note) for p in db.session.scalars(db.select(MenteePriority))}
    assert rows == {cy: (-40, False, "Missed three meetings")}  # the posted membership_id was ignored
    assert _winner(app, rid) == {f"e{people.ids['Di Mentee']}"}
    html = client.get(f"/coordinator/programs/{world.program.id}/rounds/{rid}").get_data(as_text=True)
    assert "-40 points" in html


def test_a_bonus_out_of_range_is_refused_next_to_the_field(app, client, world):
    people = _people(app, world)
    cy = people.ids["Cy Mentee"]
    rid = make_round(app, world.program.id, world.coordinator.id)
    login(client, world.coordinator)
    url = f"/coordinator/programs/{world.program.id}/rounds/{rid}/priorities/{cy}"
    html = post_form(client, url, {"bonus": "500"}).get_data(as_text=True)
    assert 'id="bonus-error"' in html
    with app.app_context():
        assert db.session.scalar(db.select(MenteePriority)) is None


def test_priority_note_is_escaped(app, client, world):
    people = _people(app, world)
    cy = people.ids["Cy Mentee"]
    rid = make_round(app, world.program.id, world.coordinator.id)
    login(client, world.coordinator)
    post_form(client, f"/coordinator/programs/{world.program.id}/rounds/{rid}/priorities/{cy}",
              {"bonus": "5", "note": "<script>alert(1)</script>"})
    html = client.get(f"/coordinator/programs/{world.program.id}/rounds/{rid}").get_data(as_text=True)
    assert "<script>alert(1)" not in html and "&lt;script&gt;alert(1)" in html


def test_a_mentor_cannot_be_given_a_mentee_priority(app, client, world):
    people = _people(app, world)
    rid = make_round(app, world.program.id, world.coordinator.id)
    login(client, world.coordinator)
    url = f"/coordinator/programs/{world.program.id}/rounds/{rid}/priorities/{people.ids['Ada Mentor']}"
    assert client.get(url).status_code == 404


# ------------------------------------------------------------------ coverage or quality


def test_both_objectives_figures_side_by_side(app, client, world):
    _people(app, world)
    rid = make_round(app, world.program.id, world.coordinator.id)
    login(client, world.coordinator)
    url = f"/coordinator/programs/{world.program.id}/rounds/{rid}/objectives"
    response = client.get(url, headers={"HX-Request": "true"})
    html = response.get_data(as_text=True)
    assert response.status_code == 200 and "<html" not in html
    assert "Most people matched" in html and "Best pairs only" in html and "chosen" in html
    assert "HX-Request" in response.headers["Vary"]
    with app.app_context():
        preview = objectives.objective_preview(db.session.get(Round, rid))
    assert preview["coverage"]["matched"] >= preview["quality"]["matched"]
    assert preview["quality"]["total"] >= preview["coverage"]["total"]


def test_coordinator_chooses_best_pairs_only_and_the_solver_gets_it(app, client, world):
    _people(app, world)
    rid = make_round(app, world.program.id, world.coordinator.id)
    login(client, world.coordinator)
    page = f"/coordinator/programs/{world.program.id}/rounds/{rid}"
    assert post_form(client, f"{page}/objective", {"objective": "quality"}, page=page).status_code == 303
    with app.app_context():
        r = db.session.get(Round, rid)
        assert r.rules["objective"] == "quality"
        assert build_round_data(r).instance.rules.objective == "quality"


def test_an_unknown_objective_is_refused(app, client, world):
    rid = make_round(app, world.program.id, world.coordinator.id)
    login(client, world.coordinator)
    page = f"/coordinator/programs/{world.program.id}/rounds/{rid}"
    post_form(client, f"{page}/objective", {"objective": "everything"}, page=page)
    with app.app_context():
        assert (db.session.get(Round, rid).rules or {}).get("objective", "coverage") == "coverage"


def test_the_objective_cannot_change_once_the_round_is_approved(app, client, world):
    rid = make_round(app, world.program.id, world.coordinator.id)
    with app.app_context():
        db.session.get(Round, rid).state = "approved"
        db.session.commit()
    login(client, world.coordinator)
    page = f"/coordinator/programs/{world.program.id}/rounds/{rid}"
    post_form(client, f"{page}/objective", {"objective": "quality"}, page=page)
    with app.app_context():
        assert (db.session.get(Round, rid).rules or {}).get("objective", "coverage") == "coverage"


def test_the_round_form_saves_objective_and_fairness_settings(app, client, world):
    login(client, world.coordinator)
    new = f"/coordinator/programs/{world.program.id}/rounds/new"
    response = post_form(client, new, {"name": "Spring", "topics": "40", "context": "20", "stage": "25", "tz": "15",
                                       "mentors_per_mentee": "1", "team_by": "industry", "balance_slack": "5",
                                       "objective": "quality", "carry_bonus": "20", "carry_must_match": "y",
                                       "continuity_bonus": "15", "max_continued_per_mentor": "2"})
    assert response.status_code == 303
    with app.app_context():
        r = db.session.scalar(db.select(Round))
        assert {k: r.rules[k] for k in ("objective", "carry_bonus", "carry_must_match", "continuity_bonus",
                                        "max_continued_per_mentor")} == {
            "objective": "quality", "carry_bonus": 20, "carry_must_match": True, "continuity_bonus": 15,
            "max_continued_per_mentor": 2}
    html = post_form(client, new, {"name": "Bad", "topics": "40", "context": "20", "stage": "25", "tz": "15",
                                   "mentors_per_mentee": "1", "team_by": "industry", "balance_slack": "5",
                                   "carry_bonus": "99"}).get_data(as_text=True)
    assert 'id="carry_bonus-error"' in html
