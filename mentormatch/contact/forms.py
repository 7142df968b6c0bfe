"""The contact form: only the person's own channels and show switches; whose row it is comes from
the session, never from the form. Value rules live in services/contact.py."""
from flask_wtf import FlaskForm
from wtforms import BooleanField, SelectField, StringField
from wtforms.validators import Length

from ..models import CHAT_SERVICE_LABELS, CHAT_SERVICES

SHOW = "Show to my accepted matches"


class ContactForm(FlaskForm):
    video_url = StringField("Video-call link", validators=[Length(max=300)],
                            description="Optional. Your personal meeting room, https:// only "
                                        "(for example https://meet.jit.si/your-room).")
    show_video = BooleanField(SHOW)
    chat_service = SelectField("Chat service", choices=[("", "Choose a service")] + [
        (s, CHAT_SERVICE_LABELS[s] if s != "other" else "Other") for s in CHAT_SERVICES], validate_choice=False)
    chat_handle = StringField("Chat handle", validators=[Length(max=100)],
                              description="Optional. How they find you there, e.g. @mira or @mira:matrix.org.")
    show_chat = BooleanField(SHOW)
    phone = StringField("Phone number", validators=[Length(max=32)],
                        description="Optional. With the country code, e.g. +44 20 7946 0958.")
    show_phone = BooleanField(SHOW)
