"""The audit log's filters (a GET form: its values live in the URL, so a filtered view can be shared)."""
from flask_babel import lazy_gettext as _l
from flask_wtf import FlaskForm
from wtforms import DateField, SelectField
from wtforms.validators import Optional, ValidationError

from ..services.data_rights.audit import KINDS


class AuditFilterForm(FlaskForm):
    class Meta:
        csrf = False  # a GET form that changes nothing

    actor = SelectField(_l("Who"), coerce=str, default="", validate_choice=True)
    kind = SelectField(_l("What"), choices=[("", _l("Everything")), *KINDS.items()], default="")
    since = DateField(_l("From"), validators=[Optional()])
    until = DateField(_l("To"), validators=[Optional()])

    def validate_until(self, field) -> None:
        if field.data and self.since.data and field.data < self.since.data:
            raise ValidationError(_l("The end date is before the start date."))
