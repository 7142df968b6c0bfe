"""The meetings panel of a pair's pages (together.panels) and of the meeting page: what the
service says the signed-in person sees, plus the forms it offers."""
from __future__ import annotations

from flask_login import current_user

from ..models import MicroRequest, Pairing
from ..services import meetings
from .forms import ProposeForm


def build(item: Pairing | MicroRequest, *, propose_form=None, notice: str = "", error: str = "") -> dict | None:
    """None where the pair cannot meet (not accepted yet) and never arranged a meeting."""
    view = meetings.panel(item, current_user)
    if not view.can_propose and view.live is None and not view.to_answer and not view.past:
        return None
    return {
        "v": view,
        "kind": "pairings" if view.kind == "pairing" else "requests",
        "propose_form": propose_form or ProposeForm(formdata=None),
        "met_labels": meetings.MET_LABELS,
        "notice": notice,
        "error": error,
        "open_proposal": propose_form is not None and bool(propose_form.errors),
    }
