"""The mentee's pages: the home page, the goal form and the pairings (routes.py), their forms
(forms.py), and the ordered topic picker shared with the mentor profile (picker.py).

The blueprint is made here; its views are attached in the modules imported below."""
from flask import Blueprint

bp = Blueprint("mentee", __name__)

from . import routes  # noqa: E402,F401  (registers the views on bp)
