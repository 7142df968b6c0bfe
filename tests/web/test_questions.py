"""A program's own questions (issue 17, item 1): definitions validated, answers validated
against their type, old answers readable after a change or delete, access per role and program,
and a round's instance carrying the criteria to the core (format version 2)."""
import re

import pytest

from mentormatch.extensions import db
from mentormatch.matching import instance_to_dict, read_instance, solve
from mentormatch.models import Membership, Program, Question, QuestionAnswer, Round
from mentormatch.services import ServiceError, questions
from mentormatch.services.people import import_csv
from mentormatch.services.rounds.instance import build_round_data
from tests.conftest import login, post_form
from tests.security.test_races import race
from tests.web.test_lifecycle_data import add_goal, add_mentor, add_profile, mid

CAMPUS = {"label": "Campus", "kind": "one", "audience": "both", "choices": "Lisbon\nPorto",
          "criterion": "same", "weight": "30", "position": "1"}


def define(app, program_id, **values):
    with app.app_context():
        return questions.define(db.session.get(Program, program_id), {**CAMPUS, **values}).id


def answer(app, membership_id, **posted):
    with app.app_context():
        questions.save_answers(db.session.get(Membership, membership_id),
                               {k: v if isinstance(v, list) else [v] for k, v in posted.items()})


def count(app, model):
    with app.app_context():
        return db.session.scalar(db.select(db.func.count()).select_from(model))


# -- definitions -------------------------------------------------------------------------------

@pytest.mark.parametrize("values, field, message", [
    ({"choices": "Lisbon\nlisbon"}, "choices", "“lisbon” is listed twice"),
    ({"choices": "Lisbon"}, "choices", "at least two choices"),
    ({"choices": "\n".join(f"c{i}" for i in range(51))}, "choices", "At most 50 choices"),
    ({"label": "  "}, "label", "Please fill in"),
    ({"kind": "text"}, "criterion", "Only a one-choice question"),
    ({"audience": "mentees"}, "criterion", "Only a one-choice question"),
    ({"criterion": "closest"}, "criterion", "Choose one of the options"),
    ({"weight": "101"}, "weight", "between 0 and 100"),
    ({"kind": "essay"}, "kind", "Choose one of the options"),
])
def test_a_bad_definition_is_refused_next_to_its_field_and_nothing_is_saved(app, client, world, values, field,
                                                                             message):
    login(client, world.coordinator)
    response = post_form(client, f"/coordinator/programs/{world.program.id}/questions", {**CAMPUS, **values})
    assert response.status_code == 200
    html = response.get_data(as_text=True)
    assert f'id="{field}-error"' in html and message in html
    assert count(app, Question) == 0


def test_at_most_twenty_questions_per_program(app, world):
    for i in range(20):
        define(app, world.program.id, label=f"Q{i}", criterion="")
    with pytest.raises(ServiceError) as e, app.app_context():
        questions.define(db.session.get(Program, world.program.id), {**CAMPUS, "label": "One more"})
    assert "at most 20" in e.value.message
    assert count(app, Question) == 20


def test_a_deleted_question_frees_its_place_under_the_cap(app, world):
    ids = [define(app, world.program.id, label=f"Q{i}", criterion="") for i in range(20)]
    with app.app_context():
        questions.delete(db.session.get(Question, ids[3]))
    define(app, world.program.id, label="Instead", criterion="")
    with app.app_context():
        live = db.session.scalars(db.select(Question.slot).where(Question.deleted_at.is_(None))).all()
        assert sorted(live) == list(range(1, 21))


def test_parallel_adds_of_the_last_question_make_twenty_not_more(app, world):
    """Two coordinators adding the 20th question at once: the database's slot rule keeps the cap."""
    for i in range(19):
        define(app, world.program.id, label=f"Q{i}", criterion="")

    def action(i, barrier):
        program = db.session.get(Program, world.program.id)
        barrier.wait()
        questions.define(program, {**CAMPUS, "label": f"Last {i}", "criterion": ""})
        return "added"

    outcomes = race(app, 4, action)
    assert outcomes.count("added") == 1, outcomes
    with app.app_context():
        assert db.session.scalar(db.select(db.func.count()).select_from(Question).where(
            Question.deleted_at.is_(None))) == 20


