"""What every page of an accepted pair shows (a round pairing seen by either side, a micro-request):
how to reach the other person, the conversation thread, meetings, and how the pairing ends.

The three pages (mentee/pairing.html, mentor/mentee.html, requests/show.html) call panels(item)
and include templates/together/_panels.html; each panel is None where it does not apply."""
from __future__ import annotations

from .models import MicroRequest, Pairing
from .threads.panel import panel as thread_panel


def panels(item: Pairing | MicroRequest) -> dict:
    """Each panel is built for the signed-in person (one of the two, or a coordinator)."""
    return {
        "contact": None,   # the other person's channels, once accepted
        "thread": thread_panel(item),  # the conversation between the two (threads/panel.py)
        "meetings": None,  # proposed slots, the booked meeting, "did you meet?"
        "ending": None,    # end the pairing, with the closing survey
    }
