"""Goal steps: the mentee plans and ticks off steps of their near-term goal.

The blueprint is made here; its views are attached in the modules imported below."""
from flask import Blueprint

bp = Blueprint("steps", __name__)

from . import routes  # noqa: E402,F401  (registers the views on bp)
