"""Data rights (issue 17): a person's own data (export, account deletion with a grace period) and
the coordinator's side (removing a member, co-coordinators, the audit log, ending a program).

The blueprint is made here; its views are attached in the module imported below."""
from flask import Blueprint

bp = Blueprint("data_rights", __name__)

from . import routes  # noqa: E402,F401  (registers the views on bp)
