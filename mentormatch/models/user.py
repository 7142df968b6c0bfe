from datetime import datetime

from flask import has_request_context
from flask_babel import get_locale
from flask_login import UserMixin
from sqlalchemy import CheckConstraint, ForeignKey, String, UniqueConstraint
from sqlalchemy.orm import Mapped, mapped_column, validates

from ..extensions import db
from .base import clean_name, utcnow

ROLES = ("mentee", "mentor", "coordinator")


def _language_of_request() -> str | None:
    """A new account reads in the language its sign-up page was in, so its first emails are too."""
    return str(get_locale()) if has_request_context() else None


class User(UserMixin, db.Model):
    __tablename__ = "users"
    __table_args__ = (CheckConstraint("role IN ('mentee', 'mentor', 'coordinator')", name="role"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    email: Mapped[str] = mapped_column(String(254), unique=True)
    name: Mapped[str] = mapped_column(String(120))
    password_hash: Mapped[str] = mapped_column(String(255))
    role: Mapped[str] = mapped_column(String(16))
    created_at: Mapped[datetime] = mapped_column(default=utcnow)
    # The language of their pages and emails (config.LANGUAGES); None: the browser's.
    locale: Mapped[str | None] = mapped_column(String(8), default=_language_of_request)
    # Account deletion (services/data_rights/deletion.py): asked for and confirmed by email at
    # deletion_due_at - 7 days; undone by clearing it; erased by the scheduled run once due.
    deletion_due_at: Mapped[datetime | None]
    erased_at: Mapped[datetime | None]
    # Counts undone deletions: a confirm link carries it, so one sent before an undo is dead after it.
    deletion_round: Mapped[int] = mapped_column(default=0, server_default="0")

    @validates("name")
    def _clean_name(self, key: str, value: str) -> str:
        return clean_name(value)

    def __repr__(self) -> str:
        return f"<User {self.id} {self.role}>"


class LinkedIdentity(db.Model):
    """An account at an OpenID provider, (issuer, subject), that signs this user in. Unique: one
    provider account belongs to one user; a user may link several."""

    __tablename__ = "linked_identities"
    __table_args__ = (UniqueConstraint("issuer", "subject"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    issuer: Mapped[str] = mapped_column(String(255))
    subject: Mapped[str] = mapped_column(String(255))
    user_id: Mapped[int] = mapped_column(ForeignKey("users.id", ondelete="CASCADE"), index=True)
    created_at: Mapped[datetime] = mapped_column(default=utcnow)


class LoginSession(db.Model):
    """One logged-in browser. The cookie carries a random token; only its SHA-256 is stored, so
    a copy of this table logs no one in. Deleting the row ends that session server-side."""

    __tablename__ = "login_sessions"

    id: Mapped[int] = mapped_column(primary_key=True)
    token_hash: Mapped[str] = mapped_column(String(64), unique=True)
    user_id: Mapped[int] = mapped_column(ForeignKey("users.id", ondelete="CASCADE"), index=True)
    created_at: Mapped[datetime] = mapped_column(default=utcnow)
    last_seen_at: Mapped[datetime] = mapped_column(default=utcnow)
