"""Micro-requests (the small, specific ask), the open-request counter and the event log."""
from datetime import datetime

from flask_babel import lazy_gettext as _l
from sqlalchemy import CheckConstraint, ForeignKey, Index, String, Text, text
from sqlalchemy.orm import Mapped, mapped_column

from ..extensions import db
from .answerable import Answerable
from .base import utcnow

REQUEST_STATES = ("open", "info_requested", "accepted", "done", "declined", "cancelled", "expired")
# Waiting for an answer: the mentor's (open) or, after "ask for more info", the mentee's.
PENDING_REQUEST = ("open", "info_requested")
REQUEST_KINDS = ("feedback", "intro", "email", "call15", "call30")
REQUEST_KIND_LABELS = {
    "feedback": _l("Feedback on something"),
    "intro": _l("An introduction"),
    "email": _l("A quick take by email"),
    "call15": _l("A 15-minute call"),
    "call30": _l("A 30-minute call"),
}
# States that count against a mentor's monthly micro capacity (a decline frees the slot).
CAPACITY_STATES = ("open", "info_requested", "accepted", "done")
MAX_OPEN_REQUESTS = 5
# At most one pending request per mentee and mentor, held by a partial unique index.
PENDING_WHERE = text("state IN ('open', 'info_requested')")


class MicroRequest(Answerable, db.Model):
    __tablename__ = "micro_requests"
    __table_args__ = (
        CheckConstraint(
            "state IN ('open', 'info_requested', 'accepted', 'done', 'declined', 'cancelled', 'expired')",
            name="state"),
        CheckConstraint("kind IN ('feedback', 'intro', 'email', 'call15', 'call30')", name="kind"),
        Index("ix_micro_requests_mentor_state", "mentor_membership_id", "state"),
        Index("ix_micro_requests_mentee_state", "mentee_membership_id", "state"),
        # Two racing sends to the same mentor both pass the service's check; the second insert fails here.
        Index("uq_micro_requests_pending_pair", "mentee_membership_id", "mentor_membership_id", unique=True,
              postgresql_where=PENDING_WHERE, sqlite_where=PENDING_WHERE),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    kind: Mapped[str] = mapped_column(String(8))
    question: Mapped[str] = mapped_column(Text)
    context: Mapped[str] = mapped_column(Text, default="")
    state: Mapped[str] = mapped_column(String(16), default="open")
    created_at: Mapped[datetime] = mapped_column(default=utcnow)
    # The answer columns (decline, ask-for-info, reminders, follow-up) come from Answerable.

    @property
    def kind_label(self) -> str:
        return str(REQUEST_KIND_LABELS.get(self.kind, self.kind))  # named in the reader's language


class OpenRequestCounter(db.Model):
    """One row per mentee membership: how many of their requests are open.

    The cap lives in the database (a CHECK plus a conditional UPDATE in the same transaction as
    the insert), so two submits racing in different workers cannot both take the fifth slot.
    """

    __tablename__ = "open_request_counters"
    __table_args__ = (CheckConstraint("open_requests >= 0 AND open_requests <= 5", name="open_requests"),)

    membership_id: Mapped[int] = mapped_column(
        ForeignKey("memberships.id", ondelete="CASCADE"), primary_key=True)
    open_requests: Mapped[int] = mapped_column(default=0)


class Event(db.Model):
    """Every state change: what (subject), from, to, who (None: the system), when."""

    __tablename__ = "events"
    __table_args__ = (
        CheckConstraint("subject_type IN ('pairing', 'request', 'mentor', 'member')", name="subject_type"),
        Index("ix_events_subject", "subject_type", "subject_id"),
        Index("ix_events_program_at", "program_id", "at"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    program_id: Mapped[int] = mapped_column(ForeignKey("programs.id", ondelete="CASCADE"))
    subject_type: Mapped[str] = mapped_column(String(8))
    subject_id: Mapped[int]
    from_state: Mapped[str | None] = mapped_column(String(16))
    to_state: Mapped[str] = mapped_column(String(16))
    actor_user_id: Mapped[int | None] = mapped_column(ForeignKey("users.id", ondelete="SET NULL"))
    note: Mapped[str] = mapped_column(Text, default="")
    at: Mapped[datetime] = mapped_column(default=utcnow)
