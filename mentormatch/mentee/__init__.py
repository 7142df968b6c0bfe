"""The mentee's pages: the home page, the goal form and the pairings (routes.py), their forms
(forms.py), and the ordered topic picker shared with the mentor profile (picker.py).

The blueprint lives here; create_app imports `.routes`, which adds the views to it."""
from flask import Blueprint

bp = Blueprint("mentee", __name__)
