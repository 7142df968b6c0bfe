from flask_wtf import FlaskForm
from wtforms import RadioField, StringField
from wtforms.validators import InputRequired, Length

from ..services import goal_steps


class StepForm(FlaskForm):
    title = StringField("New step", validators=[InputRequired("Write the step in a few words."),
                                                Length(max=goal_steps.MAX_TITLE)],
                        description="Small and concrete: “Draft the 5 slides”, “Ask Sam for an intro”.")


class ToggleForm(FlaskForm):
    done = RadioField("Done?", choices=[("yes", "Done"), ("no", "Not done")], validators=[InputRequired()])
