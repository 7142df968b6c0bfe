from flask_wtf import FlaskForm
from wtforms import RadioField, TextAreaField
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
