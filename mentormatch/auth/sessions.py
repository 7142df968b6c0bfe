"""Starting and ending a logged-in browser session: the password login and SSO share these."""
from flask import session
from flask_login import login_user, logout_user

from ..services import login_sessions

# The cookie's key for the server-side session token (see services/login_sessions).
SESSION_TOKEN = "login_token"


def start_session(user) -> None:
    # A fresh session on login: nothing planted before login survives it.
    session.clear()
    session[SESSION_TOKEN] = login_sessions.start(user)
    login_user(user)


def end_session() -> None:
    login_sessions.end(session.get(SESSION_TOKEN))
    logout_user()
    session.clear()
