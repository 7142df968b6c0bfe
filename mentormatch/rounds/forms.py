"""The round forms: settings, locks and forbidden pairs, swaps, objective, priority; the CSV import form."""
from datetime import date

from flask_babel import lazy_gettext as _l
from flask_wtf import FlaskForm
from flask_wtf.file import FileField
from wtforms import (
    BooleanField,
    DateField,
    EmailField,
    IntegerField,
    IntegerRangeField,
    RadioField,
    SelectField,
    SelectMultipleField,
    StringField,
    TextAreaField,
)
from wtforms.validators import DataRequired, InputRequired, Length, NumberRange, Optional

from ..forms import ValidEmail
from ..services.rounds.settings import DEFAULT_RULES, DEFAULT_WEIGHTS, PEER_RULES, TEAM_ATTRIBUTES, WEIGHT_HELP

TEAM_LABELS = {"industry": _l("Industry"), "location": _l("Location"), "background": _l("Background")}


def _weight(label, key: str):
    return IntegerRangeField(label, default=DEFAULT_WEIGHTS[key], validators=[InputRequired(), NumberRange(0, 100)],
                             description=_l("%(help)s Default %(default)s.", help=WEIGHT_HELP[key],
                                            default=DEFAULT_WEIGHTS[key]))


class RoundForm(FlaskForm):
    name = StringField(_l("Round name"), validators=[DataRequired(_l("Give the round a name.")), Length(max=120)])
    # What the round forms (chosen when it is created): mentor pairs, peer pairs or peer circles.
    kind = RadioField(_l("What this round forms"), default="mentor", validators=[Optional()], choices=[
        ("mentor", _l("Mentor pairs: each mentee with a mentor")),
        ("peer", _l("Peer pairs: two mentees who can help each other")),
        ("circle", _l("Peer circles: small groups of mentees around shared context and topics"))])
    circle_min = IntegerField(_l("Smallest circle"), default=PEER_RULES["circle_min"],
                              validators=[Optional(), NumberRange(3, 12, _l("Between 3 and 12."))])
    circle_max = IntegerField(_l("Largest circle"), default=PEER_RULES["circle_max"],
                              validators=[Optional(), NumberRange(3, 12, _l("Between 3 and 12."))])
    facilitator = BooleanField(_l("A facilitator per circle"),
                               description=_l("Each circle gets exactly one of the program's available mentors."))
    peer_overlap = IntegerField(_l("Common working time (hours)"), default=PEER_RULES["peer_overlap"],
                                validators=[Optional(), NumberRange(0, 8, _l("Between 0 and 8."))],
                                description=_l("Hours of the working day (9:00–17:00 local) peers must share."))
    after_round_id = SelectField(_l("Only mentees left without a mentor by"), coerce=int, default=0,
                                 validate_choice=False,
                                 description=_l("Mixed rounds: mentors' seats first, peers for the rest."))
    # Pool
    unmatched_only = BooleanField(_l("Only mentees not matched yet"),
                                  description=_l("Leave out mentees who already have a live or completed pairing."))
    tag_ids = SelectMultipleField(_l("Only mentees with these topics or groups"), coerce=int, validators=[Optional()],
                                  description=_l("Leave empty for everyone."))
    joined_after = DateField(_l("Cohort: joined on or after"), validators=[Optional()])
    joined_before = DateField(_l("Cohort: joined before"), validators=[Optional()])
    # Weights
    topics = _weight(_l("Topics"), "topics")
    context = _weight(_l("Shared context"), "context")
    stage = _weight(_l("Career stage"), "stage")
    tz = _weight(_l("Time zone"), "tz")
    mentor_pref = IntegerRangeField(_l("Mentor's preferences"), default=DEFAULT_WEIGHTS["mentor_pref"],
                                    validators=[Optional(), NumberRange(0, 100)],
                                    description=_l("%(help)s Default %(default)s.", help=WEIGHT_HELP["mentor_pref"],
                                                   default=DEFAULT_WEIGHTS["mentor_pref"]))
    # Rules
    min_score = IntegerField(_l("Minimum score"), validators=[Optional(), NumberRange(0, 100, _l("Between 0 and 100."))],
                             description=_l("Pairs below it are never proposed. Empty: no minimum."))
    min_overlap = IntegerField(_l("Minimum overlap of working hours"),
                               validators=[Optional(), NumberRange(0, 8, _l("Between 0 and 8."))],
                               description=_l("Hours both working days (9:00–17:00 local) share; pairs with less are "
                                              "never proposed. Empty: no minimum (the time zone weight still favours "
                                              "overlap)."))
    mentors_per_mentee = IntegerField(_l("Mentors per mentee"), default=DEFAULT_RULES["mentors_per_mentee"],
                                      validators=[InputRequired(_l("Enter a number.")),
                                                  NumberRange(1, 5, _l("Between 1 and 5."))])
    max_same_team = IntegerField(_l("Most mentees from one team per mentor"),
                                 validators=[Optional(), NumberRange(1, 20, _l("Between 1 and 20."))],
                                 description=_l("Empty: no limit."))
    team_by = SelectField(_l("A team is people with the same"), choices=[(t, TEAM_LABELS[t]) for t in TEAM_ATTRIBUTES],
                          default="industry")
    group_balance = BooleanField(_l("Balance affinity groups"),
                                 description=_l("Each group's match rate stays close to the overall rate."))
    balance_slack = IntegerField(_l("Allowed difference (percent)"), default=DEFAULT_RULES["balance_slack"],
                                 validators=[InputRequired(_l("Enter a number.")),
                                             NumberRange(0, 50, _l("Between 0 and 50."))])
    # Objective, fairness across rounds, continuity
    objective = RadioField(_l("What matters most"), default="coverage", choices=[
        ("coverage", _l("Most people matched: then the best total score")),
        ("quality", _l("Best pairs only: the highest total score; weak pairs are left out, so people may stay "
                       "unmatched"))])
    carry_bonus = IntegerField(_l("Score bonus for mentees carried over from the last round"),
                               default=DEFAULT_RULES["carry_bonus"],
                               validators=[Optional(), NumberRange(0, 50, _l("Between 0 and 50."))],
                               description=_l("Added to every pair of a mentee left without a mentor last time. "
                                              "0: none."))
    carry_must_match = BooleanField(_l("Carried-over mentees must be matched if any candidate has a seat"))
    continuity_bonus = IntegerField(_l("Score bonus for keeping last round's pair"),
                                    default=DEFAULT_RULES["continuity_bonus"],
                                    validators=[Optional(), NumberRange(0, 50, _l("Between 0 and 50."))],
                                    description=_l("Only when both the mentor and the mentee said “continue”."))
    history_bonus = IntegerField(_l("Score bonus for a pair who worked together on a micro-request"),
                                 default=DEFAULT_RULES["history_bonus"],
                                 validators=[Optional(), NumberRange(0, 50, _l("Between 0 and 50."))],
                                 description=_l("When the request was done, followed up and thanked. 0: none."))
    max_continued_per_mentor = IntegerField(
        _l("Most continued pairs per mentor"), default=DEFAULT_RULES["max_continued_per_mentor"],
        validators=[Optional(), NumberRange(1, 20, _l("Between 1 and 20."))],
        description=_l("So a few popular mentors do not fill up with last round's mentees every time. Empty: no cap."))

    def settings(self) -> dict:
        return {
            "name": self.name.data,
            "kind": self.kind.data or "mentor",
            "weights": {k: DEFAULT_WEIGHTS[k] if getattr(self, k).data is None else getattr(self, k).data
                        for k in DEFAULT_WEIGHTS},
            "rules": {"min_score": self.min_score.data, "min_overlap": self.min_overlap.data,
                      "mentors_per_mentee": self.mentors_per_mentee.data,
                      "max_same_team": self.max_same_team.data, "team_by": self.team_by.data,
                      "group_balance": self.group_balance.data, "balance_slack": self.balance_slack.data,
                      "objective": self.objective.data or "coverage",
                      "carry_bonus": _or_default(self.carry_bonus.data, "carry_bonus"),
                      "carry_must_match": self.carry_must_match.data,
                      "continuity_bonus": _or_default(self.continuity_bonus.data, "continuity_bonus"),
                      "history_bonus": _or_default(self.history_bonus.data, "history_bonus"),
                      "max_continued_per_mentor": self.max_continued_per_mentor.data,
                      "circle_min": self.circle_min.data, "circle_max": self.circle_max.data,
                      "facilitator": self.facilitator.data, "peer_overlap": self.peer_overlap.data},
            "pool": {"unmatched_only": self.unmatched_only.data, "tag_ids": self.tag_ids.data or [],
                     "joined_after": self.joined_after.data.isoformat() if self.joined_after.data else None,
                     "joined_before": self.joined_before.data.isoformat() if self.joined_before.data else None,
                     "after_round_id": self.after_round_id.data or None},
        }

    def fill(self, round_) -> None:
        self.name.data = round_.name
        for k in DEFAULT_WEIGHTS:
            getattr(self, k).data = (round_.weights or {}).get(k, DEFAULT_WEIGHTS[k])
        rules = {**DEFAULT_RULES, **(round_.rules or {})}
        for k in ("min_score", "min_overlap", "mentors_per_mentee", "max_same_team", "team_by", "group_balance", "balance_slack",
                  "objective", "carry_bonus", "carry_must_match", "continuity_bonus", "max_continued_per_mentor",
                  "history_bonus"):
            getattr(self, k).data = rules[k]
        self.kind.data = round_.kind
        peer = {**PEER_RULES, **(round_.rules or {})}
        for k in PEER_RULES:
            getattr(self, k).data = peer[k]
        pool = round_.pool or {}
        self.after_round_id.data = pool.get("after_round_id") or 0
        self.unmatched_only.data = bool(pool.get("unmatched_only"))
        self.tag_ids.data = pool.get("tag_ids") or []
        self.joined_after.data = date.fromisoformat(pool["joined_after"]) if pool.get("joined_after") else None
        self.joined_before.data = date.fromisoformat(pool["joined_before"]) if pool.get("joined_before") else None


