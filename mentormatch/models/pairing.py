"""A mentee-mentor pair published from a round, carried through its life (docs/architecture.md)."""
from datetime import datetime

from sqlalchemy import JSON, CheckConstraint, ForeignKey, Index, String, Text
from sqlalchemy.orm import Mapped, mapped_column

from ..extensions import db
from .answerable import DECLINE_REASONS, Answerable
from .base import utcnow

PAIRING_STATES = ("proposed", "info_requested", "accepted", "active", "completed", "declined", "expired",
                  "ended_early", "inactive")
# A mentor's seat is taken by a pairing in any of these states (never an ended one).
SEAT_STATES = ("proposed", "info_requested", "accepted", "active")
# How a pairing ends (services/lifecycle.end): the goal is reached or the cohort is over, ended
# early with a reason, or closed by the reminders pass after no activity.
ENDED_STATES = ("completed", "ended_early", "inactive")
ENDABLE_STATES = ("accepted", "active")


class Pairing(Answerable, db.Model):
    __tablename__ = "pairings"
    __table_args__ = (
        CheckConstraint(
            "state IN ('proposed', 'info_requested', 'accepted', 'active', 'completed', 'declined', 'expired', "
            "'ended_early', 'inactive')",
            name="state",
        ),
        CheckConstraint("state != 'ended_early' OR end_reason != ''", name="ended_early_has_reason"),
        Index("ix_pairings_mentor_state", "mentor_membership_id", "state"),
        Index("ix_pairings_mentee_state", "mentee_membership_id", "state"),
        # Micro -> macro: one ask for ongoing mentorship per micro-request, even when two clicks race.
        Index("uq_pairings_from_request", "from_request_id", unique=True),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    round_id: Mapped[int | None] = mapped_column(ForeignKey("rounds.id", ondelete="SET NULL"), index=True)
    state: Mapped[str] = mapped_column(String(16), default="proposed")
    score: Mapped[int] = mapped_column(default=0)
    why: Mapped[dict] = mapped_column(JSON, default=dict)
    sentence: Mapped[str] = mapped_column(Text, default="")
    # The sentence as parts (matching/explain.pair_parts), rendered in the reader's language; None: older rows.
    sentence_parts: Mapped[list | None] = mapped_column(JSON)
    proposed_at: Mapped[datetime] = mapped_column(default=utcnow)
    # The last time the two did something together (a message, a meeting, a check-in): services/activity.py.
    last_activity_at: Mapped[datetime | None]
    # Micro -> macro: the done micro-request this ongoing mentorship was asked from (round_id is then None).
    from_request_id: Mapped[int | None] = mapped_column(ForeignKey("micro_requests.id", ondelete="SET NULL"))
    # Why it ended early (required for ended_early), and who ended it (None: the inactivity pass).
    end_reason: Mapped[str] = mapped_column(Text, default="", server_default="")
    ended_by_user_id: Mapped[int | None] = mapped_column(ForeignKey("users.id", ondelete="SET NULL"))
    # When both were nudged for no activity (once per quiet spell; services/reminders.py).
    inactivity_nudged_at: Mapped[datetime | None]
    # The answer columns (decline, ask-for-info, reminders, follow-up) come from Answerable.


__all__ = ["Pairing", "PAIRING_STATES", "SEAT_STATES", "ENDED_STATES", "ENDABLE_STATES", "DECLINE_REASONS"]
