from flask_babel import lazy_gettext as _l
from flask_wtf import FlaskForm
from wtforms import RadioField, SelectField, StringField, TextAreaField
from wtforms.validators import InputRequired, Length

from ..models import REQUEST_KIND_LABELS


class RequestForm(FlaskForm):
    # Only what the mentee decides: program, mentor and state come from the URL and the service.
    question = TextAreaField(
        _l("Your one question"), validators=[InputRequired(_l("Ask one specific question.")), Length(max=500)],
        description=_l("Small and specific gets answered: “Which of these 5 slides loses you?” beats “any advice?”."))
    kind = RadioField(_l("What would help most?"), choices=list(REQUEST_KIND_LABELS.items()),
                      validators=[InputRequired(_l("Choose what kind of help you are asking for."))])
    context = TextAreaField(_l("Context (optional)"), validators=[Length(max=2000)],
                            description=_l("A link to the slides, the two offers, what you tried already."))


class DirectoryFilter(FlaskForm):
    """GET filters for the active search: no CSRF (it changes nothing)."""

    class Meta:
        csrf = False

    q = StringField(_l("Search"), validators=[Length(max=100)])
    topic = SelectField(_l("Topic"), coerce=str, validate_choice=False)
    language = SelectField(_l("Language"), coerce=str, validate_choice=False)
    group = SelectField(_l("Group"), coerce=str, validate_choice=False)
    sort = SelectField(_l("Order"), choices=[("recommended", _l("Best match")), ("name", _l("Name"))],
                       validate_choice=False)


class OngoingForm(FlaskForm):
    """Micro -> macro: the mentee asks the mentor of a done request for ongoing mentorship."""

    hope = TextAreaField(
        _l("What would you like to work on together?"),
        validators=[InputRequired(_l("Say in a sentence what you would like to work on together.")), Length(max=500)],
        description=_l("A sentence is enough: your mentor reads it before saying yes."))
