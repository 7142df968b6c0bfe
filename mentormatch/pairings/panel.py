"""The "ending" panel of a round pairing (together.panels(item)["ending"], templates/pairings/_ending.html):
end it (completed / ended early + reason + survey) while it runs, then the closing survey for
whoever has not answered it. Built for the signed-in person: the mentee, the mentor or a coordinator."""
from __future__ import annotations

from flask_babel import gettext as _
from flask_babel import lazy_gettext as _l
from flask_login import current_user

from ..models import ENDABLE_STATES, ENDED_STATES, Pairing
from ..services import lifecycle
from .forms import EndForm, SurveyForm

KIND_LABELS = {"completed": _l("Completed"), "ended_early": _l("Ended early"), "inactive": _l("Closed as inactive")}


def ending_panel(pairing: Pairing, end_form: EndForm | None = None, survey_form: SurveyForm | None = None,
                 outcome: str | None = None) -> dict | None:
    role = lifecycle.role_in(pairing, current_user)
    if role is None or pairing.state not in ENDABLE_STATES + ENDED_STATES:
        return None
    ended = pairing.state in ENDED_STATES
    answered = lifecycle.survey_of(pairing, current_user) if ended and role != "coordinator" else None
    other = pairing.mentor.user.name if role == "mentee" else pairing.mentee.user.name
    return {
        "pairing": pairing, "role": role, "ended": ended, "kind_label": KIND_LABELS.get(pairing.state, ""),
        "other": other, "names": _("%(mentee)s and %(mentor)s", mentee=pairing.mentee.user.name, mentor=pairing.mentor.user.name),
        "end_form": (end_form or EndForm(prefix="end")) if not ended else None,
        "survey_form": (survey_form or SurveyForm(prefix="survey")) if ended and role != "coordinator" and answered is None
        else None,
        "answered": answered, "outcome": outcome,
    }
