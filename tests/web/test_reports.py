"""The program report and its exports (issue 17 part 2): the figures on the page, one CSV per kind
and one workbook (opened with openpyxl), the formula rule on both, the program's coordinators
only, and a statement count that does not grow with the program."""
import csv
import io
from datetime import timedelta
from pathlib import Path

import pytest
from openpyxl import load_workbook
from sqlalchemy import event

from mentormatch.extensions import db
from mentormatch.models import (
    CheckIn,
    ClosingSurvey,
    GoalForm,
    Meeting,
    Membership,
    MentorProfile,
    MicroRequest,
    Pairing,
    Program,
    Question,
    Round,
    SolveRun,
    User,
)
from mentormatch.services import exports, questions, reports
from tests.conftest import login, password_hash
from tests.web.test_lifecycle_data import T0, frozen, mid  # noqa: F401

EVIL = "=HYPERLINK(\"http://evil.example\",\"x\")"


def _round(program_id: int, name: str, pool: int, matched: int, approved_at) -> int:
    r = Round(program_id=program_id, name=name, state="approved", approved_at=approved_at)
    db.session.add(r)
    db.session.flush()
    run = SolveRun(round_id=r.id, status="done", mentee_count=pool, matched_count=matched)
    db.session.add(run)
    db.session.flush()
    r.approved_run_id = run.id
    return r.id


def _people(program_id: int, role: str, n: int, prefix: str) -> list[int]:
    users = [User(role=role, name=f"{prefix} {i}", email=f"{prefix.lower()}{i}.{program_id}@example.org",
                  password_hash=password_hash()) for i in range(n)]
    db.session.add_all(users)
    db.session.flush()
    members = [Membership(program_id=program_id, user_id=u.id) for u in users]
    db.session.add_all(members)
    db.session.flush()
    return [m.id for m in members]


def _met(program_id: int, pairing_id: int, organizer: int, n: int) -> None:
    db.session.add(Meeting(program_id=program_id, pairing_id=pairing_id, uid=f"m{pairing_id}-{n}@test",
                           state="done", organizer_membership_id=organizer, proposer_membership_id=organizer,
                           starts_at=T0 - timedelta(days=n), mentee_met="yes"))


def build(app, world, extra_mentees: int = 3, extra_mentors: int = 1) -> dict:
    """Two published rounds with known outcomes in the world's program; returns the ids."""
    pid = world.program.id
    with app.app_context():
        mentees = [mid(world, world.mentee)] + _people(pid, "mentee", extra_mentees, "Mentee")
        mentors = [mid(world, world.mentor)] + _people(pid, "mentor", extra_mentors, "Mentor")
        db.session.add(GoalForm(membership_id=mentees[0], near_term_goal=EVIL, power_question="\tTabbed",
                                submitted_at=T0, languages=["en"], timezone="UTC"))
        db.session.add(GoalForm(membership_id=mentees[1], near_term_goal="Half done", languages=["en"]))
        for m in mentors:
            db.session.add(MentorProfile(membership_id=m, bio="+1 for pairing", languages=["en"]))
        spring = _round(pid, "Spring", pool=4, matched=3, approved_at=T0 - timedelta(days=200))
        autumn = _round(pid, "Autumn", pool=2, matched=2, approved_at=T0 - timedelta(days=20))
        ids = {}
        for key, rnd, mentee, mentor, state, extra in [
                ("done", spring, mentees[0], mentors[0], "completed", {}),
                ("early", spring, mentees[1], mentors[1], "ended_early", {"end_reason": "Moved teams"}),
                ("active", spring, mentees[2], mentors[0], "active", {}),
                ("autumn", autumn, mentees[3], mentors[1], "active", {}),
                ("waiting", autumn, mentees[0], mentors[1], "proposed", {})]:
            p = Pairing(program_id=pid, round_id=rnd, mentee_membership_id=mentee, mentor_membership_id=mentor,
                        state=state, proposed_at=T0 - timedelta(days=100), sentence="Both -like SQL", **extra)
            db.session.add(p)
            db.session.flush()
            ids[key] = p.id
        _met(pid, ids["done"], mentees[0], 1)
        _met(pid, ids["done"], mentees[0], 2)
        _met(pid, ids["autumn"], mentees[3], 1)
        db.session.add_all([
            CheckIn(program_id=pid, pairing_id=ids["done"], membership_id=mentees[0], day=30, score=5,
                    comment="@SUM(A1)", answered_at=T0),
            CheckIn(program_id=pid, pairing_id=ids["done"], membership_id=mentors[0], day=30, score=2, answered_at=T0),
            CheckIn(program_id=pid, pairing_id=ids["active"], membership_id=mentees[2], day=30),
            ClosingSurvey(pairing_id=ids["done"], membership_id=mentees[0], role="mentee", recommend=10,
                          changed="More confident"),
            ClosingSurvey(pairing_id=ids["done"], membership_id=mentors[0], role="mentor", recommend=9),
            ClosingSurvey(pairing_id=ids["early"], membership_id=mentees[1], role="mentee", recommend=3),
            MicroRequest(program_id=pid, kind="feedback", question="-1 is my score, why?", state="open",
                         mentee_membership_id=mentees[2], mentor_membership_id=mentors[1]),
        ])
        db.session.commit()
    return ids


