"""Field checks every form shares (people, contact channels, ...): each returns the clean value or raises
naming the field. Forms, the CSV import and the demo all come through these."""
import re
from urllib.parse import urlsplit

from flask_babel import gettext as _

from . import reference
from .errors import ServiceError

MAX_VIDEO_LINK = 300
# A site name with at least one dot ("meet.example.org"): not "localhost", not a bare word.
_HOST = re.compile(r"^[a-z0-9]([a-z0-9-]*[a-z0-9])?(\.[a-z0-9]([a-z0-9-]*[a-z0-9])?)+$")


def dedupe(values: list) -> list:
    """The values in their order, each once."""
    return list(dict.fromkeys(values))


def text(value, field: str, *, most: int, least: int = 0, label: str | None = None) -> str:
    value = (value or "").strip()
    label = label if label is not None else _("this")
    if least and len(value) < least:
        raise ServiceError(_("Write at least %(least)d characters for %(label)s.", least=least, label=label) if value
                           else _("Please fill in %(label)s.", label=label), field)
    if len(value) > most:
        raise ServiceError(_("Keep it under %(most)d characters (now %(now)d).", most=most, now=len(value)), field)
    return value


def choice(value, allowed, field: str, message: str | None = None) -> str:
    if value not in allowed:
        raise ServiceError(message or _("Choose one of the options."), field)
    return value


def subset(values, allowed, field: str) -> list:
    values = dedupe(list(values or []))
    if any(v not in allowed for v in values):
        raise ServiceError(_("Choose from the options shown."), field)
    return values


def whole_number(value, field: str, low: int, high: int, label: str) -> int:
    try:
        number = int(value)
    except (TypeError, ValueError):
        raise ServiceError(_("Enter %(label)s as a whole number.", label=label), field) from None
    if not low <= number <= high:
        raise ServiceError(_("Enter %(label)s between %(low)d and %(high)d.", label=label, low=low, high=high), field)
    return number


def zone(value, field: str = "timezone") -> str:
    if not reference.is_zone(value):
        raise ServiceError(_("Choose a time zone from the list, for example Europe/London."), field)
    return value


def video_link(value, field: str) -> str:
    """A video-call link (a person's contact channel, a meeting's link in the invitation): http(s)
    only, a real site name, no spaces, no invisible characters (a right-to-left override shows
    ".../\u202egpj.exe" as ".../exe.jpg"), and no name or password before an @ ("https://zoom.us@evil.example/..."
    reads as zoom.us and opens evil.example). Empty stays empty."""
    value = text(value, field, most=MAX_VIDEO_LINK)
    if not value:
        return ""
    parts = urlsplit(value)
    if parts.scheme not in ("http", "https") or re.search(r"\s", value):
        raise ServiceError(_("Enter a link that starts with https:// (for example https://meet.example.com/you)."), field)
    if not value.isprintable():  # bidi controls, zero-width and other format characters (Unicode Cf, Cc)
        raise ServiceError(_("Remove the invisible characters from the link: they make it read as another "
                             "address than the one it opens."), field)
    if "@" in parts.netloc:
        raise ServiceError(_("Enter the meeting's own address, without a name or password before an @."), field)
    if not _HOST.match((parts.hostname or "").lower()):
        raise ServiceError(_("Enter a full web address with a site name, like https://zoom.us/j/123."), field)
    return value


def fail(message: str, field: str):
    raise ServiceError(message, field)


def run(checks: dict, data: dict) -> dict:
    """Clean values for every field, or the first field's ServiceError."""
    return {name: check(data) for name, check in checks.items()}


def problems(checks: dict, data: dict) -> dict[str, str]:
    """Every field's problem at once, so a failed submit shows them all, not one per try."""
    found = {}
    for name, check in checks.items():
        try:
            check(data)
        except ServiceError as error:
            found[error.field or name] = error.message
    return found
