"""Access cases for the pairing lifecycle, micro-requests and program health.

The shared world has no pairing or request, so object URLs read `w.pairing_id` / `w.request_id`
when a test has built them (tests/web/test_lifecycle_access.py builds real ones and runs the
owner and stranger checks of every case below against them); otherwise id 0, which still
proves 403 for wrong roles and 404 for a stranger.
"""
from .cases import Case


def _pairing(w):
    return f"/pairings/{getattr(w, 'pairing_id', 0)}"


def _request(w):
    return f"/requests/{getattr(w, 'request_id', 0)}"


def _mentor_membership(w):
    return w.program.memberships[w.mentor.id]


MENTEE = dict(roles=("mentee",), owner=lambda w: w.mentee, stranger=lambda w: w.other_mentee)
MENTOR = dict(roles=("mentor",), owner=lambda w: w.mentor)
COORDINATOR = dict(roles=("coordinator",), owner=lambda w: w.coordinator, stranger=lambda w: w.other_coordinator)

OBJECT_CASES = {
    "pairings.accept": Case(url=lambda w: f"{_pairing(w)}/accept", method="POST", roles=("mentor",),
                            stranger=lambda w: w.other_mentor),
    "pairings.decline": Case(url=lambda w: f"{_pairing(w)}/decline", roles=("mentor",), stranger=lambda w: w.other_mentor),
    "pairings.complete": Case(url=lambda w: f"{_pairing(w)}/complete", method="POST", roles=("mentor",),
                              stranger=lambda w: w.other_mentor),
    "requests.show": Case(url=_request, roles=("mentee", "mentor"), stranger=lambda w: w.other_mentee),
    "requests.accept": Case(url=lambda w: f"{_request(w)}/accept", method="POST", roles=("mentor",),
                            stranger=lambda w: w.other_mentor),
    "requests.decline": Case(url=lambda w: f"{_request(w)}/decline", roles=("mentor",), stranger=lambda w: w.other_mentor),
    "requests.cancel": Case(url=lambda w: f"{_request(w)}/cancel", method="POST", roles=("mentee",),
                            stranger=lambda w: w.other_mentee),
    "requests.done": Case(url=lambda w: f"{_request(w)}/done", method="POST", roles=("mentee", "mentor"),
                          stranger=lambda w: w.other_mentor),
    "requests.withdraw_others": Case(url=lambda w: f"{_request(w)}/withdraw-others", method="POST", roles=("mentee",),
                                     stranger=lambda w: w.other_mentee),
    "requests.followup": Case(url=lambda w: f"{_request(w)}/followup", roles=("mentee",), stranger=lambda w: w.other_mentee),
}
# Which user owns each object route once the objects exist.
OBJECT_OWNERS = {
    "pairings.accept": "mentor", "pairings.decline": "mentor", "pairings.complete": "mentor",
    "requests.show": "mentee", "requests.accept": "mentor",
    "requests.decline": "mentor", "requests.cancel": "mentee", "requests.done": "mentor",
    "requests.withdraw_others": "mentee", "requests.followup": "mentee",
}

CASES = {
    "pairings.proposals": Case(url=lambda w: "/pairings/", **MENTOR),
    "requests.mine": Case(url=lambda w: "/requests/", roles=("mentee",), owner=lambda w: w.mentee),
    "requests.inbox": Case(url=lambda w: "/requests/inbox", **MENTOR),
    "requests.directory": Case(url=lambda w: f"/requests/programs/{w.program.id}/mentors", **MENTEE),
    "requests.new": Case(url=lambda w: f"/requests/programs/{w.program.id}/mentors/{_mentor_membership(w)}/ask", **MENTEE),
    "health.index": Case(url=lambda w: "/coordinator/health", roles=("coordinator",), owner=lambda w: w.coordinator),
    "health.program": Case(url=lambda w: f"/coordinator/programs/{w.program.id}/health", **COORDINATOR),
    "health.nudge": Case(url=lambda w: f"/coordinator/programs/{w.program.id}/mentors/{_mentor_membership(w)}/nudge",
                         method="POST", roles=("coordinator",), stranger=lambda w: w.other_coordinator),
    "health.mark_unavailable": Case(
        url=lambda w: f"/coordinator/programs/{w.program.id}/mentors/{_mentor_membership(w)}/unavailable",
        method="POST", roles=("coordinator",), stranger=lambda w: w.other_coordinator),
    "health.mail": Case(url=lambda w: f"/coordinator/programs/{w.program.id}/mail", **COORDINATOR),
    "health.retry_mail": Case(url=lambda w: f"/coordinator/programs/{w.program.id}/mail/retry", method="POST",
                              **COORDINATOR),
    **OBJECT_CASES,
}
