"""Server-side login sessions: logging out ends a session for good, even for a copied cookie.

The signed Flask cookie carries a random token; a request is logged in only while the token's
row exists. Logout deletes the row; "log out everywhere" and a password change delete them all.
"""
import hashlib
import secrets
from datetime import timedelta

from ..extensions import db
from ..models import LoginSession, User, utcnow

# A session nobody used for this long is over (the cookie may live on in a copied file).
MAX_IDLE = timedelta(days=30)
# last_seen_at is written at most this often, not on every request.
TOUCH_EVERY = timedelta(minutes=5)


def _digest(token: str) -> str:
    return hashlib.sha256(token.encode()).hexdigest()


def start(user: User) -> str:
    """A new session for the user (committed); returns the token the cookie keeps."""
    token = secrets.token_urlsafe(32)
    now = utcnow()
    # Sweep the user's idle rows here, so the table does not grow without a cleanup job.
    db.session.execute(db.delete(LoginSession).where(LoginSession.user_id == user.id,
                                                     LoginSession.last_seen_at < now - MAX_IDLE))
    db.session.add(LoginSession(token_hash=_digest(token), user_id=user.id, created_at=now, last_seen_at=now))
    db.session.commit()
    return token


def user_for(user_id: str, token: str | None) -> User | None:
    """The user whose live session this token is, or None (logged out, expired, someone else's)."""
    if not token or not user_id.isdigit():
        return None
    row = db.session.scalar(db.select(LoginSession).where(LoginSession.token_hash == _digest(token)))
    if row is None or str(row.user_id) != user_id:
        return None
    now = utcnow()
    if row.last_seen_at < now - MAX_IDLE:
        return None
    if row.last_seen_at < now - TOUCH_EVERY:
        row.last_seen_at = now
        db.session.commit()
    return db.session.get(User, row.user_id)


def end(token: str | None) -> None:
    if token:
        db.session.execute(db.delete(LoginSession).where(LoginSession.token_hash == _digest(token)))
        db.session.commit()


def end_all(user: User, *, commit: bool = True) -> None:
    """Every session of the user ends (log out everywhere, new password)."""
    db.session.execute(db.delete(LoginSession).where(LoginSession.user_id == user.id))
    if commit:
        db.session.commit()
