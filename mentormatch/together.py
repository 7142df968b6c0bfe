"""What every page of an accepted pair shows (a round pairing seen by either side, a micro-request):
how to reach the other person, the conversation thread, meetings, and how the pairing ends.

The three pages (mentee/pairing.html, mentor/mentee.html, requests/show.html) call panels(item)
and include templates/together/_panels.html; each panel is None where it does not apply."""
from __future__ import annotations

from flask_login import current_user

from .meetings import panel as meetings_panel
from .models import MicroRequest, Pairing
from .pairings.panel import ending_panel
from .services import contact
from .threads.panel import panel as thread_panel


def panels(item: Pairing | MicroRequest) -> dict:
    """Each panel is built for the signed-in person (one of the two, or a coordinator)."""
    return {
        "contact": contact.panel(item, _viewer_id()),  # the other person's channels, once accepted
        "thread": thread_panel(item),  # the conversation between the two (threads/panel.py)
        "meetings": meetings_panel.build(item),  # proposed slots, the booked meeting, "did you meet?"
        "ending": ending_panel(item) if isinstance(item, Pairing) else None,  # end it, the closing survey
    }


def _viewer_id() -> int | None:
    return current_user.id if current_user.is_authenticated else None