def test_net_promoter_is_promoters_minus_detractors():
    assert reports.net_promoter([]) is None
    assert reports.net_promoter([10, 9, 8, 7]) == 50
    assert reports.net_promoter([10, 3]) == 0
    assert reports.net_promoter([0, 6, 9]) == -33


def test_the_report_shows_people_rounds_meetings_checkins_and_surveys(app, client, world, frozen):
    build(app, world)
    with app.app_context():
        r = reports.program_report(db.session.get(Program, world.program.id))
    assert (r.people.mentees, r.people.mentees_submitted, r.people.mentees_started) == (4, 1, 1)
    assert (r.people.mentors, r.people.mentors_with_profile) == (2, 2)
    spring, autumn = r.rounds
    assert (spring.name, spring.pool, spring.matched, spring.match_rate) == ("Spring", 4, 3, 75)
    assert (spring.published, spring.started, spring.met, spring.completed, spring.ended_early) == (3, 3, 1, 1, 1)
    assert spring.nps == 33 and autumn.nps is None
    assert (autumn.match_rate, autumn.published, autumn.met, autumn.met_rate) == (100, 2, 1, 50)
    assert (r.meetings.pairs_met, r.meetings.pairs_started, r.meetings.meetings_held) == (2, 4, 3)
    day30 = r.checkins[0]
    assert (day30.invited, day30.answered, day30.low, day30.average) == (3, 2, 1, 3.5)
    assert r.nps == {"mentee": 0, "mentor": 100}
    assert [e["reason"] for e in r.endings.early] == ["Moved teams"]

    login(client, world.coordinator)
    html = client.get(f"/coordinator/programs/{world.program.id}/report").get_data(as_text=True)
    assert 'id="chart-rounds"' in html and "<title id=\"chart-rounds-title\">" in html
    assert '<th scope="row">Spring</th>\n        <td class="num">3/4 · 75%</td>' in html
    assert 'id="fig-nps-mentor">100<' in html and "Moved teams" in html
    css = Path(app.static_folder, "css", "app.css").read_text()
    assert "@media print" in css and ".no-print" in css and 'class="report-actions no-print"' in html


def _rows(text: str) -> list[list[str]]:
    return list(csv.reader(io.StringIO(text)))


