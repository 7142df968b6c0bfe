"""Pages anyone can open: the landing page, joining by invite link, the health probe.

The blueprint is made here; its views are attached in the modules imported below."""
from flask import Blueprint

bp = Blueprint("public", __name__)

from . import routes  # noqa: E402,F401  (registers the views on bp)
