"""The mentor's pages: the home page, the profile and the mentees (routes.py), their forms (forms.py).

The blueprint lives here; create_app imports `.routes`, which adds the views to it."""
from flask import Blueprint

bp = Blueprint("mentor", __name__)
