from flask_babel import lazy_gettext as _l
from flask_wtf import FlaskForm
from wtforms import RadioField, StringField
from wtforms.validators import InputRequired, Length

from ..services import goal_steps


class StepForm(FlaskForm):
    title = StringField(_l("New step"), validators=[InputRequired(_l("Write the step in a few words.")),
                                                Length(max=goal_steps.MAX_TITLE)],
                        description=_l("Small and concrete: “Draft the 5 slides”, “Ask Sam for an intro”."))


class ToggleForm(FlaskForm):
    done = RadioField(_l("Done?"), choices=[("yes", _l("Done")), ("no", _l("Not done"))], validators=[InputRequired()])
