"""Builders for the lifecycle tests (no tests here): mentor profiles, goal forms, pairings and
requests created directly or through the services, inside their own app context."""
from datetime import datetime

import pytest

from mentormatch.core import clock
from mentormatch.extensions import db
from mentormatch.models import GoalForm, Membership, MentorProfile, MicroRequest, Pairing, Program, Term, User
from mentormatch.services import micro_requests

T0 = datetime(2026, 3, 2, 9, 0)  # a Monday, early in the month


@pytest.fixture
def frozen(app):
    """The controllable clock, frozen at T0 for the test and released after."""
    clock.set_now(T0)
    yield clock
    clock.set_now(None)


def mid(w, user) -> int:
    return w.program.memberships[user.id]


def add_profile(app, membership_id: int, **values) -> None:
    with app.app_context():
        values = {"languages": ["en"], "timezone": "Europe/London", "years": 8, "role_level": "senior",
                  "capacity_micro": 4, "capacity_round": 2, **values}
        db.session.add(MentorProfile(membership_id=membership_id, **values))
        db.session.commit()


def add_goal(app, membership_id: int, **values) -> None:
    with app.app_context():
        values = {"languages": ["en"], "timezone": "Europe/London", "years": 2, "preference": "ahead",
                  "near_term_goal": "Ship my first feature", "power_question": "Which slide loses you?", **values}
        db.session.add(GoalForm(membership_id=membership_id, **values))
        db.session.commit()


def add_term(app, program_id: int, name: str, kind: str = "topic") -> int:
    with app.app_context():
        term = Term(program_id=program_id, kind=kind, name=name)
        db.session.add(term)
        db.session.commit()
        return term.id


def add_mentor(app, make_user, w, name: str, **profile) -> tuple:
    """A new mentor in the world's program, with a profile; returns (user, membership id)."""
    user = make_user("mentor", name)
    with app.app_context():
        membership = Membership(program_id=w.program.id, user_id=user.id)
        db.session.add(membership)
        db.session.commit()
        membership_id = membership.id
    add_profile(app, membership_id, **profile)
    return user, membership_id


def add_mentee(app, make_user, w, name: str) -> tuple:
    user = make_user("mentee", name)
    with app.app_context():
        membership = Membership(program_id=w.program.id, user_id=user.id)
        db.session.add(membership)
        db.session.commit()
        return user, membership.id


def add_pairing(app, program_id: int, mentee_mid: int, mentor_mid: int, state: str = "proposed", **values) -> int:
    with app.app_context():
        pairing = Pairing(program_id=program_id, mentee_membership_id=mentee_mid, mentor_membership_id=mentor_mid,
                          state=state, proposed_at=values.pop("proposed_at", clock.now()), **values)
        db.session.add(pairing)
        db.session.commit()
        return pairing.id


def send_request(app, mentee, program_id: int, mentor_mid: int, question: str = "Which of my 5 slides loses you first?",
                 kind: str = "call15") -> int:
    with app.app_context():
        req = micro_requests.send(db.session.get(User, mentee.id), db.session.get(Program, program_id),
                                  db.session.get(Membership, mentor_mid), {"kind": kind, "question": question})
        return req.id


def request_state(app, request_id: int) -> str:
    with app.app_context():
        return db.session.get(MicroRequest, request_id).state


def pairing_state(app, pairing_id: int) -> str:
    with app.app_context():
        return db.session.get(Pairing, pairing_id).state


def open_count(app, mentee_mid: int) -> int:
    with app.app_context():
        return micro_requests.open_count(mentee_mid)


def outbox(app) -> list:
    """Messages sent through the locmem backend (kept per app, so per test)."""
    return list(getattr(app.extensions["mailman"], "outbox", []))


@pytest.fixture
def mailbox(app):
    app.extensions["mailman"].outbox = []
    return app.extensions["mailman"].outbox
