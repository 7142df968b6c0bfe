"""Access cases for answering a program invitation (sent by a CSV import).

Any logged-in account may open the URL, but only the invited one sees its invitation: for
everyone else it is a 404. tests/web/test_csv_import.py builds real invitations and checks the
invited person, strangers of every role and anonymous visitors.
"""
from .cases import Case

CASES = {
    "invitations.answer": Case(url=lambda w: f"/invitations/{getattr(w, 'invitation_token', 'no-such-token')}",
                               roles=("mentee", "mentor", "coordinator"), stranger=lambda w: w.other_mentee),
}
