from datetime import datetime, timezone

from ..extensions import Base


def utcnow() -> datetime:
    """Naive UTC: SQLite has no time zones, so every timestamp is stored as naive UTC."""
    return datetime.now(timezone.utc).replace(tzinfo=None)




# Bidirectional controls (embeddings, overrides, isolates, marks) let a name reorder the text
# around it on the page ("Trojan Source" style spoofing); no real name needs them.
BIDI_CONTROLS = dict.fromkeys(map(ord, "\u202a\u202b\u202c\u202d\u202e\u2066\u2067\u2068\u2069\u200e\u200f\u061c"))


def strip_bidi(text: str | None) -> str | None:
    return text.translate(BIDI_CONTROLS) if text is not None else None


__all__ = ["Base", "utcnow", "strip_bidi"]
