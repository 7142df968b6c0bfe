"""The context fields mentees and mentors share: topics, experience, background, languages, zone."""
from flask_babel import gettext as _

from ...core import fields, reference
from ...models import ROLE_LEVELS
from .vocabulary import checked_terms

YEARS_MOST = 60


def context_checks(program_id: int, *, topics_most: int) -> dict:
    """One check per shared field, each returning the clean value."""
    return {
        "topics": lambda d: checked_terms(program_id, "topic", d.get("topics"), "topics", most=topics_most, least=1),
        "years": lambda d: fields.whole_number(d.get("years"), "years", 0, YEARS_MOST, "years of experience"),
        "role_level": lambda d: fields.choice(d.get("role_level"), ROLE_LEVELS, "role_level", _("Choose your current level.")),
        "industry": lambda d: fields.text(d.get("industry"), "industry", most=80),
        "groups": lambda d: checked_terms(program_id, "group", d.get("groups"), "groups"),
        "background": lambda d: fields.text(d.get("background"), "background", most=200),
        "location": lambda d: fields.text(d.get("location"), "location", most=80),
        "languages": lambda d: fields.subset(d.get("languages"), reference.LANGUAGE_CODES, "languages")
        or fields.fail(_("Pick at least one language you can talk in."), "languages"),
        "timezone": lambda d: fields.zone(d.get("timezone")),
    }
