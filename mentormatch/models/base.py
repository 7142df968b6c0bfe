from datetime import datetime, timezone

from ..extensions import Base


def utcnow() -> datetime:
    """Naive UTC: SQLite has no time zones, so every timestamp is stored as naive UTC."""
    return datetime.now(timezone.utc).replace(tzinfo=None)


__all__ = ["Base", "utcnow"]
