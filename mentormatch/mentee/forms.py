"""Mentee forms. They take only the fields a mentee may set (an allowlist) and coerce types; the
rules about values (lengths, the program's lists, time zones) live in services.people (goal_forms, vocabulary) and core.reference."""
from flask_babel import lazy_gettext as _l
from flask_wtf import FlaskForm
from wtforms import IntegerField, RadioField, SelectField, SelectMultipleField, StringField, TextAreaField, widgets
from wtforms.validators import Optional

from ..core import reference
from ..models import CONTEXT_KINDS, PREFERENCES, WANTS
from ..services.people import labels, vocabulary


class MultiCheckboxField(SelectMultipleField):
    """A list of checkboxes (the field macro renders it as a fieldset with a legend)."""

    widget = widgets.ListWidget(prefix_label=False)
    option_widget = widgets.CheckboxInput()


def _ints(values):
    return [int(v) for v in values]


class ContextForm(FlaskForm):
    """Career stage and context: the part mentees and mentors share."""

    # Ordered Term ids, rendered by the topic picker (not the field macro); choices checked by the service.
    topics = SelectMultipleField(_l("Topics"), coerce=int, validate_choice=False)
    years = IntegerField(_l("Years of experience"), validators=[Optional()],
                         widget=widgets.NumberInput(min=0, max=60), description=_l("In tech or in your field; 0 is fine."))
    # No default: a pre-chosen "Junior" was saved unread by new mentors. The service requires a choice.
    role_level = SelectField(_l("Current role level"), choices=labels.ROLE_LEVEL_CHOICES, default="", validate_choice=False)
    industry = StringField(_l("Industry"), description=_l("For example fintech, healthcare, public sector."))
    groups = MultiCheckboxField(_l("Affinity groups"), coerce=int, validate_choice=False)
    background = StringField(_l("Background"), description=_l("Anything about your path that shapes what you need, "
                                                             "in a few words (e.g. self-taught, bootcamp, PhD)."))
    location = StringField(_l("Location"), description=_l("City or country; only what you are happy to share."))
    languages = MultiCheckboxField(_l("Languages you can talk in"), choices=list(reference.LANGUAGES), validate_choice=False)
    timezone = SelectField(_l("Time zone"), validate_choice=False, render_kw={"data-tz-default": "1"},
                           description=_l("Stored as a zone name, so daylight saving is handled for you."))

    def set_program(self, program_id: int) -> None:
        self.groups.choices = [(t.id, t.name) for t in vocabulary.terms(program_id, "group")]
        self.timezone.choices = [("", _l("Choose your time zone…"))] + [(z, z.replace("_", " ")) for z in reference.timezones()]


class GoalForm(ContextForm):
    # "What I can help with": ordered Term ids like the topics (same picker), for peer rounds' give-and-take.
    strengths = SelectMultipleField(_l("What I can help with"), coerce=int, validate_choice=False)
    near_term_goal = TextAreaField(
        _l("Your goal for the next 3–6 months"),
        description=_l("Concrete beats grand: “lead my first feature end to end”, “pass the AWS associate exam”."))
    long_term_goal = TextAreaField(_l("Your long-term ambition"), description=_l("Where you would like to be in a few years."))
    context_matters = MultiCheckboxField(
        _l("Which of these would you like your mentor to share with you?"),
        choices=[(k, labels.CONTEXT_LABELS[k]) for k in CONTEXT_KINDS], validate_choice=False,
        description=_l("We match on industry and affinity groups when you tick them; background and location are "
                       "shown to your mentor, not matched on. Your mentor sees only the ticked ones."))
    preference = RadioField(_l("Who would you like to learn from?"),
                            choices=[(k, labels.PREFERENCE_LABELS[k]) for k in PREFERENCES], default="ahead",
                            validate_choice=False)
    power_question = TextAreaField(
        _l("Your one power question for the first conversation"),
        description=_l("Small and specific gets the best answer: something a mentor can help with in one conversation."))
    wants = RadioField(_l("What would you like?"), choices=[(k, labels.WANTS_LABELS[k]) for k in WANTS], default="both",
                       validate_choice=False)


class FollowUpForm(FlaskForm):
    body = TextAreaField(_l("What did you do with the advice?"),
                         description=_l("A few lines: what you tried, and what happened."))


class ThanksForm(FlaskForm):
    body = TextAreaField(_l("Your thank-you note"), description=_l("Optional: a line about what helped most."))
