"""Check-ins 30 and 60 days into a pairing.

The blueprint is made here; its views are attached in the modules imported below."""
from flask import Blueprint

bp = Blueprint("checkins", __name__)

from . import routes  # noqa: E402,F401  (registers the views on bp)
