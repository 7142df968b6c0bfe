from flask_wtf import FlaskForm
from wtforms import RadioField, SelectField, TextAreaField
from wtforms.validators import InputRequired, Length

# The answer forms (decline, ask for info, answer it, report, confirm) are in mentormatch/answers/forms.py.

FOLLOWUP_CHOICES = [("followup", "What I did with the advice"), ("thanks", "A thank-you")]


class ContinueForm(FlaskForm):
    wants = RadioField("Continue next round?", choices=[("yes", "Yes"), ("no", "No")],
                       validators=[InputRequired("Choose yes or no.")])


class FollowUpForm(FlaskForm):
    kind = RadioField("What are you sending?", choices=FOLLOWUP_CHOICES, default="followup",
                      validators=[InputRequired("Choose follow-up or thanks.")])
    body = TextAreaField("Your message", validators=[Length(max=2000)],
                         description="A sentence or two is plenty: what you tried, what happened.")


RECOMMEND_CHOICES = [("", "No answer")] + [(str(n), str(n)) for n in range(11)]


class SurveyFields:
    """The closing survey, optional; the service (lifecycle.checked_survey) says what is wrong."""

    @staticmethod
    def recommend(label: str) -> SelectField:
        return SelectField(label, choices=RECOMMEND_CHOICES, validate_choice=False, default="",
                           description="0 = not at all, 10 = without a doubt. Optional.")

    @staticmethod
    def changed() -> TextAreaField:
        return TextAreaField("What changed for you?", validators=[Length(max=2000, message="Keep it under 2000 characters.")],
                             description="Optional. A sentence is plenty; the coordinator reads it, the other side does not.")


class EndForm(FlaskForm):
    kind = RadioField("How did it end?", choices=[("completed", "Completed: the goal is reached, or the cohort is over"),
                                                  ("ended_early", "Ended early")],
                      validators=[InputRequired("Choose completed or ended early.")])
    reason = TextAreaField("Why did it end early?", validators=[Length(max=500, message="Keep it under 500 characters.")],
                           description="Only if it ended early. Only the coordinator reads it.")
    recommend = SurveyFields.recommend("Would you recommend them? (0–10)")
    changed = SurveyFields.changed()


class SurveyForm(FlaskForm):
    recommend = SurveyFields.recommend("Would you recommend them? (0–10)")
    changed = SurveyFields.changed()
