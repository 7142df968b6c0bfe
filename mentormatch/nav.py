"""Navigation per role: (endpoint, label). Endpoints that do not exist yet are skipped."""
from flask import current_app
from flask_babel import lazy_gettext as _l
from flask_login import current_user

NAV = {
    "coordinator": [("coordinator.home", _l("Programs")), ("health.index", _l("Health"))],
    "mentor": [("mentor.home", _l("Home")), ("pairings.proposals", _l("Proposals")), ("requests.inbox", _l("Requests")),
               ("contact.edit", _l("How to reach me"))],
    "mentee": [("mentee.home", _l("Home")), ("requests.mine", _l("Requests")), ("contact.edit", _l("How to reach me"))],
}
COMMON = [("auth.change_password", _l("Password")), ("data_rights.account", _l("My data"))]


def nav_links() -> list[tuple[str, str]]:
    if not current_user.is_authenticated:
        return []
    links = NAV.get(current_user.role, []) + COMMON
    return [(endpoint, label) for endpoint, label in links if endpoint in current_app.view_functions]

