import secrets
from datetime import datetime

from flask_babel import gettext as _
from sqlalchemy import CheckConstraint, ForeignKey, String, Text, UniqueConstraint, false
from sqlalchemy.orm import Mapped, mapped_column, relationship, validates

from ..extensions import db
from .base import clean_name, utcnow


def new_token() -> str:
    return secrets.token_urlsafe(24)


class Program(db.Model):
    __tablename__ = "programs"
    __table_args__ = (CheckConstraint("inactive_weeks >= 0 AND inactive_weeks <= 52", name="inactive_weeks"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    name: Mapped[str] = mapped_column(String(120))
    description: Mapped[str] = mapped_column(Text, default="")
    offers_rounds: Mapped[bool] = mapped_column(default=True)
    offers_micro: Mapped[bool] = mapped_column(default=True)
    # A coordinator approves each mentor before they appear in the directory or in rounds.
    requires_mentor_approval: Mapped[bool] = mapped_column(default=False)
    # A pairing with no message, meeting or check-in for this many weeks gets a nudge, and is
    # closed as inactive the same number of weeks later (services/reminders.py); 0 turns it off.
    inactive_weeks: Mapped[int] = mapped_column(default=6, server_default="6")
    # Its mentees and mentors sign in through an identity provider only (docs/security.md).
    requires_sso: Mapped[bool] = mapped_column(default=False, server_default=false())
    # One person may take part on both sides here (a mentee and a mentor, two memberships); off:
    # joining the other side of a program you are in is refused (services/programs.join).
    allows_both_sides: Mapped[bool] = mapped_column(default=False, server_default=false())
    mentor_invite: Mapped[str] = mapped_column(String(64), unique=True, default=new_token)
    mentee_invite: Mapped[str] = mapped_column(String(64), unique=True, default=new_token)
    created_at: Mapped[datetime] = mapped_column(default=utcnow)
    # When a coordinator ended the program; RETENTION_DAYS later its personal data is anonymised
    # (services/data_rights/retention.py), and then anonymised_at is set.
    ended_at: Mapped[datetime | None]
    anonymised_at: Mapped[datetime | None]

    coordinators: Mapped[list["ProgramCoordinator"]] = relationship(
        back_populates="program", cascade="all, delete-orphan"
    )
    memberships: Mapped[list["Membership"]] = relationship(
        back_populates="program", cascade="all, delete-orphan"
    )

    @validates("name")
    def _clean_name(self, key: str, value: str) -> str:
        return clean_name(value)

    @property
    def kind_label(self) -> str:
        """In the reader's language (computed, never stored)."""
        if self.offers_rounds and self.offers_micro:
            return _("Cohort rounds and micro-requests")
        return _("Cohort rounds") if self.offers_rounds else _("Micro-requests")


class ProgramCoordinator(db.Model):
    __tablename__ = "program_coordinators"
    __table_args__ = (UniqueConstraint("program_id", "user_id"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    program_id: Mapped[int] = mapped_column(ForeignKey("programs.id", ondelete="CASCADE"), index=True)
    user_id: Mapped[int] = mapped_column(ForeignKey("users.id", ondelete="CASCADE"), index=True)

    program: Mapped[Program] = relationship(back_populates="coordinators")
    user: Mapped["User"] = relationship()  # noqa: F821


SIDES = ("mentee", "mentor")


class Membership(db.Model):
    """A mentee or mentor taking part in one program. The side (role) lives here, not on the
    account: one account may be a mentor in one program and a mentee in another, and both in a
    program that allows it (Program.allows_both_sides); one membership per side."""

    __tablename__ = "memberships"
    __table_args__ = (UniqueConstraint("program_id", "user_id", "role"),
                      CheckConstraint("role IN ('mentee', 'mentor')", name="role"))

    id: Mapped[int] = mapped_column(primary_key=True)
    program_id: Mapped[int] = mapped_column(ForeignKey("programs.id", ondelete="CASCADE"), index=True)
    user_id: Mapped[int] = mapped_column(ForeignKey("users.id", ondelete="CASCADE"), index=True)
    # The side this membership takes in its program: 'mentee' or 'mentor'. The one place to read
    # a person's side in a program (never users.role, which is only the side they signed up as).
    role: Mapped[str] = mapped_column(String(8))
    joined_at: Mapped[datetime] = mapped_column(default=utcnow)
    # Set by a coordinator; only read when the program requires mentor approval.
    approved_at: Mapped[datetime | None]
    # Removed from the program by a coordinator: the row stays (the other side's history points
    # at it) but every lookup of "my membership" skips it (Membership.current()).
    removed_at: Mapped[datetime | None]

    program: Mapped[Program] = relationship(back_populates="memberships")
    user: Mapped["User"] = relationship()  # noqa: F821

    @classmethod
    def current(cls):
        """Not removed from the program: the condition every "my membership" lookup adds."""
        return cls.removed_at.is_(None)


class Invitation(db.Model):
    """A coordinator inviting another coordinator, by email, single use."""

    __tablename__ = "invitations"

    id: Mapped[int] = mapped_column(primary_key=True)
    token: Mapped[str] = mapped_column(String(64), unique=True, default=new_token)
    email: Mapped[str] = mapped_column(String(254))
    program_id: Mapped[int | None] = mapped_column(ForeignKey("programs.id", ondelete="CASCADE"))
    invited_by_id: Mapped[int] = mapped_column(ForeignKey("users.id", ondelete="CASCADE"))
    created_at: Mapped[datetime] = mapped_column(default=utcnow)
    used_at: Mapped[datetime | None]

    program: Mapped[Program | None] = relationship()
