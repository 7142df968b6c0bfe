"""Shared set-up for the journeys: the demo program (a populated program) and small page checks."""
from mentormatch import demo
from mentormatch.demo import DEMO_PASSWORD, PROGRAM_NAME
from mentormatch.extensions import db
from mentormatch.models import Program, User


def seed(app) -> dict:
    """Seed the demo program; return its id and invite links."""
    with app.app_context():
        demo.seed()
        program = db.session.scalar(db.select(Program).where(Program.name == PROGRAM_NAME))
        return {"id": program.id, "mentee_invite": program.mentee_invite, "mentor_invite": program.mentor_invite}


def email_of(app, name: str) -> str:
    with app.app_context():
        return db.session.scalar(db.select(User.email).where(User.name == name))


def signup_link(app, email: str) -> str:
    """The finishing link of the last sign-up mail to this address (the app under test mails to memory)."""
    import re

    mails = [m for m in getattr(app.extensions["mailman"], "outbox", []) if m.to == [email]]
    assert mails, f"no sign-up mail to {email}"
    return re.search(r"https?://\S+/auth/signup/finish/\S+", mails[-1].body).group(0)


def focus_of(page) -> str:
    """What has keyboard focus, described for an assertion message ('BODY' means focus was lost)."""
    return page.evaluate("""() => {
        const el = document.activeElement;
        if (!el || el === document.body) return 'BODY';
        return el.tagName + (el.id ? '#' + el.id : '') + (el.name ? '[name=' + el.name + ']' : '');
    }""")


__all__ = ["DEMO_PASSWORD", "seed", "email_of", "focus_of", "signup_link"]
