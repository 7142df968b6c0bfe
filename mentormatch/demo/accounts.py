"""The demo accounts: one coordinator, named mentors and mentees to log in as, and generated
people; every account shares one password."""
from functools import lru_cache

from ..core.security import hash_password
from ..extensions import db
from ..models import User
from ..services import accounts

DEMO_PASSWORD = "demo-mentor-match"
COORDINATOR = ("coordinator@example.org", "Casey Coordinator")
NAMED_MENTORS = [("mentor1@example.org", "Maya Mentor"), ("mentor2@example.org", "Omar Okafor")]
NAMED_MENTEES = [("mentee1@example.org", "Ana Alvarez"), ("mentee2@example.org", "Ben Brooks")]

FIRST = ["Aisha", "Bruno", "Chen", "Dana", "Elif", "Farah", "Gabriel", "Hana", "Ines", "Jonas", "Kemi", "Luca",
         "Mei", "Nadia", "Olu", "Priya", "Quinn", "Rosa", "Sami", "Tomas", "Uma", "Vera", "Wen", "Yara", "Zoe"]
LAST = ["Adeyemi", "Berg", "Costa", "Dubois", "Eriksen", "Fischer", "Garcia", "Haddad", "Ito", "Jansen", "Kaur",
        "Lopez", "Mensah", "Novak", "Okoro", "Petrov", "Rossi", "Silva", "Tanaka", "Weber"]


def demo_accounts() -> list[tuple[str, str, str]]:
    """(role, email, name) of the accounts printed on start."""
    return ([("coordinator", *COORDINATOR)] + [("mentor", *m) for m in NAMED_MENTORS]
            + [("mentee", *m) for m in NAMED_MENTEES])


def roster(rng, extra_mentors: int, extra_mentees: int) -> list[tuple[str, str, str]]:
    """(role, email, name) of every demo mentor and mentee: the named ones, then generated ones."""
    everyone = [("mentor", e, n) for e, n in NAMED_MENTORS] + [("mentee", e, n) for e, n in NAMED_MENTEES]
    names = [f"{first} {last}" for first in FIRST for last in LAST]
    rng.shuffle(names)
    everyone += [("mentor", f"mentor{i + 3}@example.org", names.pop()) for i in range(extra_mentors)]
    everyone += [("mentee", f"mentee{i + 3}@example.org", names.pop()) for i in range(extra_mentees)]
    return everyone


def account(role: str, email: str, name: str) -> User:
    """The demo account with this email, added if missing."""
    user = accounts.find_by_email(email)
    if user is None:
        # Every demo account shares one password, so hash it once (Argon2id is slow on purpose).
        user = User(email=email, name=name, role=role, password_hash=password_hash())
        db.session.add(user)
    return user


@lru_cache(maxsize=1)
def password_hash() -> str:
    """The hash of DEMO_PASSWORD, computed once per process."""
    return hash_password(DEMO_PASSWORD)
