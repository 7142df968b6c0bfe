from flask_wtf import FlaskForm
from wtforms import BooleanField, IntegerField, RadioField, SelectField, StringField, TextAreaField
from wtforms.validators import DataRequired, Length, NumberRange, Optional

from ..forms import email_field


class ProgramForm(FlaskForm):
    name = StringField("Program name", validators=[DataRequired("Give the program a name."), Length(max=120)])
    description = TextAreaField("Description", validators=[Length(max=2000)],
                                description="Who it is for and what people can expect. Shown on the invite page.")
    offers_rounds = BooleanField("Cohort match rounds", default=True,
                                 description="You run rounds that pair mentees with mentors for a period.")
    offers_micro = BooleanField("Micro-requests", default=True,
                                description="Mentees send small, specific asks to mentors in a directory.")
    requires_mentor_approval = BooleanField("Mentors need my approval", default=False,
                                            description="New mentors appear in the directory and in rounds only "
                                                        "after a coordinator approves them (on the health page).")
    requires_sso = BooleanField("Members sign in with single sign-on only", default=False,
                                description="Mentees and mentors of this program cannot log in with a password; "
                                            "they use the organisation's identity provider.")
    inactive_weeks = IntegerField(
        "Nudge quiet pairings after (weeks)", default=6,
        validators=[Optional(), NumberRange(0, 52, "Enter a number of weeks from 0 to 52.")],
        description="With no message, meeting or check-in for this many weeks, both are nudged; as many weeks "
                    "later the pairing is closed as inactive. 0 switches this off; empty keeps 6 (or the saved value).")


class InviteCoordinatorForm(FlaskForm):
    email = email_field("Their email")


class TermForm(FlaskForm):
    name = StringField("Name")
    kind = RadioField("List", choices=[("topic", "Topic"), ("group", "Affinity group")], default="topic",
                      validate_choice=False)


class RenameForm(FlaskForm):
    name = StringField("New name")


class MergeForm(FlaskForm):
    target = SelectField("Merge into", coerce=int, validate_choice=False)
