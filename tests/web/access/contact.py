"""Access cases for "How to reach me" and the request form's vague-ask hint (issue 13). The page has no id in its URL: each person edits
their own channels, so there is no stranger case; tests/web/test_contact.py checks that the
channels reach only the other person of an accepted pairing or request."""
from .cases import Case

CASES = {
    "contact.edit": Case(url=lambda w: "/contact/", roles=("mentee", "mentor"),
                         owner=lambda w: w.mentee),
    # The vague-ask hint on the request form (issue 13, item 5): it reads only the posted text.
    "requests.hint": Case(url=lambda w: "/requests/hint", method="POST", roles=("mentee",),
                          owner=lambda w: w.mentee, data=lambda w: {"question": "Can you be my mentor?"}),
}
