"""Shared form pieces."""
from flask import flash
from flask_babel import lazy_gettext as _l
from wtforms import EmailField, PasswordField, StringField
from wtforms.validators import DataRequired, Length, ValidationError

from .core import emails
from .core.security import MAX_PASSWORD
from .extensions import db
from .services import ServiceError


class ValidEmail:
    """The site's one email rule (services.emails), as a form validator."""

    def __call__(self, form, field) -> None:
        try:
            emails.checked(field.data or "")
        except ServiceError as error:
            raise ValidationError(error.message) from None


def email_field(label: str = _l("Email")) -> EmailField:
    return EmailField(label, validators=[DataRequired(_l("Enter your email.")), ValidEmail()])


def name_field(label: str = _l("Full name")) -> StringField:
    return StringField(label, validators=[DataRequired(_l("Enter your name.")),
                                          Length(max=120, message=_l("Keep it under %(max)d characters."))])


def new_password_field(label: str = _l("Password")) -> PasswordField:
    # Strength rules live in security.password_problem (run by the service) so CLI and web agree.
    return PasswordField(
        label,
        validators=[DataRequired(_l("Choose a password.")),
                    Length(max=MAX_PASSWORD, message=_l("Keep it under %(max)d characters."))],
        description=_l("At least 8 characters. A long phrase is easiest to remember."),
    )


def apply_service_error(form, error) -> None:
    """Show a service's refusal next to the field it names (or above the form)."""
    field = getattr(form, error.field, None) if error.field else None
    if field is not None:
        field.errors = list(field.errors) + [error.message]
    else:
        form.form_errors.append(error.message)


class Outcome:
    """What `submit` did: truthy when the action ran; `value` is what it returned."""

    def __init__(self, ok: bool, value=None):
        self.ok, self.value = ok, value

    def __bool__(self) -> bool:
        return self.ok


def attempt(action, done=None) -> bool:
    """Run a service action behind a button (no field to show a refusal beside): on success flash
    `done` (a message, or a function of what the action returned); a ServiceError rolls the session
    back and is flashed instead. With `submit`, the one way routes turn a refusal into a message."""
    try:
        value = action()
    except ServiceError as error:
        db.session.rollback()
        flash(error.message, "error")
        return False
    if done:
        flash(done(value) if callable(done) else done, "success")
    return True


def submit(form, action) -> Outcome:
    """Validate the form, then run the service action. A ServiceError rolls the session back and
    lands next to the field it names, so the page re-renders with everything the user typed."""
    if not form.validate_on_submit():
        return Outcome(False)
    try:
        return Outcome(True, action())
    except ServiceError as error:
        db.session.rollback()
        apply_service_error(form, error)
        return Outcome(False)
