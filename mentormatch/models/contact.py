"""How a person likes to be reached once a pairing or a micro-request is accepted (issue 13).

One row per account (all programs): email is always shown to accepted matches; each other
channel is shown only while its `show_*` flag is on. services/contact.py decides who sees it."""
from datetime import datetime

from sqlalchemy import CheckConstraint, ForeignKey, String
from sqlalchemy.orm import Mapped, mapped_column

from ..extensions import db
from .base import utcnow

CHAT_SERVICES = ("slack", "discord", "matrix", "teams", "signal", "telegram", "whatsapp", "other")
CHAT_SERVICE_LABELS = {
    "slack": "Slack", "discord": "Discord", "matrix": "Matrix", "teams": "Microsoft Teams",
    "signal": "Signal", "telegram": "Telegram", "whatsapp": "WhatsApp", "other": "Chat",
}


class ContactChannels(db.Model):
    __tablename__ = "contact_channels"
    __table_args__ = (
        CheckConstraint("chat_service IN ('', 'slack', 'discord', 'matrix', 'teams', 'signal', 'telegram', "
                        "'whatsapp', 'other')", name="chat_service"),
        # A handle needs its service named, and a link must be http(s): the service checks both,
        # the database holds them against any other writer.
        CheckConstraint("chat_handle = '' OR chat_service != ''", name="chat_service_named"),
        CheckConstraint("video_url = '' OR video_url LIKE 'https://%' OR video_url LIKE 'http://%'",
                        name="video_url_http"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    user_id: Mapped[int] = mapped_column(ForeignKey("users.id", ondelete="CASCADE"), unique=True)
    video_url: Mapped[str] = mapped_column(String(300), default="")
    show_video: Mapped[bool] = mapped_column(default=False)
    chat_service: Mapped[str] = mapped_column(String(16), default="")
    chat_handle: Mapped[str] = mapped_column(String(100), default="")
    show_chat: Mapped[bool] = mapped_column(default=False)
    phone: Mapped[str] = mapped_column(String(32), default="")
    show_phone: Mapped[bool] = mapped_column(default=False)
    updated_at: Mapped[datetime] = mapped_column(default=utcnow, onupdate=utcnow)


__all__ = ["ContactChannels", "CHAT_SERVICES", "CHAT_SERVICE_LABELS"]
