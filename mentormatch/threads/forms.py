from flask_babel import lazy_gettext as _l
from flask_wtf import FlaskForm
from wtforms import TextAreaField
from wtforms.validators import InputRequired, Length

from ..models import MAX_MESSAGE


class MessageForm(FlaskForm):
    # Only the text: the thread, the author and the time come from the URL, the session and the clock.
    body = TextAreaField(_l("Your message"), validators=[
        InputRequired(_l("Write a message first.")),
        Length(max=MAX_MESSAGE, message=_l("Keep a message under %(max)d characters.", max=MAX_MESSAGE))],
        description=_l("Plain text; links work. Up to %(max)d characters.", max=MAX_MESSAGE))