def test_a_coordinator_adds_edits_and_deletes_a_question_through_the_pages(app, client, world):
    login(client, world.coordinator)
    base = f"/coordinator/programs/{world.program.id}/questions"
    assert post_form(client, base, CAMPUS).status_code == 303
    with app.app_context():
        q = db.session.scalar(db.select(Question))
        assert (q.label, q.choices, q.criterion, q.weight) == ("Campus", ["Lisbon", "Porto"], "same", 30)
    page = client.get(f"{base}/{q.id}").get_data(as_text=True)
    assert "Lisbon\nPorto" in page
    assert post_form(client, f"{base}/{q.id}", {**CAMPUS, "label": "Site", "choices": "Lisbon\nFaro"},
                     page=f"{base}/{q.id}").status_code == 303
    assert post_form(client, f"{base}/{q.id}/delete", {}, page=base).status_code == 303
    with app.app_context():
        q = db.session.get(Question, q.id)
        assert q.label == "Site" and q.deleted_at is not None
    assert "Site" not in client.get(base).get_data(as_text=True).split("Add a question")[0]


# -- answers -----------------------------------------------------------------------------------

def all_kinds(app, world):
    pid = world.program.id
    return {"campus": define(app, pid),
            "note": define(app, pid, label="Anything else", kind="text", criterion="", audience="mentees"),
            "langs": define(app, pid, label="Tools", kind="many", choices="Excel\nPython\nR", criterion="",
                            required="y"),
            "scale": define(app, pid, label="Confidence", kind="scale", criterion="", choices="")}


@pytest.mark.parametrize("posted, field, message", [
    ({"campus": "Madrid"}, "campus", "Choose one of the options"),
    ({"campus": ["Lisbon", "Porto"]}, "campus", "Choose one of the options"),
    ({"langs": []}, "langs", "Please answer this question"),
    ({"langs": ["Python", "Go"]}, "langs", "Choose from the options shown"),
    ({"scale": "6"}, "scale", "between 1 and 5"),
    ({"scale": "three"}, "scale", "as a whole number"),
    ({"note": "x" * 301}, "note", "Keep it under 300"),
])
def test_an_answer_is_checked_against_its_question_and_nothing_is_saved(app, client, world, posted, field,
                                                                        message):
    ids = all_kinds(app, world)
    good = {"campus": "Lisbon", "langs": ["Python"], "scale": "4", "note": "Hi"}
    data = {f"q{ids[k]}": v for k, v in {**good, **posted}.items()}
    login(client, world.mentee)
    response = post_form(client, f"/programs/{world.program.id}/my-answers", data)
    html = response.get_data(as_text=True)
    assert response.status_code == 200 and f'id="q{ids[field]}-error"' in html and message in html
    assert count(app, QuestionAnswer) == 0


def test_a_mentee_answers_and_a_changed_or_deleted_question_keeps_the_answer_readable(app, client, world):
    ids = all_kinds(app, world)
    login(client, world.mentee)
    url = f"/programs/{world.program.id}/my-answers"
    page = client.get(url).get_data(as_text=True)
    assert "Anything else" in page and "Campus" in page
    response = post_form(client, url, {f"q{ids['campus']}": "Lisbon", f"q{ids['langs']}": ["Excel", "R"],
                                       f"q{ids['scale']}": "4", f"q{ids['note']}": "Remote mostly"})
    assert response.status_code == 303
    saved = client.get(url).get_data(as_text=True)
    assert re.search(r'<input checked[^>]*value="Lisbon"', saved) and re.search(r'<input checked[^>]*value="R"', saved)
    assert not re.search(r'<input checked[^>]*value="Porto"', saved)
    define_values = {**CAMPUS, "label": "Site", "choices": "Faro\nPorto"}
    with app.app_context():
        program = db.session.get(Program, world.program.id)
        questions.define(program, define_values, db.session.get(Question, ids["campus"]))
        questions.delete(db.session.get(Question, ids["note"]))
        got = questions.labelled_answers(db.session.get(Membership, mid(world, world.mentee)))
    assert got == {"Campus": "Lisbon", "Tools": "Excel, R", "Confidence": "4", "Anything else": "Remote mostly"}


