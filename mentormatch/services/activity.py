"""When a pair last did something together: a message, a meeting, a check-in. The inactivity nudge
and the health page read Pairing.last_activity_at; every service that records such a thing calls
touch() in its own transaction."""
from __future__ import annotations

from ..core import clock
from ..models import MicroRequest, Pairing


def touch(item: Pairing | MicroRequest) -> None:
    """Mark the pair active now (a micro-request has no inactivity rule, so it is left as it is)."""
    if isinstance(item, Pairing):
        item.last_activity_at = clock.now()
