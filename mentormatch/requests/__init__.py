"""Micro-requests: the mentor directory, sending, editing, withdrawing and following up; the
answer pages come from mentormatch/answers/ (views.register).

The blueprint is made here; its views are attached in the modules imported below."""
from flask import Blueprint

bp = Blueprint("requests", __name__)

from . import routes  # noqa: E402,F401  (registers the views on bp)
