"""Words the site stores once, in English, for every reader: the stand-in account's name (retention and
erasure hand a person's rows to "A former member") and the body of an erased message. Shown, they are the
reader's: `reader_words` in Python, and every template through i18n.install_reader_words."""
from flask_babel import gettext

from ..matching.explain import N_

FORMER_MEMBER = N_("A former member")
REMOVED_TEXT = N_("(removed)")  # a message body cannot be empty (a CHECK), so this stands in for it
ASK_REMOVED = N_("(question removed)")  # a question's body has a minimum length (a CHECK)
STORED_WORDS = frozenset((FORMER_MEMBER, REMOVED_TEXT, ASK_REMOVED))


def reader_words(value):
    """One of the STORED_WORDS in the current language; any other value as it is."""
    if isinstance(value, str) and value in STORED_WORDS:
        return gettext(str(value))
    return value
