from flask_babel import lazy_gettext as _l
from flask_wtf import FlaskForm
from wtforms import DateField, HiddenField, RadioField, SelectField, StringField, TimeField, URLField
from wtforms.validators import InputRequired, Length, Optional

from ..core import fields
from ..services import meetings


class ProposeForm(FlaskForm):
    """Up to three times in the proposer's own zone; the service checks them (future, within 90
    days, not overlapping) and names the field at fault."""

    duration = SelectField(_l("How long"), coerce=int, default=30, validate_choice=False,  # the service names the rule
                           choices=[(15, _l("15 minutes")), (30, _l("30 minutes")), (60, _l("60 minutes"))],
                           validators=[InputRequired(_l("Choose 15, 30 or 60 minutes."))])
    slot1_date = DateField(_l("Date"), validators=[Optional()])
    slot1_time = TimeField(_l("Start"), validators=[Optional()])
    slot2_date = DateField(_l("Date"), validators=[Optional()])
    slot2_time = TimeField(_l("Start"), validators=[Optional()])
    slot3_date = DateField(_l("Date"), validators=[Optional()])
    slot3_time = TimeField(_l("Start"), validators=[Optional()])
    video_link = URLField(_l("Video link (optional)"), validators=[Optional(), Length(max=fields.MAX_VIDEO_LINK)],
                          description=_l("A Meet, Zoom or Jitsi link; it goes into the calendar invitation."),
                          render_kw={"placeholder": "https://"})

    def slots(self) -> list:
        return [(n, getattr(self, f"slot{n}_date").data, getattr(self, f"slot{n}_time").data) for n in (1, 2, 3)]


class PickForm(FlaskForm):
    slot_id = HiddenField(_l("Time"), validators=[InputRequired(_l("Pick one of the proposed times."))])


class CancelForm(FlaskForm):
    # What the page offered to call off: "times" (never booked) or "meeting" (services/meetings.cancel).
    seen = HiddenField()


class KeepForm(FlaskForm):
    """Turn down (or take back) new times for a booked meeting."""
    # The times the page showed (services/meetings.on_offer): keep_booking turns down only those.
    seen = HiddenField()


class MetForm(FlaskForm):
    answer = RadioField(_l("Did you meet?"), choices=list(meetings.MET_LABELS.items()),
                        validators=[InputRequired(_l("Choose yes, no or moved."))])
    note = StringField(_l("Anything to add? (one line, optional)"), validators=[Length(max=meetings.MAX_NOTE)])
