"""The demo fills every demo mentor's profile (from the real profiles) and every mentee's goal form."""
import random

from mentormatch.demo import people as demo_people
from mentormatch.extensions import db
from mentormatch.models import GoalForm, Membership, MentorProfile, Term, User
from mentormatch.services.people import goal_forms, vocabulary

REAL = [
    {"id": "wcc001", "title": "Test Automation Engineer", "years": 4, "capacity": None, "hours_per_month": 2,
     "areas": ["quality assurance"], "programming_languages": ["python", "typescript"], "languages": ["en"],
     "country": "NL", "active": True},
    {"id": "wcc002", "title": "CTO", "years": 16, "capacity": 3, "hours_per_month": 5,
     "areas": ["distributed systems", "backend developer"], "programming_languages": ["c#", "go"],
     "languages": ["en", "ru"], "country": "GB", "active": True},
]


def test_fill_gives_the_program_lists_and_fills_every_profile_and_goal_form(app, world, make_user, make_program):
    mentors = [make_user("mentor") for _ in range(3)]
    mentees = [make_user("mentee") for _ in range(4)]
    program = make_program(world.coordinator, "Demo", mentors + mentees)
    with app.app_context():
        from mentormatch.models import Program
        demo_people.fill(db.session.get(Program, program.id), random.Random(1), REAL)
        names = {t.name for t in db.session.scalars(db.select(Term).where(Term.program_id == program.id))}
        assert {"QA and testing", "Distributed systems", "Python", "Women in tech"} <= names
        profiles = db.session.scalars(db.select(MentorProfile).join(Membership).where(
            Membership.program_id == program.id).order_by(MentorProfile.membership_id)).all()
        assert len(profiles) == 3
        first, second = profiles[0], profiles[1]
        topic_names = vocabulary.term_names(program.id)
        assert [topic_names[i] for i in first.topics] == ["QA and testing", "Python", "TypeScript"]
        assert (first.years, first.timezone, second.timezone) == (4, "Europe/Amsterdam", "Europe/London")
        assert second.capacity_round == 3 and second.languages == ["en", "ru"]
        goals = db.session.scalars(db.select(GoalForm).join(Membership).where(Membership.program_id == program.id)).all()
        assert len(goals) == 4 and all(g.submitted_at and g.topics and g.power_question for g in goals)
        assert len({g.near_term_goal for g in goals}) > 1
        assert all(goal_forms.vague_ask_hint(g.power_question) is None for g in goals)
        assert db.session.scalar(db.select(User).where(User.id == mentors[0].id)).role == "mentor"
