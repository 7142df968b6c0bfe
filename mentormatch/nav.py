"""Navigation per role: (endpoint, label). Endpoints that do not exist yet are skipped."""
from flask import current_app
from flask_login import current_user

NAV = {
    "coordinator": [("coordinator.home", "Programs"), ("health.index", "Health")],
    "mentor": [("mentor.home", "Home"), ("pairings.proposals", "Proposals"), ("requests.inbox", "Requests"),
               ("contact.edit", "How to reach me")],
    "mentee": [("mentee.home", "Home"), ("requests.mine", "Requests"), ("contact.edit", "How to reach me")],
}
COMMON = [("auth.change_password", "Password"), ("data_rights.account", "My data")]


def nav_links() -> list[tuple[str, str]]:
    if not current_user.is_authenticated:
        return []
    links = NAV.get(current_user.role, []) + COMMON
    return [(endpoint, label) for endpoint, label in links if endpoint in current_app.view_functions]
