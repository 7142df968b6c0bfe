"""The coordinator's programs and people: programs, invite links, who filled in what, topic lists.

The blueprint is made here; its views are attached in the modules imported below."""
from flask import Blueprint

bp = Blueprint("coordinator", __name__)

from . import people, routes  # noqa: E402,F401  (registers the views on bp)
