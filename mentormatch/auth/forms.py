from flask_babel import lazy_gettext as _l
from flask_wtf import FlaskForm
from wtforms import HiddenField, PasswordField, RadioField
from wtforms.validators import DataRequired

from ..forms import email_field, name_field, new_password_field


class SignupForm(FlaskForm):
    # No name or password here: both are chosen on the mailed link's page (FinishSignupForm).
    email = email_field()
    role = RadioField(
        _l("I am joining as"),
        choices=[("mentee", _l("A mentee: I want guidance")), ("mentor", _l("A mentor: I want to help"))],
        default="mentee",
        validators=[DataRequired(_l("Choose mentee or mentor."))],
    )
    invite = HiddenField()


class FinishSignupForm(FlaskForm):
    name = name_field()
    password = new_password_field()


class LoginForm(FlaskForm):
    email = email_field()
    password = PasswordField(_l("Password"), validators=[DataRequired(_l("Enter your password."))])


class ChangePasswordForm(FlaskForm):
    current_password = PasswordField(_l("Current password"),
                                     validators=[DataRequired(_l("Enter your current password."))])
    new_password = new_password_field(_l("New password"))


class CoordinatorInviteAcceptForm(FlaskForm):
    name = name_field()
    password = new_password_field()


class ResetRequestForm(FlaskForm):
    email = email_field()


class ResetPasswordForm(FlaskForm):
    password = new_password_field(_l("New password"))


class SsoFinishForm(FlaskForm):
    """A first sign-in through a provider: the name to show and, without an invite, the role."""
    name = name_field()
    role = RadioField(
        _l("I am joining as"),
        choices=[("mentee", _l("A mentee: I want guidance")), ("mentor", _l("A mentor: I want to help"))],
        validators=[DataRequired(_l("Choose mentee or mentor."))],
    )
