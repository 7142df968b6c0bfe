"""Shared set-up for the people-side tests (topics, pairings, saved forms). No tests of its own:
it lives under this name because the people tests own the tests/web/test_people_* paths."""
from types import SimpleNamespace

import pytest

from mentormatch.extensions import db
from mentormatch.models import GoalForm, Membership, MentorProfile, Pairing, Term

TOPICS = ("Backend development", "Data science", "Public speaking", "Career change", "Security")
GROUPS = ("Women in tech", "First-generation", "Parents")


@pytest.fixture
def terms(app, world):
    """The main program's topic and group lists, plus one topic in the other program."""
    with app.app_context():
        made = {}
        for kind, names in (("topic", TOPICS), ("group", GROUPS)):
            for name in names:
                term = Term(program_id=world.program.id, kind=kind, name=name)
                db.session.add(term)
                db.session.flush()
                made[name] = term.id
        foreign = Term(program_id=world.other_program.id, kind="topic", name="Foreign topic")
        db.session.add(foreign)
        db.session.commit()
        made["foreign"] = foreign.id
        return SimpleNamespace(**{k.replace(" ", "_").replace("-", "_").lower(): v for k, v in made.items()}, ids=made)


def membership_id(world, user, program=None) -> int:
    return (program or world.program).memberships[user.id]


def add_member(app, program, user) -> int:
    with app.app_context():
        m = Membership(program_id=program.id, user_id=user.id)
        db.session.add(m)
        db.session.commit()
        program.memberships[user.id] = m.id
        return m.id


def make_pairing(app, world, mentor, mentee, state="accepted", program=None) -> int:
    program = program or world.program
    with app.app_context():
        pairing = Pairing(program_id=program.id, mentor_membership_id=program.memberships[mentor.id],
                          mentee_membership_id=program.memberships[mentee.id], state=state)
        db.session.add(pairing)
        db.session.commit()
        return pairing.id


def goal_data(terms, **overrides) -> dict:
    """A valid goal form post (CSRF added by post_form)."""
    data = {
        "near_term_goal": "Lead my first feature end to end on the payments team.",
        "long_term_goal": "Become a staff engineer.",
        "topics": [str(terms.data_science), str(terms.backend_development)],
        "years": "2",
        "role_level": "junior",
        "industry": "Fintech",
        "groups": [str(terms.women_in_tech)],
        "background": "Bootcamp graduate",
        "location": "Lisbon",
        "context_matters": ["industry", "groups"],
        "preference": "ahead",
        "languages": ["en", "pt"],
        "timezone": "Europe/Lisbon",
        "power_question": "Could you review my two-page design doc for the payments retry queue?",
        "wants": "both",
    }
    data.update(overrides)
    return data


def profile_data(terms, **overrides) -> dict:
    data = {
        "topics": [str(terms.backend_development), str(terms.security)],
        "years": "9",
        "role_level": "lead",
        "industry": "Fintech",
        "groups": [str(terms.women_in_tech)],
        "background": "Computer science degree",
        "location": "London",
        "languages": ["en"],
        "timezone": "Europe/London",
        "capacity_round": "3",
        "capacity_micro": "4",
        "available": "y",
        "away_until": "",
        "prefers_stages": ["ahead"],
        "prefers_topics": [str(terms.security)],
        "bio": "Backend lead in payments.",
    }
    data.update(overrides)
    return data


def saved_goal(app, membership) -> GoalForm | None:
    with app.app_context():
        goal = db.session.scalar(db.select(GoalForm).where(GoalForm.membership_id == membership))
        if goal is not None:
            db.session.expunge(goal)
        return goal


def saved_profile(app, membership) -> MentorProfile | None:
    with app.app_context():
        profile = db.session.scalar(db.select(MentorProfile).where(MentorProfile.membership_id == membership))
        if profile is not None:
            db.session.expunge(profile)
        return profile
