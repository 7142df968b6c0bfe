"""Helpers for the round tests: people with goal forms and mentor profiles, made directly."""
from types import SimpleNamespace

from mentormatch.extensions import db
from mentormatch.models import GoalForm, Membership, MentorProfile, Term, User
from mentormatch.models.rounds import Round, SolveRun
from tests.conftest import password_hash


def add_people(app, program_id: int, mentors=(), mentees=(), topics=("python", "sql", "design")) -> SimpleNamespace:
    """mentors/mentees: dicts of profile fields plus name/email. Returns membership ids by name."""
    out = SimpleNamespace(ids={}, emails={})
    with app.app_context():
        terms = {}
        for kind, names in (("topic", topics), ("group", ("first-gen", "parents"))):
            for name in names:
                t = db.session.scalar(db.select(Term).where(Term.program_id == program_id, Term.kind == kind, Term.name == name))
                if t is None:
                    t = Term(program_id=program_id, kind=kind, name=name)
                    db.session.add(t)
                    db.session.flush()
                terms[name] = t.id
        for role, people in (("mentor", mentors), ("mentee", mentees)):
            for p in people:
                p = dict(p)
                name = p.pop("name")
                email = p.pop("email", f"{name.lower().replace(' ', '.')}@example.org")
                user = User(role=role, name=name, email=email, password_hash=password_hash())
                db.session.add(user)
                db.session.flush()
                m = Membership(program_id=program_id, user_id=user.id)
                db.session.add(m)
                db.session.flush()
                p["topics"] = [terms[t] for t in p.get("topics", [])]
                p["groups"] = [terms[t] for t in p.get("groups", [])]
                p.setdefault("languages", ["en"])
                model = MentorProfile if role == "mentor" else GoalForm
                db.session.add(model(membership_id=m.id, **p))
                out.ids[name] = m.id
                out.emails[name] = email
                out.__dict__.setdefault("users", {})[name] = SimpleNamespace(id=user.id, email=email, name=name, role=role)
        db.session.commit()
    return out


def small_world(app, program_id: int) -> SimpleNamespace:
    """Two mentors with one seat each and three mentees: one speaks only Portuguese."""
    return add_people(
        app, program_id,
        mentors=[{"name": "Ada Mentor", "years": 8, "topics": ["python"], "capacity_round": 1, "groups": ["first-gen"]},
                 {"name": "Bob Mentor", "years": 6, "topics": ["sql"], "capacity_round": 1}],
        mentees=[{"name": "Cy Mentee", "years": 3, "topics": ["python"], "groups": ["first-gen"], "context_matters": ["groups"]},
                 {"name": "Di Mentee", "years": 2, "topics": ["sql"]},
                 {"name": "Ed Mentee", "years": 1, "topics": ["python"], "languages": ["pt"]}])


def make_round(app, program_id: int, coordinator_id: int, name="Spring round", **settings) -> int:
    with app.app_context():
        r = Round(program_id=program_id, name=name, created_by_id=coordinator_id,
                  weights=settings.get("weights", {}), rules=settings.get("rules", {}), pool=settings.get("pool", {}))
        db.session.add(r)
        db.session.commit()
        return r.id


def run_row(app, run_id: int) -> SimpleNamespace:
    with app.app_context():
        run = db.session.get(SolveRun, run_id)
        return SimpleNamespace(status=run.status, phase=run.phase, progress=dict(run.progress or {}), error=run.error,
                               matched=run.matched_count, pairs=run.pair_count, round_state=run.round.state)


def latest_run_id(app, round_id: int) -> int:
    with app.app_context():
        return db.session.scalar(db.select(SolveRun.id).where(SolveRun.round_id == round_id).order_by(SolveRun.id.desc()))


def round_state(app, round_id: int) -> str:
    with app.app_context():
        return db.session.get(Round, round_id).state
