"""A role as people read it: users.role and invitations hold the code ("mentee"), pages and
messages show the word in the reader's language."""
from flask_babel import lazy_gettext as _l

ROLE_NAMES = {"mentee": _l("mentee"), "mentor": _l("mentor"), "coordinator": _l("coordinator")}


def role_name(role: str) -> str:
    return ROLE_NAMES.get(role, role)
