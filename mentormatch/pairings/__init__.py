"""Round pairs after publication: the mentor's proposals, completing and continuing a pair; the
answer pages come from mentormatch/answers/ (views.register).

The blueprint is made here; its views are attached in the modules imported below."""
from flask import Blueprint

bp = Blueprint("pairings", __name__)

from . import routes  # noqa: E402,F401  (registers the views on bp)