def test_each_kind_exports_as_csv_with_formulas_neutralised(app, client, world, frozen):
    ids = build(app, world)
    login(client, world.coordinator)
    base = f"/coordinator/programs/{world.program.id}/export"
    got = {}
    for kind in exports.KINDS:
        response = client.get(f"{base}/{kind}.csv")
        assert response.status_code == 200, kind
        assert response.headers["Content-Disposition"] == f'attachment; filename="program-{world.program.id}-{kind}.csv"'
        got[kind] = _rows(response.get_data(as_text=True))
    assert got["people"][0] == ["member_id", "name", "email", "role", "joined_at", "approved_at", "form"]
    assert len(got["people"]) == 1 + 6
    goal = {row[1]: row for row in got["goal_forms"][1:]}[world.mentee.name]
    assert goal[4] == "'" + EVIL and goal[6] == "'\tTabbed", "a formula or tab start gets a leading '"
    assert [r[9] for r in got["profiles"][1:]] == ["'+1 for pairing"] * 2
    pairing = {int(r[0]): r for r in got["pairings"][1:]}[ids["early"]]
    assert pairing[1:5] == ["Spring", "Mentee 0", "Mentor 0", "ended_early"] and pairing[-1] == "Moved teams"
    assert pairing[6] == "Both -like SQL"
    assert got["micro_requests"][1][5] == "'-1 is my score, why?"
    assert len(got["meetings"]) == 1 + 3 and got["meetings"][1][3] == "done"
    assert [r[6] for r in got["checkins"][1:] if r[5] == "5"] == ["'@SUM(A1)"]
    assert sorted(r[4] for r in got["surveys"][1:]) == ["10", "3", "9"]
    assert client.get(f"{base}/passwords.csv").status_code == 404


def test_the_workbook_has_a_sheet_per_kind_typed_numbers_and_safe_text(app, client, world, frozen):
    ids = build(app, world)
    login(client, world.coordinator)
    response = client.get(f"/coordinator/programs/{world.program.id}/export.xlsx")
    assert response.status_code == 200
    assert response.content_type == "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
    book = load_workbook(io.BytesIO(response.data))
    assert book.sheetnames == ["People", "Goal forms", "Mentor profiles", "Pairings", "Micro-requests", "Meetings",
                               "Check-ins", "Closing surveys"]
    assert book["People"].freeze_panes == "A2" and book["People"]["A1"].font.b, "a bold header that stays in view"
    sheet = book["Pairings"]
    header = [c.value for c in sheet[1]]
    assert header[:5] == ["pairing_id", "round", "mentee", "mentor", "state"]
    rows = {r[0]: r for r in sheet.iter_rows(min_row=2, values_only=True)}
    assert rows[ids["early"]][1:5] == ("Spring", "Mentee 0", "Mentor 0", "ended_early")
    goals = list(book["Goal forms"].iter_rows(min_row=2, values_only=True))
    assert all(cell.data_type != "f" for row in book["Goal forms"].iter_rows() for cell in row)
    assert [g[4] for g in goals if g[1] == world.mentee.name] == ["'" + EVIL]
    surveys = sorted(r[4] for r in book["Closing surveys"].iter_rows(min_row=2, values_only=True))
    assert surveys == [3, 9, 10], "numbers stay numbers"


def test_answers_to_the_programs_own_questions_become_columns(app, world, frozen):
    """Issue 17's questions in the exports: one column per label, a deleted question's answers kept
    under the label they were given, formulas neutralised like every other cell."""
    build(app, world)
    with app.app_context():
        program = db.session.get(Program, world.program.id)
        campus = questions.define(program, {"label": "Campus", "kind": "one", "audience": "both",
                                            "choices": "North\nSouth", "weight": "10", "position": "1"})
        track = questions.define(program, {"label": "Track", "kind": "text", "audience": "mentees",
                                           "weight": "10", "position": "2"})
        half_done = db.session.scalar(db.select(GoalForm.membership_id).where(GoalForm.submitted_at.is_(None)))
        questions.save_answers(db.session.get(Membership, mid(world, world.mentee)), {f"q{campus.id}": ["North"]})
        questions.save_answers(db.session.get(Membership, half_done), {f"q{track.id}": ["=1+1"]})
        questions.save_answers(db.session.get(Membership, mid(world, world.mentor)), {f"q{campus.id}": ["South"]})
        questions.delete(db.session.get(Question, track.id))
        db.session.commit()
        t = exports.table(db.session.get(Program, world.program.id), "goal_forms")
        assert t.header[-2:] == ["Campus", "Track"]
        assert sorted(tuple(r[-2:]) for r in t.rows) == [("", "=1+1"), ("North", "")]
        assert "'=1+1" in exports.export_csv(db.session.get(Program, world.program.id), "goal_forms")
        profiles = exports.table(db.session.get(Program, world.program.id), "profiles")
        assert profiles.header[-1] == "Campus" and ("South" in [r[-1] for r in profiles.rows])


