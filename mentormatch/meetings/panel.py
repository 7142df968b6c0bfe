"""The meetings panel (templates/meetings/_panel.html) of a pair's pages (together.panels), of the
meeting page and of a circle's page (groups/panel.py): what the service says the signed-in person
sees, plus the forms it offers and where they post."""
from __future__ import annotations

from flask import url_for
from flask_login import current_user

from ..models import Circle, MicroRequest, Pairing
from ..services import meetings
from .forms import ProposeForm


def build(item: Pairing | MicroRequest | Circle, *, propose_form=None, notice: str = "", error: str = "",
          endpoints: str = "meetings", url_args: dict | None = None, propose_url: str = "") -> dict | None:
    """None where the pair or circle cannot meet (not accepted yet, ended, the reader left) and never
    arranged a meeting. A meeting's forms post to `endpoints`.pick (cancel, met, invitation) with
    `url_args`; the proposal to `propose_url` (by default a pair's)."""
    view = meetings.panel(item, current_user)
    if not view.can_propose and view.live is None and not view.to_answer and not view.past:
        return None
    args = url_args or {}
    return {
        "v": view,
        "url": lambda action, meeting_id: url_for(f"{endpoints}.{action}", meeting_id=meeting_id, **args),
        "propose_url": propose_url or url_for("meetings.propose", kind="pairings" if view.kind == "pairing" else "requests",
                                              item_id=view.item_id),
        "my_answers": view.my_answers if view.kind == "circle" else _pair_answers(view),
        "propose_form": propose_form or ProposeForm(formdata=None),
        "met_labels": meetings.MET_LABELS,
        "notice": notice,
        "error": error,
        "open_proposal": propose_form is not None and bool(propose_form.errors),
    }


def _pair_answers(view: meetings.Panel) -> dict[int, str | None]:
    """A pair's answers sit on the meeting row. A coordinator (no side) reads the mentor's, as the
    pair panel always showed them."""
    return {meeting.id: meeting.mentee_met if view.side == "mentee" else meeting.mentor_met for meeting, _label in view.past}
