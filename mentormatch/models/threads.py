"""The conversation of an accepted pairing or micro-request (two people) or of a circle (its members).

A Message belongs to exactly one item (a pairing, a request or a circle: a CHECK holds it). A ThreadRead is
one person's place in one thread: what they have read (unread counts), when their open page last
polled (then they are "on the page" and get no email), and when they were last emailed about it
(at most one email per thread per hour: services/threads.py)."""
from datetime import datetime

from sqlalchemy import CheckConstraint, ForeignKey, Index, Text, UniqueConstraint
from sqlalchemy.orm import Mapped, mapped_column, relationship

from ..extensions import db
from .base import utcnow

MAX_MESSAGE = 4000
# Exactly one of the three items: a pairing, a micro-request or a circle (peer pair or circle).
ONE_ITEM = ("(CASE WHEN pairing_id IS NULL THEN 0 ELSE 1 END) + (CASE WHEN request_id IS NULL THEN 0 ELSE 1 END)"
            " + (CASE WHEN circle_id IS NULL THEN 0 ELSE 1 END) = 1")


class Message(db.Model):
    __tablename__ = "messages"
    __table_args__ = (
        CheckConstraint(ONE_ITEM, name="one_item"),
        CheckConstraint(f"length(body) BETWEEN 1 AND {MAX_MESSAGE}", name="body_length"),
        Index("ix_messages_pairing_created", "pairing_id", "created_at"),
        Index("ix_messages_request_created", "request_id", "created_at"),
        Index("ix_messages_circle_created", "circle_id", "created_at"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    program_id: Mapped[int] = mapped_column(ForeignKey("programs.id", ondelete="CASCADE"))
    pairing_id: Mapped[int | None] = mapped_column(ForeignKey("pairings.id", ondelete="CASCADE"))
    request_id: Mapped[int | None] = mapped_column(ForeignKey("micro_requests.id", ondelete="CASCADE"))
    circle_id: Mapped[int | None] = mapped_column(ForeignKey("circles.id", ondelete="CASCADE"))
    author_membership_id: Mapped[int] = mapped_column(ForeignKey("memberships.id", ondelete="CASCADE"))
    body: Mapped[str] = mapped_column(Text)
    created_at: Mapped[datetime] = mapped_column(default=utcnow)

    author: Mapped["Membership"] = relationship(foreign_keys=[author_membership_id])  # noqa: F821


class ThreadRead(db.Model):
    __tablename__ = "thread_reads"
    __table_args__ = (
        CheckConstraint(ONE_ITEM, name="one_item"),
        # NULLs are distinct on both engines: a pairing row and a request row never clash.
        UniqueConstraint("membership_id", "pairing_id", name="uq_thread_reads_pairing"),
        UniqueConstraint("membership_id", "request_id", name="uq_thread_reads_request"),
        UniqueConstraint("membership_id", "circle_id", name="uq_thread_reads_circle"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    membership_id: Mapped[int] = mapped_column(ForeignKey("memberships.id", ondelete="CASCADE"))
    pairing_id: Mapped[int | None] = mapped_column(ForeignKey("pairings.id", ondelete="CASCADE"))
    request_id: Mapped[int | None] = mapped_column(ForeignKey("micro_requests.id", ondelete="CASCADE"))
    circle_id: Mapped[int | None] = mapped_column(ForeignKey("circles.id", ondelete="CASCADE"))
    last_read_message_id: Mapped[int] = mapped_column(default=0)
    last_seen_at: Mapped[datetime | None]
    last_emailed_at: Mapped[datetime | None]
    # The newest message an email has listed: the next email lists only the ones after it.
    last_emailed_message_id: Mapped[int] = mapped_column(default=0)


__all__ = ["Message", "ThreadRead", "MAX_MESSAGE", "ONE_ITEM"]
