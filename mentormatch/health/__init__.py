"""Program health for coordinators: figures, silent mentors, reports, the mail outbox.

The blueprint is made here; its views are attached in the modules imported below."""
from flask import Blueprint

bp = Blueprint("health", __name__)

from . import routes  # noqa: E402,F401  (registers the views on bp)
