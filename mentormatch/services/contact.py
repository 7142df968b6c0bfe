"""How to reach me: each person's contact channels, and who may see them.

Email is always shown to an accepted match; a video-call link, a chat handle and a phone number
only when their owner switched "show to my accepted matches" on. Nobody sees any of it before a
pairing or micro-request is accepted, and only the two people of that pairing or request do."""
from __future__ import annotations

import re
from dataclasses import dataclass

from flask_babel import gettext as _
from flask_babel import lazy_gettext as _l

from ..core import fields
from ..extensions import db
from ..models import CHAT_SERVICE_LABELS, CHAT_SERVICES, ContactChannels, MicroRequest, Pairing, User, utcnow
from . import ServiceError

# A pairing or request in one of these states has been accepted: the two may reach each other.
ACCEPTED_STATES = ("accepted", "active", "completed", "done")
MAX_HANDLE, MAX_PHONE = 100, 32
_PHONE_CHARS = re.compile(r"^\+?[0-9 ().\-/]+$")
_HANDLE_BAD = re.compile(r"[\s<>\"'`\\]")


@dataclass(frozen=True)
class Channel:
    """One way to reach someone, as a page or an email shows it."""

    kind: str   # "email", "video", "chat", "phone"
    label: str  # "Email", "Video call", "Slack", "Phone"
    value: str
    href: str   # "" where there is nothing to click


def channels_of(user_id: int) -> ContactChannels | None:
    return db.session.scalar(db.select(ContactChannels).where(ContactChannels.user_id == user_id))


# -- checks ----------------------------------------------------------------------------------------

def clean_phone(value: str) -> str:
    value = " ".join(fields.text(value, "phone", most=MAX_PHONE).split())
    if not value:
        return ""
    digits = re.sub(r"\D", "", value)
    if not _PHONE_CHARS.match(value) or not 6 <= len(digits) <= 15:
        raise ServiceError(_("Enter a phone number of 6 to 15 digits, for example +44 20 7946 0958."), "phone")
    return value


def clean_chat(service: str, handle: str) -> tuple[str, str]:
    handle = fields.text(handle, "chat_handle", most=MAX_HANDLE)
    service = service or ""
    if service and service not in CHAT_SERVICES:
        raise ServiceError(_("Choose a chat service from the list."), "chat_service")
    if not handle:
        return "", ""
    if len(handle) < 2 or _HANDLE_BAD.search(handle):
        raise ServiceError(_("Enter your handle without spaces, quotes or angle brackets, e.g. @mira or "
                             "@mira:matrix.org."), "chat_handle")
    if not service:
        raise ServiceError(_("Say which chat service this handle is for."), "chat_service")
    return service, handle


def _flag(value) -> bool:
    return value in (True, "y", "on", "true", "1", 1)


def save_channels(user: User, data: dict) -> ContactChannels:
    """The person's own channels, all checked before anything is written; a "show" switched on
    for an empty channel is refused next to it, so nobody believes they shared something blank."""
    video = fields.video_link(data.get("video_url"), "video_url")
    service, handle = clean_chat(data.get("chat_service"), data.get("chat_handle"))
    phone = clean_phone(data.get("phone"))
    shows = {name: _flag(data.get(name)) for name in ("show_video", "show_chat", "show_phone")}
    for flag, value, field, message in (
            ("show_video", video, "video_url", _l("Add a video-call link, or switch off showing it.")),
            ("show_chat", handle, "chat_handle", _l("Add a chat handle, or switch off showing it.")),
            ("show_phone", phone, "phone", _l("Add a phone number, or switch off showing it."))):
        if shows[flag] and not value:
            raise ServiceError(str(message), field)
    row = channels_of(user.id)
    if row is None:
        row = ContactChannels(user_id=user.id)
        db.session.add(row)
    row.video_url, row.chat_service, row.chat_handle, row.phone = video, service, handle, phone
    row.show_video, row.show_chat, row.show_phone = shows["show_video"], shows["show_chat"], shows["show_phone"]
    row.updated_at = utcnow()
    db.session.commit()
    return row


# -- who sees what ---------------------------------------------------------------------------------

def shown_channels(user: User) -> list[Channel]:
    """What an accepted match sees of `user`: email first, then each channel they chose to show."""
    shown = [Channel("email", _l("Email"), user.email, f"mailto:{user.email}")]
    row = channels_of(user.id)
    if row is None:
        return shown
    if row.show_video and row.video_url:
        shown.append(Channel("video", _l("Video call"), row.video_url, row.video_url))
    if row.show_chat and row.chat_handle:
        shown.append(Channel("chat", CHAT_SERVICE_LABELS.get(row.chat_service, _l("Chat")), row.chat_handle, ""))
    if row.show_phone and row.phone:
        shown.append(Channel("phone", _l("Phone"), row.phone, "tel:" + re.sub(r"[^0-9+]", "", row.phone)))
    return shown


def is_accepted(item: Pairing | MicroRequest) -> bool:
    return item.state in ACCEPTED_STATES


def other_person(item: Pairing | MicroRequest, user_id: int) -> User | None:
    """The other side of the item for one of its two people; None for anyone else."""
    mentee, mentor = item.mentee.user, item.mentor.user
    if user_id == mentee.id:
        return mentor
    if user_id == mentor.id:
        return mentee
    return None


def panel(item: Pairing | MicroRequest, viewer_id: int | None) -> dict | None:
    """The other person's channels for `viewer_id`, once accepted and only for one of the two."""
    other = other_person(item, viewer_id) if viewer_id is not None and is_accepted(item) else None
    if other is None:
        return None
    return {"name": other.name, "channels": shown_channels(other)}


def shown_video_link(user: User) -> str:
    """The video-call link `user` shows to accepted matches, or "" (a meeting's default link)."""
    row = channels_of(user.id)
    return row.video_url if row is not None and row.show_video and row.video_url else ""


def reply_to(item: Pairing | MicroRequest, sender: User) -> str | None:
    """The Reply-To of mail that goes from `sender` to the other person of an accepted item: the
    sender's own address, so answering the notice reaches them. None before accept."""
    if not is_accepted(item) or other_person(item, sender.id) is None:
        return None
    return sender.email
