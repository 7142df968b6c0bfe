"""Meetings of an accepted pair: proposed slots, the booked meeting, its invitation, "did you meet?".

The blueprint is made here; its views are attached in the modules imported below."""
from flask import Blueprint

bp = Blueprint("meetings", __name__)

from . import routes  # noqa: E402,F401  (registers the views on bp)
