"""A role as people read it: users.role and invitations hold the code ("mentee"), pages and
messages show the word in the reader's language."""
from flask_babel import pgettext

ROLES = ("mentee", "mentor", "coordinator")


def role_name(role: str) -> str:
    # A context of its own: "mentee" is also the singular of a counted plural elsewhere, and a catalog
    # holds one entry per (context, msgid).
    names = {"mentee": pgettext("role", "mentee"), "mentor": pgettext("role", "mentor"),
             "coordinator": pgettext("role", "coordinator")}
    return names.get(role, role)
