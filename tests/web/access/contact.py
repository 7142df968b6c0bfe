"""Access cases for "How to reach me" (issue 13). The page has no id in its URL: each person edits
their own channels, so there is no stranger case; tests/web/test_contact.py checks that the
channels reach only the other person of an accepted pairing or request."""
from .cases import Case

CASES = {
    "contact.edit": Case(url=lambda w: "/contact/", roles=("mentee", "mentor"),
                         owner=lambda w: w.mentee),
}
