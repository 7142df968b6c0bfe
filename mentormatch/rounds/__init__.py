"""Match rounds for coordinators: create, run, review, edit, compare, approve; CSV import.

The blueprint lives here; routes.py attaches the views, forms.py has the forms, commands.py the
`flask solve` and `flask import` commands. The use cases are in services/rounds/."""
from flask import Blueprint

bp = Blueprint("rounds", __name__)

from . import routes  # noqa: E402,F401  (registers the views on bp)
