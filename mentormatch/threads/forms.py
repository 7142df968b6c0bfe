from flask_wtf import FlaskForm
from wtforms import TextAreaField
from wtforms.validators import InputRequired, Length

from ..models import MAX_MESSAGE


class MessageForm(FlaskForm):
    # Only the text: the thread, the author and the time come from the URL, the session and the clock.
    body = TextAreaField("Your message", validators=[
        InputRequired("Write a message first."),
        Length(max=MAX_MESSAGE, message=f"Keep a message under {MAX_MESSAGE} characters.")],
        description=f"Plain text; links work. Up to {MAX_MESSAGE} characters.")
