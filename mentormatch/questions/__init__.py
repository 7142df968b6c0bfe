"""A program's own questions (issue 17): the coordinator's list and form, and the page where a
mentee or mentor answers them. Rules about values live in services/questions.py.

The blueprint is made here; its views are attached in the module imported below."""
from flask import Blueprint

bp = Blueprint("questions", __name__)

from . import routes  # noqa: E402,F401  (registers the views on bp)
