"""The mentor's pages: the home page, the profile and the mentees (routes.py), their forms (forms.py).

The blueprint is made here; its views are attached in the modules imported below."""
from flask import Blueprint

bp = Blueprint("mentor", __name__)

from . import routes  # noqa: E402,F401  (registers the views on bp)
