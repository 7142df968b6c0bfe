"""Access cases for ending a pairing, its closing survey, and completing a round's pairings.

The shared world has no pairing or round, so the URLs read `w.pairing_id` / `w.round_id` when a
test has built them (tests/web/test_ending_access.py runs every case below against real ones, as
each role that may use it and as strangers); otherwise id 0, which still proves 403 for the wrong
roles and 404 for a stranger of the right role.
"""
from .cases import Case


def _ending(w, tail=""):
    return f"/pairings/{getattr(w, 'pairing_id', 0)}/{tail}"


def _round(w):
    return f"/coordinator/programs/{w.program.id}/rounds/{getattr(w, 'round_id', 0)}"


EITHER_OR_COORDINATOR = ("mentee", "mentor", "coordinator")

CASES = {
    "pairings.ending": Case(url=lambda w: _ending(w, "ending"), roles=EITHER_OR_COORDINATOR,
                            stranger=lambda w: w.other_coordinator),
    "pairings.end": Case(url=lambda w: _ending(w, "end"), method="POST", roles=EITHER_OR_COORDINATOR,
                         stranger=lambda w: w.other_mentee, data=lambda w: {"end-kind": "completed"}),
    "pairings.survey": Case(url=lambda w: _ending(w, "survey"), method="POST", roles=("mentee", "mentor"),
                            stranger=lambda w: w.other_mentor, data=lambda w: {"survey-recommend": "9"}),
    "rounds.complete_all": Case(url=lambda w: f"{_round(w)}/complete-all", roles=("coordinator",),
                                stranger=lambda w: w.other_coordinator),
}
