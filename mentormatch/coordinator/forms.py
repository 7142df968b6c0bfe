from flask_babel import lazy_gettext as _l
from flask_wtf import FlaskForm
from wtforms import BooleanField, IntegerField, RadioField, SelectField, StringField, TextAreaField
from wtforms.validators import DataRequired, Length, NumberRange, Optional

from ..forms import email_field


class ProgramForm(FlaskForm):
    name = StringField(_l("Program name"), validators=[DataRequired(_l("Give the program a name.")), Length(max=120)])
    description = TextAreaField(_l("Description"), validators=[Length(max=2000)],
                                description=_l("Who it is for and what people can expect. Shown on the invite page."))
    offers_rounds = BooleanField(_l("Cohort match rounds"), default=True,
                                 description=_l("You run rounds that pair mentees with mentors for a period."))
    offers_micro = BooleanField(_l("Micro-requests"), default=True,
                                description=_l("Mentees send small, specific asks to mentors in a directory."))
    requires_mentor_approval = BooleanField(_l("Mentors need my approval"), default=False,
                                            description=_l("New mentors appear in the directory and in rounds only "
                                                           "after a coordinator approves them (on the health page)."))
    allows_both_sides = BooleanField(_l("One person may be both a mentee and a mentor here"), default=False,
                                     description=_l("Off: someone who joined as a mentee cannot also join as a mentor "
                                                    "(or the other way round); they are told to ask you. On: they may "
                                                    "take part on both sides, never matched with themselves."))
    requires_sso = BooleanField(_l("Members sign in with single sign-on only"), default=False,
                                description=_l("Mentees and mentors of this program cannot log in with a password; "
                                               "they use the organisation's identity provider."))
    inactive_weeks = IntegerField(
        _l("Nudge quiet pairings after (weeks)"), default=6,
        validators=[Optional(), NumberRange(0, 52, _l("Enter a number of weeks from 0 to 52."))],
        description=_l("With no message, meeting or check-in for this many weeks, both are nudged; as many weeks "
                       "later the pairing is closed as inactive. 0 switches this off; empty keeps 6 (or the saved value)."))


class InviteCoordinatorForm(FlaskForm):
    email = email_field(_l("Their email"))


class TermForm(FlaskForm):
    name = StringField(_l("Name"))
    kind = RadioField(_l("List"), choices=[("topic", _l("Topic")), ("group", _l("Affinity group"))], default="topic",
                      validate_choice=False)


class RenameForm(FlaskForm):
    name = StringField(_l("New name"))


class MergeForm(FlaskForm):
    target = SelectField(_l("Merge into"), coerce=int, validate_choice=False)
