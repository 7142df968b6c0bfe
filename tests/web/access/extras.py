"""Access cases for the issue-8 features: ask for info, answer from email, reports, edit/undo,
continuity, check-ins, goal steps, fairness and coverage/quality, mentor approval.

Object URLs read ids the test world may carry (tests/web/test_ask_info.py builds real
objects and runs the owner and stranger checks of OBJECT_CASES against them); otherwise id 0,
which still proves 403 for wrong roles and 404 for a stranger.
"""
from .cases import Case


def _pairing(w):
    return f"/pairings/{getattr(w, 'pairing_id', 0)}"


def _request(w):
    return f"/requests/{getattr(w, 'request_id', 0)}"


def _round(w):
    return f"/coordinator/programs/{w.program.id}/rounds/{getattr(w, 'round_id', 0)}"


def _mid(w, user):
    return w.program.memberships[user.id]


OBJECT_CASES = {
    "pairings.ask_info": Case(url=lambda w: f"{_pairing(w)}/ask", roles=("mentor",), stranger=lambda w: w.other_mentor),
    "pairings.info": Case(url=lambda w: f"{_pairing(w)}/info", roles=("mentee",), stranger=lambda w: w.other_mentee),
    "pairings.report": Case(url=lambda w: f"{_pairing(w)}/report", roles=("mentee",), stranger=lambda w: w.other_mentee),
    "pairings.continue_pair": Case(url=lambda w: f"{_pairing(w)}/continue", method="POST", roles=("mentee", "mentor"),
                                   stranger=lambda w: w.other_mentee, data=lambda w: {"wants": "yes"}),
    "requests.ask_info": Case(url=lambda w: f"{_request(w)}/ask", roles=("mentor",), stranger=lambda w: w.other_mentor),
    "requests.answer_info": Case(url=lambda w: f"{_request(w)}/answer", roles=("mentee",),
                                 stranger=lambda w: w.other_mentee),
    "requests.edit": Case(url=lambda w: f"{_request(w)}/edit", roles=("mentee",), stranger=lambda w: w.other_mentee),
    "requests.undo_cancel": Case(url=lambda w: f"{_request(w)}/undo", method="POST", roles=("mentee",),
                                 stranger=lambda w: w.other_mentee),
    "requests.report": Case(url=lambda w: f"{_request(w)}/report", roles=("mentee",), stranger=lambda w: w.other_mentee),
    "checkins.answer": Case(url=lambda w: f"/checkins/{getattr(w, 'checkin_id', 0)}", roles=("mentee", "mentor"),
                            stranger=lambda w: w.other_mentee),
    "steps.toggle": Case(url=lambda w: f"/steps/{getattr(w, 'step_id', 0)}/toggle", method="POST", roles=("mentee",),
                         stranger=lambda w: w.other_mentee, data=lambda w: {"done": "yes"}),
    "steps.delete": Case(url=lambda w: f"/steps/{getattr(w, 'step_id', 0)}/delete", method="POST", roles=("mentee",),
                         stranger=lambda w: w.other_mentee),
    "health.resolve_report": Case(
        url=lambda w: f"/coordinator/programs/{w.program.id}/reports/{getattr(w, 'report_id', 0)}/resolve",
        method="POST", roles=("coordinator",), stranger=lambda w: w.other_coordinator),
    "rounds.objectives": Case(url=lambda w: f"{_round(w)}/objectives", roles=("coordinator",),
                              stranger=lambda w: w.other_coordinator),
    "rounds.set_objective": Case(url=lambda w: f"{_round(w)}/objective", method="POST", roles=("coordinator",),
                                 stranger=lambda w: w.other_coordinator, data=lambda w: {"objective": "quality"}),
    "rounds.set_priority": Case(url=lambda w: f"{_round(w)}/priorities/{_mid(w, w.mentee)}", roles=("coordinator",),
                                stranger=lambda w: w.other_coordinator),
}
# Which user owns each object route once the objects exist.
OBJECT_OWNERS = {
    "pairings.ask_info": "mentor", "pairings.info": "mentee", "pairings.report": "mentee",
    "pairings.continue_pair": "mentee", "requests.ask_info": "mentor", "requests.answer_info": "mentee",
    "requests.edit": "mentee", "requests.undo_cancel": "mentee", "requests.report": "mentee",
    "checkins.answer": "mentee", "steps.toggle": "mentee", "steps.delete": "mentee",
    "health.resolve_report": "coordinator", "rounds.objectives": "coordinator",
    "rounds.set_objective": "coordinator", "rounds.set_priority": "coordinator",
}

CASES = {
    # Public on purpose: the signed token is the credential. A made-up token gets the 400 page.
    "pairings.email_action": Case(url=lambda w: "/pairings/by-email/not-a-token", ok=(400,)),
    "checkins.program": Case(url=lambda w: f"/checkins/programs/{w.program.id}", roles=("coordinator",),
                             owner=lambda w: w.coordinator, stranger=lambda w: w.other_coordinator),
    "steps.index": Case(url=lambda w: f"/steps/programs/{w.program.id}", roles=("mentee",), owner=lambda w: w.mentee,
                        stranger=lambda w: w.other_mentee),
    "health.approve_mentor": Case(
        url=lambda w: f"/coordinator/programs/{w.program.id}/mentors/{_mid(w, w.mentor)}/approve", method="POST",
        roles=("coordinator",), owner=lambda w: w.coordinator, stranger=lambda w: w.other_coordinator),
    **OBJECT_CASES,
}
