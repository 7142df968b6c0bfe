from flask_wtf import FlaskForm
from wtforms import HiddenField, PasswordField, RadioField
from wtforms.validators import DataRequired

from ..forms import email_field, name_field, new_password_field


class SignupForm(FlaskForm):
    # No name or password here: both are chosen on the mailed link's page (FinishSignupForm).
    email = email_field()
    role = RadioField(
        "I am joining as",
        choices=[("mentee", "A mentee: I want guidance"), ("mentor", "A mentor: I want to help")],
        default="mentee",
        validators=[DataRequired("Choose mentee or mentor.")],
    )
    invite = HiddenField()


class FinishSignupForm(FlaskForm):
    name = name_field()
    password = new_password_field()


class LoginForm(FlaskForm):
    email = email_field()
    password = PasswordField("Password", validators=[DataRequired("Enter your password.")])


class ChangePasswordForm(FlaskForm):
    current_password = PasswordField("Current password", validators=[DataRequired("Enter your current password.")])
    new_password = new_password_field("New password")


class CoordinatorInviteAcceptForm(FlaskForm):
    name = name_field()
    password = new_password_field()


class ResetRequestForm(FlaskForm):
    email = email_field()


class ResetPasswordForm(FlaskForm):
    password = new_password_field("New password")


class SsoFinishForm(FlaskForm):
    """A first sign-in through a provider: the name to show and, without an invite, the role."""
    name = name_field()
    role = RadioField(
        "I am joining as",
        choices=[("mentee", "A mentee: I want guidance"), ("mentor", "A mentor: I want to help")],
        validators=[DataRequired("Choose mentee or mentor.")],
    )
