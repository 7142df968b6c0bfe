from datetime import UTC, datetime

from ..extensions import Base


def utcnow() -> datetime:
    """Naive UTC: SQLite has no time zones, so every timestamp is stored as naive UTC."""
    return datetime.now(UTC).replace(tzinfo=None)




# Bidirectional controls (embeddings, overrides, isolates, marks) let a name reorder the text
# around it on the page ("Trojan Source" style spoofing); no real name needs them.
BIDI_CONTROLS = dict.fromkeys(map(ord, "\u202a\u202b\u202c\u202d\u202e\u2066\u2067\u2068\u2069\u200e\u200f\u061c"))


# ASCII controls (CR, LF, TAB, ...) become spaces: a name with a line break would otherwise end up
# in an email subject, where it is refused (or worse, read as a header).
_CONTROLS = {**BIDI_CONTROLS, **dict.fromkeys([*range(0x20), 0x7F], " ")}


def clean_name(text: str | None) -> str | None:
    """A name as stored: no bidi controls, ASCII controls as spaces, no outer whitespace.
    Used by the models' validators and by bulk inserts that bypass them."""
    return text.translate(_CONTROLS).strip() if text is not None else None


__all__ = ["Base", "utcnow", "clean_name"]
