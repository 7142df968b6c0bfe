from flask_babel import lazy_gettext as _l
from flask_wtf import FlaskForm
from wtforms import RadioField, TextAreaField
from wtforms.validators import InputRequired, Length

from ..services import checkins


class CheckInForm(FlaskForm):
    score = RadioField(_l("How is it going?"), coerce=int, choices=list(checkins.SCORE_LABELS.items()),
                       validators=[InputRequired(_l("Choose a score from 1 to 5."))])
    comment = TextAreaField(_l("Anything to add? (optional)"), validators=[Length(max=checkins.MAX_COMMENT)],
                            description=_l("Only the program's coordinators read it."))