def test_a_mentor_is_not_asked_the_mentee_only_questions(app, client, world):
    all_kinds(app, world)
    login(client, world.mentor)
    page = client.get(f"/programs/{world.program.id}/my-answers").get_data(as_text=True)
    assert "Campus" in page and "Anything else" not in page


# -- access ------------------------------------------------------------------------------------

def test_only_a_coordinator_of_this_program_edits_its_questions(app, client, world):
    qid = define(app, world.program.id)
    base = f"/coordinator/programs/{world.program.id}/questions/{qid}"
    login(client, world.other_coordinator)
    assert client.get(base).status_code == 404
    assert post_form(client, f"{base}/delete", {}, page="/coordinator/").status_code == 404
    # An id edited into the coordinator's own program's URL finds nothing either.
    other_qid = define(app, world.other_program.id)
    login(client, world.coordinator)
    assert client.get(base).status_code == 200
    assert client.get(f"/coordinator/programs/{world.program.id}/questions/{other_qid}").status_code == 404
    assert post_form(client, f"/coordinator/programs/{world.program.id}/questions/{other_qid}/delete", {},
                     page="/coordinator/").status_code == 404
    for user in (world.mentee, world.mentor):
        login(client, user)
        assert client.get(base).status_code in (302, 403, 404)
    with app.app_context():
        assert db.session.get(Question, other_qid).deleted_at is None


def test_members_answer_only_in_their_own_program(app, client, world):
    define(app, world.other_program.id)
    for user in (world.mentee, world.mentor):
        login(client, user)
        assert client.get(f"/programs/{world.other_program.id}/my-answers").status_code == 404
    login(client, world.coordinator)
    assert client.get(f"/programs/{world.program.id}/my-answers").status_code in (302, 403, 404)


# -- the round's instance --------------------------------------------------------------------------

def test_a_round_passes_the_criterion_to_the_core_as_format_version_2(app, make_user, world):
    qid = define(app, world.program.id)
    add_goal(app, mid(world, world.mentee))
    add_profile(app, mid(world, world.mentor))
    _, lisbon = add_mentor(app, make_user, world, "Lia Lisbon")
    answer(app, mid(world, world.mentee), **{f"q{qid}": "Lisbon"})
    answer(app, mid(world, world.mentor), **{f"q{qid}": "Porto"})
    answer(app, lisbon, **{f"q{qid}": "Lisbon"})
    with app.app_context():
        round_ = Round(program_id=world.program.id, name="Spring")
        db.session.add(round_)
        db.session.commit()
        data = build_round_data(round_)
    doc = instance_to_dict(data.instance)
    assert doc["version"] == 2
    assert doc["criteria"] == [{"key": f"q{qid}", "label": "Campus", "kind": "same", "weight": 30.0}]
    result = solve(read_instance(doc))
    assert [(p.mentee, p.mentor) for p in result.assignment] == [(f"e{mid(world, world.mentee)}", f"m{lisbon}")]
    assert "both answered Campus: Lisbon" in result.assignment[0].sentence


# -- the CSV import ---------------------------------------------------------------------------------

def test_the_csv_import_maps_columns_named_like_questions_to_answers(app, world):
    qid = define(app, world.program.id)
    tools = define(app, world.program.id, label="Tools", kind="many", choices="Excel\nPython\nR", criterion="",
                   audience="mentors")
    with app.test_request_context():
        program = db.session.get(Program, world.program.id)
        bad = import_csv.preview(program, "name,email,role,campus,tools\n"
                                          "Ana Alves,ana.q@example.org,mentor,Madrid,Python\n"
                                          "Bo Berg,bo.q@example.org,mentee,Lisbon,Excel\n")
        assert [r.errors for r in bad.rows] == [["Campus: Choose one of the options."],
                                                ["“Tools” is not asked of mentees; leave it empty."]]
        import_csv.apply(program, "name,email,role,Campus,Tools\n"
                                  "Ana Alves,ana.q@example.org,mentor,Porto,Python; R\n"
                                  "Bo Berg,bo.q@example.org,mentee,Lisbon,\n", None)
        got = {(a.question_id, a.text) for a in db.session.scalars(db.select(QuestionAnswer))}
    assert got == {(qid, "Porto"), (tools, "Python, R"), (qid, "Lisbon")}
