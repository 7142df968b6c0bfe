"""The home pages render with a fixed number of SQL statements, whatever the number of mentees
(or mentors): the routes build the whole page context through services/home.py in one query plan,
and no template runs a query (issue 12)."""
from contextlib import contextmanager
from datetime import timedelta

from sqlalchemy import event

from mentormatch.core import clock
from mentormatch.extensions import db
from mentormatch.models import (
    CheckIn,
    ContinueWish,
    FollowUp,
    GoalForm,
    GoalStep,
    Membership,
    MentorProfile,
    MicroRequest,
    Pairing,
    Program,
    ProgramCoordinator,
    Round,
    User,
)
from tests.conftest import login, password_hash


@contextmanager
def counted(app):
    """Every SQL statement the app sends meanwhile."""
    statements = []

    def count(conn, cursor, statement, parameters, context, executemany):
        statements.append(statement)

    with app.app_context():
        engine = db.engine
    event.listen(engine, "before_cursor_execute", count)
    try:
        yield statements
    finally:
        event.remove(engine, "before_cursor_execute", count)


def _user(role: str, name: str) -> User:
    user = User(role=role, name=name, email=f"{name.lower().replace(' ', '.')}@example.org",
                password_hash=password_hash())
    db.session.add(user)
    return user


def _member(program: Program, user: User) -> Membership:
    membership = Membership(program=program, user=user)
    db.session.add(membership)
    return membership


def _mentor_world(app, n: int, tag: str) -> User:
    """A mentor with n current round mentees (goal form, follow-up, continue wish, check-in each) and
    n proposals from mentees who have another mentor and a micro-request open to this one."""
    with app.app_context():
        coordinator = _user("coordinator", f"Coordinator {tag}")
        program = Program(name=f"Program {tag}", description="", offers_rounds=True, offers_micro=True)
        program.coordinators.append(ProgramCoordinator(user=coordinator))
        db.session.add(program)
        mentor_user = _user("mentor", f"Mentor {tag}")
        other_user = _user("mentor", f"Other mentor {tag}")
        mentor, other = _member(program, mentor_user), _member(program, other_user)
        db.session.add_all([MentorProfile(membership=mentor, capacity_round=n), MentorProfile(membership=other)])
        round_ = Round(program=program, name="Autumn", state="approved")
        db.session.add(round_)
        db.session.flush()
        for i in range(n):
            mentee = _member(program, _user("mentee", f"Mentee {tag} {i}"))
            asking = _member(program, _user("mentee", f"Asker {tag} {i}"))
            db.session.flush()
            db.session.add(GoalForm(membership_id=mentee.id, near_term_goal=f"Goal {i}", power_question="How?"))
            pairing = Pairing(program_id=program.id, round_id=round_.id, mentee_membership_id=mentee.id,
                              mentor_membership_id=mentor.id, state="active", sentence="Same topics")
            proposal = Pairing(program_id=program.id, round_id=round_.id, mentee_membership_id=asking.id,
                               mentor_membership_id=mentor.id, state="proposed", sentence="Close fit")
            elsewhere = Pairing(program_id=program.id, mentee_membership_id=asking.id,
                                mentor_membership_id=other.id, state="active")
            db.session.add_all([pairing, proposal, elsewhere])
            db.session.flush()
            db.session.add_all([
                FollowUp(mentee_membership_id=mentee.id, mentor_membership_id=mentor.id, pairing_id=pairing.id,
                         kind="thanks", body="Thank you!"),
                ContinueWish(pairing_id=pairing.id, membership_id=mentor.id, wants=True),
                CheckIn(program_id=program.id, pairing_id=pairing.id, membership_id=mentor.id, day=30),
                MicroRequest(program_id=program.id, mentee_membership_id=asking.id, mentor_membership_id=mentor.id,
                             kind="feedback", question=f"Question {i}?"),
            ])
        db.session.commit()
        return mentor_user.email


