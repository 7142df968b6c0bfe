"""Peer groups a round approved: a peer pair (two members) or a peer circle (4-8 members, maybe
with a facilitator). Each has a page with its members, a shared thread and meetings."""
from datetime import datetime

from sqlalchemy import JSON, CheckConstraint, ForeignKey, String, UniqueConstraint
from sqlalchemy.orm import Mapped, mapped_column, relationship

from ..extensions import db
from .base import utcnow

CIRCLE_KINDS = ("pair", "circle")


class Circle(db.Model):
    __tablename__ = "circles"
    __table_args__ = (CheckConstraint("kind IN ('pair', 'circle')", name="kind"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    program_id: Mapped[int] = mapped_column(ForeignKey("programs.id", ondelete="CASCADE"), index=True)
    round_id: Mapped[int | None] = mapped_column(ForeignKey("rounds.id", ondelete="SET NULL"), index=True)
    kind: Mapped[str] = mapped_column(String(8))
    name: Mapped[str] = mapped_column(String(120), default="")
    # Why these people: matching/explain parts, rendered in the reader's language.
    sentence_parts: Mapped[list | None] = mapped_column(JSON)
    created_at: Mapped[datetime] = mapped_column(default=utcnow)
    ended_at: Mapped[datetime | None]

    members: Mapped[list["CircleMember"]] = relationship(
        back_populates="circle", cascade="all, delete-orphan", order_by="CircleMember.id"
    )


class CircleMember(db.Model):
    __tablename__ = "circle_members"
    __table_args__ = (UniqueConstraint("circle_id", "membership_id"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    circle_id: Mapped[int] = mapped_column(ForeignKey("circles.id", ondelete="CASCADE"), index=True)
    membership_id: Mapped[int] = mapped_column(ForeignKey("memberships.id", ondelete="CASCADE"), index=True)
    facilitator: Mapped[bool] = mapped_column(default=False)
    joined_at: Mapped[datetime] = mapped_column(default=utcnow)
    left_at: Mapped[datetime | None]

    circle: Mapped[Circle] = relationship(back_populates="members")
    membership: Mapped["Membership"] = relationship()  # noqa: F821