URLS = ("/coordinator/programs/{}/report", "/coordinator/programs/{}/export/pairings.csv",
        "/coordinator/programs/{}/export.xlsx")


@pytest.mark.parametrize("url", URLS)
def test_only_the_programs_coordinators_see_the_report_and_exports(app, world, url):
    build(app, world)
    mine, theirs = url.format(world.program.id), url.format(world.other_program.id)
    anonymous = app.test_client()
    assert anonymous.get(mine).status_code == 302
    for user, code in ((world.mentee, 403), (world.mentor, 403), (world.other_coordinator, 404),
                       (world.coordinator, 200)):
        client = app.test_client()
        login(client, user)
        assert client.get(mine).status_code == code, user.name
    client = app.test_client()
    login(client, world.coordinator)
    assert client.get(theirs).status_code == 404, "an edited id of another program"
    assert client.get(url.format(999999)).status_code == 404
    other = app.test_client()
    login(other, world.other_coordinator)
    assert other.get(theirs).status_code == 200
    assert b"Mentee 0" not in other.get(theirs).data, "nothing of the first program in the other's"


def _statements(app, client, url) -> int:
    seen = []
    with app.app_context():
        engine = db.engine

    def count(*args):
        seen.append(1)

    event.listen(engine, "before_cursor_execute", count)
    try:
        assert client.get(url).status_code == 200
    finally:
        event.remove(engine, "before_cursor_execute", count)
    return len(seen)


@pytest.mark.parametrize("app", [{"WORKBOOK_INLINE_PEOPLE": 100_000}], indirect=True)  # the direct download
def test_report_and_workbook_statements_do_not_grow_with_the_program(app, client, world, frozen):
    """A 500-person program costs the same statements as a small one: no query per person."""
    build(app, world)
    login(client, world.coordinator)
    report, book = (f"/coordinator/programs/{world.program.id}/report",
                    f"/coordinator/programs/{world.program.id}/export.xlsx")
    small = _statements(app, client, report), _statements(app, client, book)
    with app.app_context():
        pid = world.program.id
        mentees = _people(pid, "mentee", 350, "Big mentee")
        mentors = _people(pid, "mentor", 150, "Big mentor")
        spring = db.session.scalar(db.select(Round.id).where(Round.program_id == pid, Round.name == "Spring"))
        for i, mentee in enumerate(mentees):
            db.session.add(GoalForm(membership_id=mentee, submitted_at=T0, languages=["en"]))
            p = Pairing(program_id=pid, round_id=spring, mentee_membership_id=mentee,
                        mentor_membership_id=mentors[i % 150], state=("ended_early" if i % 3 else "completed"),
                        end_reason="Busy", proposed_at=T0)
            db.session.add(p)
            db.session.flush()
            db.session.add(ClosingSurvey(pairing_id=p.id, membership_id=mentee, role="mentee", recommend=i % 11,
                                         changed="Good"))
            db.session.add(CheckIn(program_id=pid, pairing_id=p.id, membership_id=mentee, day=30, score=1 + i % 5,
                                   answered_at=T0))
            if i % 2:
                _met(pid, p.id, mentee, 1)
        for m in mentors:
            db.session.add(MentorProfile(membership_id=m, languages=["en"]))
        db.session.commit()
    big = _statements(app, client, report), _statements(app, client, book)
    assert big == small, f"statements small {small}, 500 people {big}"
    assert big[0] < 40
