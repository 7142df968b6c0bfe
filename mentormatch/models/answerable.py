"""What every answerable item (a round proposal, a micro-request) has: the mentee and mentor it is
between, and the answer columns (decline, ask-for-info, reminders, follow-up). One mixin, so the
answering service (services/answers/) reads and writes the same columns on every kind; the table
and column names stay those of each model's own table."""
from datetime import datetime

from sqlalchemy import ForeignKey, String, Text
from sqlalchemy.orm import Mapped, declared_attr, mapped_column, relationship

DECLINE_REASONS = ("no_capacity", "not_a_fit", "other")


class Answerable:
    program_id: Mapped[int] = mapped_column(ForeignKey("programs.id", ondelete="CASCADE"), index=True)
    mentee_membership_id: Mapped[int] = mapped_column(ForeignKey("memberships.id", ondelete="CASCADE"))
    mentor_membership_id: Mapped[int] = mapped_column(ForeignKey("memberships.id", ondelete="CASCADE"))
    decline_reason: Mapped[str | None] = mapped_column(String(16))
    decline_note: Mapped[str] = mapped_column(Text, default="")
    answered_at: Mapped[datetime | None]
    ended_at: Mapped[datetime | None]
    reminders_sent: Mapped[int] = mapped_column(default=0)
    last_reminded_at: Mapped[datetime | None]
    # When the mentee was asked (by email) what they did with the advice; asked once.
    followup_asked_at: Mapped[datetime | None]
    # "Ask for more info": the mentor's one question and the mentee's answer (waiting <-> info_requested).
    info_question: Mapped[str] = mapped_column(Text, default="")
    info_answer: Mapped[str] = mapped_column(Text, default="")
    info_asked_at: Mapped[datetime | None]
    info_answered_at: Mapped[datetime | None]

    @declared_attr
    def mentee(cls) -> Mapped["Membership"]:  # noqa: F821
        return relationship(foreign_keys=[cls.mentee_membership_id])

    @declared_attr
    def mentor(cls) -> Mapped["Membership"]:  # noqa: F821
        return relationship(foreign_keys=[cls.mentor_membership_id])
