"""Mentor forms: allowlists of the fields a mentor may set; value rules live in services.people (profiles, vocabulary)."""
from flask_babel import lazy_gettext as _l
from flask_wtf import FlaskForm
from wtforms import BooleanField, DateField, IntegerField, TextAreaField, widgets
from wtforms.validators import Optional

from ..mentee.forms import ContextForm, MultiCheckboxField
from ..services.people import vocabulary


class ProfileForm(ContextForm):
    capacity_round = IntegerField(_l("Mentees per round"), validators=[Optional()], default=2,
                                  widget=widgets.NumberInput(min=0, max=20),
                                  description=_l("How many mentees you can take on in one cohort round (0–20)."))
    capacity_micro = IntegerField(_l("Micro-requests per month"), validators=[Optional()], default=4,
                                  widget=widgets.NumberInput(min=0, max=20),
                                  description=_l("Small, specific asks you are happy to answer each month (0–20)."))
    available = BooleanField(_l("I am available for new mentees and requests"), default=True,
                             description=_l("Switching off hands back the requests and proposals waiting for you, so "
                                            "nobody waits: each mentee is told kindly and pointed to others."))
    away_until = DateField(_l("Away until"), validators=[Optional()],
                           description=_l("Optional. You are off until this date, and back on by yourself the day after. "
                                          "What waits for you goes back to the mentees."))
    prefers_stages = MultiCheckboxField(_l("Career stages you most like to help"),
                                        choices=[("peer", _l("Peers, about my level")),
                                                 ("ahead", _l("People a few years behind me")),
                                                 ("senior", _l("People much earlier in their career"))],
                                        validate_choice=False)
    prefers_topics = MultiCheckboxField(_l("Topics you most like to help with"), coerce=int, validate_choice=False)
    bio = TextAreaField(_l("A line about you"), description=_l("What you do, and how you like to help."))

    def set_program(self, program_id: int) -> None:
        super().set_program(program_id)
        self.prefers_topics.choices = [(t.id, t.name) for t in vocabulary.terms(program_id, "topic")]


# A note about a mentee is that mentee's personal data: under the GDPR right of access it is in
# their data export (services/data_rights/personal.py, "Notes about me"). Say so where it is written.
NOTES_HINT = _l("Not shown to the coordinator or on your mentee's pages, but the mentee sees these notes "
                "if they request their data.")


class NoteForm(FlaskForm):
    body = TextAreaField(_l("Private notes"), description=NOTES_HINT)
