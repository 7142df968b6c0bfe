"""Accounts: sign-up, log-in and log-out, password change and reset, coordinator invitations.

The blueprint is made here; its views are attached in the modules imported below."""
from flask import Blueprint

bp = Blueprint("auth", __name__)

from . import routes  # noqa: E402,F401  (registers the views on bp)
