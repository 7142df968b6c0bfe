"""Spent email answer links (core.answer_links): one row per used link, so a link works once."""
from datetime import datetime

from sqlalchemy import ForeignKey, String
from sqlalchemy.orm import Mapped, mapped_column

from ..extensions import db
from .base import utcnow


class UsedEmailToken(db.Model):
    """A spent email answer link: its jti is the primary key, so two clicks racing cannot both
    insert it and the second one changes nothing."""

    __tablename__ = "used_email_tokens"

    jti: Mapped[str] = mapped_column(String(32), primary_key=True)
    user_id: Mapped[int | None] = mapped_column(ForeignKey("users.id", ondelete="CASCADE"))
    used_at: Mapped[datetime] = mapped_column(default=utcnow)
