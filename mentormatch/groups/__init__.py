"""A circle's page (a peer pair or a peer circle): its members, its shared thread and its meetings,
leaving it (a member) and ending it (a coordinator). The Blueprint is named "circles" (endpoint
circles.show at /circles/<id>); the package is not `mentormatch.circles`, which is the pure
`python -m mentormatch.circles` command line.

The blueprint is made here; its views are attached in the modules imported below."""
from flask import Blueprint

bp = Blueprint("circles", __name__)

from . import routes  # noqa: E402,F401  (registers the views on bp)
