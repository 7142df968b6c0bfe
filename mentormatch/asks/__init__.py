"""Ask the program (issue 15, item 5): the program's and a circle's questions, asking, the
question page with its answers, helpful marks and thanks, closing, a coordinator's hide, and the
helper's opt-in. The blueprint is made here; its views are attached in routes.py."""
from flask import Blueprint

bp = Blueprint("asks", __name__)

from . import routes  # noqa: E402,F401  (registers the views on bp)
