"""The contact form: only the person's own channels and show switches; whose row it is comes from
the session, never from the form. Value rules live in services/contact.py."""
from flask_babel import lazy_gettext as _l
from flask_wtf import FlaskForm
from wtforms import BooleanField, SelectField, StringField
from wtforms.validators import Length

from ..models import CHAT_SERVICE_LABELS, CHAT_SERVICES

SHOW = _l("Show to my accepted matches")
TOO_LONG = _l("Keep it under %(max)d characters.")


class ContactForm(FlaskForm):
    video_url = StringField(_l("Video-call link"), validators=[Length(max=300, message=TOO_LONG)],
                            description=_l("Optional. Your personal meeting room, https:// only "
                                           "(for example https://meet.jit.si/your-room)."))
    show_video = BooleanField(SHOW)
    chat_service = SelectField(_l("Chat service"), choices=[("", _l("Choose a service"))] + [
        (s, CHAT_SERVICE_LABELS[s] if s != "other" else _l("Other")) for s in CHAT_SERVICES], validate_choice=False)
    chat_handle = StringField(_l("Chat handle"), validators=[Length(max=100, message=TOO_LONG)],
                              description=_l("Optional. How they find you there, e.g. @mira or @mira:matrix.org."))
    show_chat = BooleanField(SHOW)
    phone = StringField(_l("Phone number"), validators=[Length(max=32, message=TOO_LONG)],
                        description=_l("Optional. With the country code, e.g. +44 20 7946 0958."))
    show_phone = BooleanField(SHOW)
