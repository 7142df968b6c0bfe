"""The circle page's forms: the thread's and the meetings' are theirs (threads/forms.py,
meetings/forms.py); leaving and ending are a confirmed button each."""
from flask_wtf import FlaskForm


class ConfirmForm(FlaskForm):
    pass
