"""Demo data: a coordinator, a program, mentors drawn from the real anonymized profiles in
../shared/data, and mentees. Idempotent: running it again changes nothing."""
import json
import random
from functools import lru_cache
from pathlib import Path

from .extensions import db
from .models import Program, User
from .core.security import hash_password
from .services import accounts, programs

DEMO_PASSWORD = "demo-mentor-match"
COORDINATOR = ("coordinator@example.org", "Casey Coordinator")
NAMED_MENTORS = [("mentor1@example.org", "Maya Mentor"), ("mentor2@example.org", "Omar Okafor")]
NAMED_MENTEES = [("mentee1@example.org", "Ana Alvarez"), ("mentee2@example.org", "Ben Brooks")]
PROGRAM_NAME = "Women in Tech Mentoring Circle"

FIRST = ["Aisha", "Bruno", "Chen", "Dana", "Elif", "Farah", "Gabriel", "Hana", "Ines", "Jonas", "Kemi", "Luca",
         "Mei", "Nadia", "Olu", "Priya", "Quinn", "Rosa", "Sami", "Tomas", "Uma", "Vera", "Wen", "Yara", "Zoe"]
LAST = ["Adeyemi", "Berg", "Costa", "Dubois", "Eriksen", "Fischer", "Garcia", "Haddad", "Ito", "Jansen", "Kaur",
        "Lopez", "Mensah", "Novak", "Okoro", "Petrov", "Rossi", "Silva", "Tanaka", "Weber"]


def shared_data_dir() -> Path:
    return Path(__file__).resolve().parent.parent.parent / "shared" / "data"


def real_mentor_profiles() -> list[dict]:
    """Active Women Coding Community profiles (real, anonymized); empty if the folder is absent."""
    path = shared_data_dir() / "mentors-wcc.json"
    if not path.exists():
        return []
    return [m for m in json.loads(path.read_text()) if m.get("active")]


def demo_accounts() -> list[tuple[str, str, str]]:
    """(role, email, name) of the accounts printed on start."""
    return ([("coordinator", *COORDINATOR)] + [("mentor", *m) for m in NAMED_MENTORS]
            + [("mentee", *m) for m in NAMED_MENTEES])


def seed_demo(extra_mentors: int = 20, extra_mentees: int = 30) -> bool:
    """Create the demo program and people. Returns False when it was there already."""
    if db.session.scalar(db.select(Program).where(Program.name == PROGRAM_NAME)) is not None:
        return False
    rng = random.Random(2026)
    coordinator = _user("coordinator", *COORDINATOR)
    program = programs.create_program(
        coordinator, name=PROGRAM_NAME, offers_rounds=True, offers_micro=True,
        description="A community program pairing women and non-binary people in tech with mentors a few years ahead.",
    )
    people = [("mentor", e, n) for e, n in NAMED_MENTORS] + [("mentee", e, n) for e, n in NAMED_MENTEES]
    names = [f"{f} {l}" for f in FIRST for l in LAST]
    rng.shuffle(names)
    people += [("mentor", f"mentor{i + 3}@example.org", names.pop()) for i in range(extra_mentors)]
    people += [("mentee", f"mentee{i + 3}@example.org", names.pop()) for i in range(extra_mentees)]
    for role, email, name in people:
        programs.join(_user(role, email, name), program, role, commit=False)
    db.session.commit()
    from . import demo_people

    demo_people.fill(program, rng, real_mentor_profiles())
    from .demo_lifecycle import fill_lifecycle

    fill_lifecycle(program, rng)
    _solved_round(program, coordinator)
    return True


def _solved_round(program: Program, coordinator: User) -> None:
    """A round already solved and waiting for review, so the coordinator's pages have content."""
    from flask import current_app

    from .services.rounds import runs, settings

    round_ = settings.create_round(program, coordinator, name="Winter 2027 cohort", weights={}, rules={}, pool={})
    runner = current_app.config.get("SOLVE_RUNNER")
    current_app.config["SOLVE_RUNNER"] = "inline"  # the demo waits for its own solve
    try:
        runs.start_run(round_, coordinator)
    finally:
        current_app.config["SOLVE_RUNNER"] = runner


def _user(role: str, email: str, name: str) -> User:
    user = accounts.find_by_email(email)
    if user is None:
        # Every demo account shares one password, so hash it once (Argon2id is slow on purpose).
        user = User(email=email, name=name, role=role, password_hash=_demo_hash())
        db.session.add(user)
    return user


@lru_cache(maxsize=1)
def _demo_hash() -> str:
    return hash_password(DEMO_PASSWORD)
