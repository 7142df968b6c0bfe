"""The conversation between the two people of an accepted pairing or micro-request: its panel on
the pair's pages (together.py), posting, the poll that shows new messages, the quick take.

The blueprint is made here; its views are attached in the modules imported below."""
from flask import Blueprint

bp = Blueprint("threads", __name__)

from . import routes  # noqa: E402,F401  (registers the views on bp)
