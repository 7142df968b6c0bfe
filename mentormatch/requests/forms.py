from flask_wtf import FlaskForm
from wtforms import RadioField, SelectField, StringField, TextAreaField
from wtforms.validators import InputRequired, Length

from ..models import REQUEST_KIND_LABELS


class RequestForm(FlaskForm):
    # Only what the mentee decides: program, mentor and state come from the URL and the service.
    question = TextAreaField(
        "Your one question", validators=[InputRequired("Ask one specific question."), Length(max=500)],
        description="Small and specific gets answered: “Which of these 5 slides loses you?” beats “any advice?”.")
    kind = RadioField("What would help most?", choices=list(REQUEST_KIND_LABELS.items()),
                      validators=[InputRequired("Choose what kind of help you are asking for.")])
    context = TextAreaField("Context (optional)", validators=[Length(max=2000)],
                            description="A link to the slides, the two offers, what you tried already.")


class DirectoryFilter(FlaskForm):
    """GET filters for the active search: no CSRF (it changes nothing)."""

    class Meta:
        csrf = False

    q = StringField("Search", validators=[Length(max=100)])
    topic = SelectField("Topic", coerce=str, validate_choice=False)
    language = SelectField("Language", coerce=str, validate_choice=False)
    group = SelectField("Group", coerce=str, validate_choice=False)
    sort = SelectField("Order", choices=[("recommended", "Best match"), ("name", "Name")],
                       validate_choice=False)


class OngoingForm(FlaskForm):
    """Micro -> macro: the mentee asks the mentor of a done request for ongoing mentorship."""

    hope = TextAreaField(
        "What would you like to work on together?",
        validators=[InputRequired("Say in a sentence what you would like to work on together."), Length(max=500)],
        description="A sentence is enough: your mentor reads it before saying yes.")
