"""The forms of the answer pages (the same for every answerable kind)."""
from flask_babel import lazy_gettext as _l
from flask_wtf import FlaskForm
from wtforms import DateField, RadioField, TextAreaField
from wtforms.validators import InputRequired, Length, Optional

from ..services.answers import DECLINE_LABELS


class DeclineForm(FlaskForm):
    reason = RadioField(_l("Why not?"), choices=list(DECLINE_LABELS.items()),
                        validators=[InputRequired(_l("Choose a reason."))])
    note = TextAreaField(_l("A word for the coordinator (optional, needed for “Other”)"),
                         validators=[Length(max=1000)],
                         description=_l("Helps them find a better match. The mentee does not see it."))
    # "Decline and pause me" in the same step: the pause is part of the same transaction.
    pause = RadioField(_l("Pause new requests to you?"), default="", choices=[
        ("", _l("No, keep me available")), ("off", _l("Yes: set me unavailable until I switch back on")),
        ("away", _l("Yes: I am away until a date"))], validators=[Optional()],
        description=_l("Pausing also hands back your other waiting requests and proposals; their mentees are told."))
    away_until = DateField(_l("Back on"), validators=[Optional()],
                           description=_l("Only with “away until a date”. You are available again the day after."))

    def pause_values(self) -> dict:
        return {"pause": self.pause.data or "", "away_until": self.away_until.data}


class ConfirmForm(FlaskForm):
    """One button, its CSRF token and nothing else."""


class InfoQuestionForm(FlaskForm):
    question = TextAreaField(_l("Your one question"), validators=[InputRequired(_l("Write your question.")), Length(max=500)],
                             description=_l("You can ask one question; the proposal comes back to you with the answer."))


class InfoAnswerForm(FlaskForm):
    answer = TextAreaField(_l("Your answer"), validators=[InputRequired(_l("Write your answer.")), Length(max=500)])


class ReportForm(FlaskForm):
    note = TextAreaField(_l("What happened?"), validators=[InputRequired(_l("Say in a sentence what happened.")),
                                                           Length(max=1000)],
                         description=_l("Only your program's coordinators read this. The mentor is not told who reported."))
