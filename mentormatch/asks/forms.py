from flask_babel import lazy_gettext as _l
from flask_wtf import FlaskForm
from wtforms import BooleanField, SelectField, SelectMultipleField, TextAreaField, widgets
from wtforms.validators import InputRequired, Length

from ..models import ANSWER_MAX, ASK_MAX


class MultiCheckboxField(SelectMultipleField):
    """Checkboxes (the field macro renders them as a fieldset with a legend)."""

    widget = widgets.ListWidget(prefix_label=False)
    option_widget = widgets.CheckboxInput()

    def pre_validate(self, form):  # the service checks the ids against the program's topics
        pass


class AskForm(FlaskForm):
    body = TextAreaField(
        _l("Your one question"),
        validators=[InputRequired(_l("Ask one specific question.")), Length(max=ASK_MAX)],
        description=_l("Small and specific gets answered: “Which of these two offers would you take, and why?” "
                       "beats “any advice?”."))
    topics = MultiCheckboxField(_l("Topics (up to 3)"), coerce=str)
    where = SelectField(_l("Ask"), coerce=str, validate_choice=False)


class AnswerForm(FlaskForm):
    body = TextAreaField(_l("Your answer"), validators=[InputRequired(_l("Write your answer.")),
                                                        Length(max=ANSWER_MAX)])


class HideForm(FlaskForm):
    reason = TextAreaField(_l("Why (its author reads this)"),
                           validators=[InputRequired(_l("Say why, for its author.")), Length(max=500)])


class HelperForm(FlaskForm):
    helps = BooleanField(_l("Send me questions I can help with"),
                         description=_l("At most one email a day, with new questions on your topics."))


class TopicFilter(FlaskForm):
    class Meta:
        csrf = False

    topic = SelectField(_l("Topic"), coerce=str, validate_choice=False)