def _mentee_world(app, n: int, tag: str) -> str:
    """A mentee with n mentors: a current round pairing (continue wish, check-in) and a micro-request
    each, one mentor asking a question, n goal steps."""
    with app.app_context():
        coordinator = _user("coordinator", f"Coordinator {tag}")
        program = Program(name=f"Program {tag}", description="", offers_rounds=True, offers_micro=True)
        program.coordinators.append(ProgramCoordinator(user=coordinator))
        db.session.add(program)
        mentee_user = _user("mentee", f"Mentee {tag}")
        mentee = _member(program, mentee_user)
        round_ = Round(program=program, name="Autumn", state="approved")
        db.session.add(round_)
        db.session.flush()
        db.session.add(GoalForm(membership_id=mentee.id, near_term_goal="Lead a team", submitted_at=clock.now()))
        for i in range(n):
            mentor = _member(program, _user("mentor", f"Mentor {tag} {i}"))
            db.session.flush()
            pairing = Pairing(program_id=program.id, round_id=round_.id, mentee_membership_id=mentee.id,
                              mentor_membership_id=mentor.id, state="active", sentence="Same topics")
            db.session.add(pairing)
            db.session.flush()
            db.session.add_all([
                ContinueWish(pairing_id=pairing.id, membership_id=mentee.id, wants=bool(i % 2)),
                CheckIn(program_id=program.id, pairing_id=pairing.id, membership_id=mentee.id, day=30),
                MicroRequest(program_id=program.id, mentee_membership_id=mentee.id, mentor_membership_id=mentor.id,
                             kind="feedback", question=f"Question {i}?", state="accepted" if i else "open",
                             created_at=clock.now() - timedelta(minutes=i)),
                GoalStep(membership_id=mentee.id, title=f"Step {i}", position=i,
                         done_at=clock.now() if i % 2 else None),
            ])
        asking = _member(program, _user("mentor", f"Asking mentor {tag}"))
        db.session.flush()
        db.session.add(Pairing(program_id=program.id, mentee_membership_id=mentee.id, mentor_membership_id=asking.id,
                               state="info_requested", info_question="What do you want to learn?"))
        db.session.commit()
        return mentee_user.email


def _statements(app, email: str, url: str) -> tuple[list[str], str]:
    client = app.test_client()
    login(client, type("U", (), {"email": email})())
    client.get(url)  # warm up: anything cached per process is not the page's cost
    with counted(app) as statements:
        response = client.get(url)
    assert response.status_code == 200
    return statements, response.get_data(as_text=True)


def test_the_mentor_home_needs_the_same_queries_for_1_and_20_mentees(app):
    one, one_html = _statements(app, _mentor_world(app, 1, "one"), "/mentor/")
    twenty, html = _statements(app, _mentor_world(app, 20, "twenty"), "/mentor/")
    # The page shows what the queries loaded: every mentee, proposal, check-in and wish.
    assert html.count("Mentee twenty ") >= 20 and html.count("Asker twenty ") >= 20
    assert "20 micro-requests waiting for you" in html and "1 micro-request waiting for you" in one_html
    assert html.count('aria-pressed="true"') == 20 and html.count("30-day check-in with") == 20
    assert "Thank-you" in html and "Other mentor twenty" in html
    assert len(twenty) == len(one), "\n".join(twenty)


def test_the_mentee_home_needs_the_same_queries_for_1_and_20_mentors(app):
    one, _ = _statements(app, _mentee_world(app, 1, "one"), "/mentee/")
    twenty, html = _statements(app, _mentee_world(app, 20, "twenty"), "/mentee/")
    assert html.count("30-day check-in with Mentor twenty") == 20
    assert "10 of 20 done" in html and "What do you want to learn?" in html
    assert html.count('aria-pressed="true"') == 20 and "1 of 5 open requests" in html
    assert len(twenty) == len(one), "\n".join(twenty)
