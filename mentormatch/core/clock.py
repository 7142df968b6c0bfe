"""The one clock: every time read in the lifecycle code goes through now(), so tests can set it.

Times are naive UTC, like every timestamp in the database (see models.base.utcnow).
"""
import threading
from datetime import date, datetime, timedelta

from ..models.base import utcnow

_lock = threading.Lock()
_fixed: datetime | None = None


def now() -> datetime:
    with _lock:
        return _fixed if _fixed is not None else utcnow()


def today() -> date:
    return now().date()


def set_now(moment: datetime | None) -> None:
    """Freeze the clock at `moment` (None: back to the real time). For tests and demos only."""
    global _fixed
    with _lock:
        _fixed = moment.replace(tzinfo=None) if moment is not None else None


def advance(**delta) -> datetime:
    """Move a frozen clock forward (freezing it at the real time first if needed)."""
    moment = now() + timedelta(**delta)
    set_now(moment)
    return moment


def month_start(moment: datetime | None = None) -> datetime:
    moment = moment or now()
    return moment.replace(day=1, hour=0, minute=0, second=0, microsecond=0)
