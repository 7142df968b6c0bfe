"""Navigation per side: (endpoint, label). Endpoints that do not exist yet are skipped.

An account acts on the sides programs.sides_of gives: a coordinator's, or a mentee's, a mentor's,
or both (a mentor in one program who joined another as a mentee). Both: the two home pages and
the pages of each side, with labels that tell them apart.
"""
from flask import current_app, g
from flask_babel import lazy_gettext as _l
from flask_login import current_user

from .services import programs

NAV = {
    "coordinator": [("coordinator.home", _l("Programs")), ("health.index", _l("Health"))],
    "mentor": [("mentor.home", _l("Home")), ("pairings.proposals", _l("Proposals")), ("requests.inbox", _l("Requests")),
               ("contact.edit", _l("How to reach me"))],
    "mentee": [("mentee.home", _l("Home")), ("requests.mine", _l("Requests")), ("contact.edit", _l("How to reach me"))],
}
BOTH = [("mentee.home", _l("Mentee home")), ("requests.mine", _l("My requests")),
        ("mentor.home", _l("Mentor home")), ("pairings.proposals", _l("Proposals")),
        ("requests.inbox", _l("Requests to me")), ("contact.edit", _l("How to reach me"))]
COMMON = [("auth.change_password", _l("Password")), ("data_rights.account", _l("My data"))]


def sides() -> tuple[str, ...]:
    """The current user's sides, read once per request."""
    if not current_user.is_authenticated:
        return ()
    if "mm_sides" not in g:
        g.mm_sides = programs.sides_of(current_user)
    return g.mm_sides


def nav_links() -> list[tuple[str, str]]:
    mine = sides()
    if not mine:
        return []
    links = (BOTH if len(mine) == 2 else NAV.get(mine[0], [])) + COMMON
    return [(endpoint, label) for endpoint, label in links if endpoint in current_app.view_functions]
