"""Access cases for "How to reach me" and the request form's vague-ask hint and the
mentor's note from a request page (issue 13). The page has no id in its URL: each person edits
their own channels, so there is no stranger case; tests/web/test_contact.py checks that the
channels reach only the other person of an accepted pairing or request."""
from .cases import Case

CASES = {
    "contact.edit": Case(url=lambda w: "/contact/", roles=("mentee", "mentor"),
                         owner=lambda w: w.mentee),
    # The vague-ask hint on the request form (issue 13, item 5): it reads only the posted text.
    "requests.hint": Case(url=lambda w: "/requests/hint", method="POST", roles=("mentee",),
                          owner=lambda w: w.mentee, data=lambda w: {"question": "Can you be my mentor?"}),
    # The mentor's private note from a micro-request's page (issue 13, item 4); tests/web/
    # test_contact_goals.py runs the owner and stranger checks against a real request.
    "requests.save_note": Case(url=lambda w: f"/requests/{getattr(w, 'request_id', 0)}/note", method="POST",
                               roles=("mentor",), stranger=lambda w: w.other_mentor,
                               data=lambda w: {"body": "A private note"}),
}