def _or_default(value, key: str):
    """A field left out of the post (an older form) keeps the round default."""
    return DEFAULT_RULES[key] if value is None else value


class ConstraintForm(FlaskForm):
    mentee_email = EmailField(_l("Mentee's email"), validators=[DataRequired(_l("Enter the mentee's email.")),
                                                                 ValidEmail()])
    mentor_email = EmailField(_l("Mentor's email"), validators=[DataRequired(_l("Enter the mentor's email.")),
                                                                 ValidEmail()])
    kind = RadioField(_l("Rule"), choices=[("lock", _l("Lock: always pair them")),
                                           ("forbid", _l("Forbid: never pair them"))],
                      default="lock", validators=[InputRequired(_l("Choose lock or forbid."))])


class ForbidPeersForm(FlaskForm):
    """Two members of a proposed peer pair or circle who must never be grouped together."""

    first = SelectField(_l("First person"), coerce=int, validate_choice=False,
                        validators=[InputRequired(_l("Choose a member of this group."))])
    second = SelectField(_l("Second person"), coerce=int, validate_choice=False,
                         validators=[InputRequired(_l("Choose a member of this group."))])


class SwapForm(FlaskForm):
    mentor_id = IntegerField(_l("New mentor"), validators=[InputRequired(_l("Choose a mentor."))])


class ImportForm(FlaskForm):
    file = FileField(_l("CSV file"), description=_l("One person per row; the first row names the columns."))
    csv_text = TextAreaField("CSV", validators=[Optional(), Length(max=5 * 1024 * 1024)])


class ObjectiveForm(FlaskForm):
    objective = RadioField(_l("Run this round for"), choices=[("coverage", _l("Most people matched")),
                                                              ("quality", _l("Best pairs only"))],
                           validators=[InputRequired(_l("Choose one."))])


class PriorityForm(FlaskForm):
    """A coordinator's fairness setting for one mentee; the mentee comes from the URL."""

    bonus = IntegerField(_l("Score bonus"), default=0,
                         validators=[InputRequired(_l("Enter a number.")),
                                     NumberRange(-50, 50, _l("Between -50 and 50."))],
                         description=_l("Added to each of their pairs. Negative gives lower priority."))
    must_match = BooleanField(_l("Must be matched if any candidate has a seat"))
    note = StringField(_l("Why (for coordinators)"), validators=[Length(max=300)])


class CompleteAllForm(FlaskForm):
    """The confirm step of "complete all" on a round (no fields beyond the CSRF token)."""
