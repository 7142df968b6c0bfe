"""How to reach me (issue 13): each person's contact channels, shown to their accepted matches
only (services/contact.py decides who sees what; together.py puts them on the pair pages).

The blueprint is made here; its views are attached in the module imported below."""
from flask import Blueprint

bp = Blueprint("contact", __name__)

from . import routes  # noqa: E402,F401  (registers the views on bp)
