from flask_wtf import FlaskForm


class AnswerForm(FlaskForm):
    """Accept or decline: the pressed button's `answer` value says which; the form carries the CSRF token."""
