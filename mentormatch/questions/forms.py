"""The question definition form, and the answer form built from a program's questions. Both only
coerce types; services/questions.py checks the values and names the field of a problem."""
from flask_babel import gettext as _
from flask_babel import lazy_gettext as _l
from flask_wtf import FlaskForm
from wtforms import BooleanField, IntegerField, RadioField, SelectField, StringField, TextAreaField
from wtforms.validators import Optional

from ..mentee.forms import MultiCheckboxField
from ..services import questions


class QuestionForm(FlaskForm):
    label = StringField(_l("Question"), description=_l("As people will read it, e.g. “Which campus are you on?”"))
    help = StringField(_l("Help text"), description=_l("Optional. A line under the question."))
    kind = SelectField(_l("Kind of answer"), choices=list(questions.KIND_LABELS.items()), validate_choice=False)
    audience = SelectField(_l("Asked on"), choices=list(questions.AUDIENCE_LABELS.items()), validate_choice=False)
    choices = TextAreaField(_l("Choices"), description=_l("For one or several choices: one per line, each once "
                                                         "(at most 50)."))
    required = BooleanField(_l("People must answer it"))
    position = IntegerField(_l("Position"), validators=[Optional()], default=0,
                            description=_l("Questions are shown by position, lowest first."))
    criterion = SelectField(_l("Use in matching"), choices=[("", _l("No"))] + list(questions.CRITERION_LABELS.items()),
                            validate_choice=False,
                            description=_l("Only a one-choice question asked on both forms can steer the match."))
    weight = IntegerField(_l("Weight"), validators=[Optional()], default=10,
                          description=_l("Points a pair gains when it meets this criterion (0–100)."))

    def values(self) -> dict:
        return {name: self[name].data for name in
                ("label", "help", "kind", "audience", "choices", "required", "position", "criterion", "weight")}


def answer_form(question_list, values: dict[str, list[str]] | None = None):
    """A form with one field per question, named q<id>, showing `values` (a GET) or the post."""

    class AnswerForm(FlaskForm):
        pass

    for q in question_list:
        label = q.label if q.required else _("%(label)s (optional)", label=q.label)
        if q.kind == "text":
            f = StringField(label, description=q.help or None)
        elif q.kind == "one":
            f = RadioField(label, choices=[(c, c) for c in q.choices], validate_choice=False,
                           description=q.help or None)
        elif q.kind == "many":
            f = MultiCheckboxField(label, choices=[(c, c) for c in q.choices], validate_choice=False,
                                   description=q.help or None)
        else:
            f = RadioField(label, choices=[(str(n), str(n)) for n in range(1, 6)], validate_choice=False,
                           description=_("%(help)s 1 = least, 5 = most.", help=q.help) if q.help else _("1 = least, 5 = most."))
        setattr(AnswerForm, questions.field_name(q), f)
    form = AnswerForm() if values is None else AnswerForm(data={
        k: (v if _is_many(question_list, k) else (v[0] if v else None)) for k, v in values.items()})
    return form


def _is_many(question_list, name: str) -> bool:
    return any(questions.field_name(q) == name and q.kind == "many" for q in question_list)
