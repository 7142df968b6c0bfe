from flask_wtf import FlaskForm


class JoinForm(FlaskForm):
    """Joining a program by invite link: one button; the form carries the CSRF token."""
