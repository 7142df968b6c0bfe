"""Answering a program invitation sent by a coordinator's import.

The blueprint is made here; its views are attached in the modules imported below."""
from flask import Blueprint

bp = Blueprint("invitations", __name__)

from . import routes  # noqa: E402,F401  (registers the views on bp)
