"""Coverage or quality: the round's objective, both previewed side by side before the coordinator
chooses (the matching core's `rules.objective`)."""
from __future__ import annotations

import dataclasses

from flask_babel import gettext as _
from flask_babel import lazy_gettext as _l

from ...extensions import db
from ...matching import solve
from ...matching.model import OBJECTIVES
from ...models import User
from ...models.rounds import Round
from .. import ServiceError
from . import events
from .instance import build_round_data
from .settings import require_editable

OBJECTIVE_LABELS = {"coverage": _l("Most people matched"), "quality": _l("Best pairs only")}


def objective_preview(round_: Round) -> dict[str, dict]:
    """Both objectives solved on the same pool, side by side, so the coordinator can choose.

    Runs in the request on purpose: it is a comparison, nothing is stored, and the min-cost flow
    both objectives use answers large pools in about a second."""
    data = build_round_data(round_)
    out = {}
    for objective in OBJECTIVES:
        instance = dataclasses.replace(data.instance,
                                       rules=dataclasses.replace(data.instance.rules, objective=objective))
        result = solve(instance, time_limit=20)
        pairs = result.assignment
        total = sum(int(p.score) for p in pairs)
        out[objective] = {"label": OBJECTIVE_LABELS[objective], "matched": len({p.mentee for p in pairs}),
                          "pairs": len(pairs), "total": total, "average": round(total / len(pairs)) if pairs else 0,
                          "mentees": len(data.instance.mentees), "status": result.status}
    return out


def set_objective(round_: Round, actor: User, objective: str) -> None:
    if objective not in OBJECTIVES:
        raise ServiceError(_("Choose “most people matched” or “best pairs only”."), "objective")
    require_editable(round_)
    round_.rules = {**(round_.rules or {}), "objective": objective}
    events.record(round_, actor, "objective", objective=objective)
    db.session.commit()
