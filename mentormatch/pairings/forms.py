from flask_babel import lazy_gettext as _l
from flask_wtf import FlaskForm
from wtforms import RadioField, SelectField, TextAreaField
from wtforms.validators import InputRequired, Length

# The answer forms (decline, ask for info, answer it, report, confirm) are in mentormatch/answers/forms.py.

FOLLOWUP_CHOICES = [("followup", _l("What I did with the advice")), ("thanks", _l("A thank-you"))]


class ContinueForm(FlaskForm):
    wants = RadioField(_l("Continue next round?"), choices=[("yes", _l("Yes")), ("no", _l("No"))],
                       validators=[InputRequired(_l("Choose yes or no."))])


class FollowUpForm(FlaskForm):
    kind = RadioField(_l("What are you sending?"), choices=FOLLOWUP_CHOICES, default="followup",
                      validators=[InputRequired(_l("Choose follow-up or thanks."))])
    body = TextAreaField(_l("Your message"), validators=[Length(max=2000)],
                         description=_l("A sentence or two is plenty: what you tried, what happened."))


RECOMMEND_CHOICES = [("", _l("No answer"))] + [(str(n), str(n)) for n in range(11)]


class SurveyFields:
    """The closing survey, optional; the service (lifecycle.checked_survey) says what is wrong."""

    @staticmethod
    def recommend(label: str) -> SelectField:
        return SelectField(label, choices=RECOMMEND_CHOICES, validate_choice=False, default="",
                           description=_l("0 = not at all, 10 = without a doubt. Optional."))

    @staticmethod
    def changed() -> TextAreaField:
        return TextAreaField(_l("What changed for you?"),
                             validators=[Length(max=2000, message=_l("Keep it under 2000 characters."))],
                             description=_l("Optional. A sentence is plenty; the coordinator reads it, the other side does not."))


class EndForm(FlaskForm):
    kind = RadioField(_l("How did it end?"), choices=[("completed", _l("Completed: the goal is reached, or the cohort is over")),
                                                     ("ended_early", _l("Ended early"))],
                      validators=[InputRequired(_l("Choose completed or ended early."))])
    reason = TextAreaField(_l("Why did it end early?"), validators=[Length(max=500, message=_l("Keep it under 500 characters."))],
                           description=_l("Only if it ended early. Only the coordinator reads it."))
    recommend = SurveyFields.recommend(_l("Would you recommend them? (0–10)"))
    changed = SurveyFields.changed()


class SurveyForm(FlaskForm):
    recommend = SurveyFields.recommend(_l("Would you recommend them? (0–10)"))
    changed = SurveyFields.changed()
