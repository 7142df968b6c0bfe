"""Access cases for meetings (issue 13). The shared world has no meeting, so the URLs read
`w.meeting_id` / `w.pairing_id` when a test has built them (tests/web/test_meetings_access.py
builds real ones and checks the two people, the program's coordinator, the mentee's other mentor,
the other program's coordinator and strangers); otherwise id 0, which still proves 403 for wrong
roles and 404 for a stranger."""
from .cases import Case


def _meeting(w):
    return f"/meetings/{getattr(w, 'meeting_id', 0)}"


CASES = {
    "meetings.show": Case(url=_meeting, roles=("mentee", "mentor", "coordinator"), stranger=lambda w: w.other_mentee),
    "meetings.invitation": Case(url=lambda w: f"{_meeting(w)}/invite.ics", roles=("mentee", "mentor", "coordinator"),
                                stranger=lambda w: w.other_coordinator),
    "meetings.propose": Case(url=lambda w: f"/meetings/pairings/{getattr(w, 'pairing_id', 0)}/propose", method="POST",
                             roles=("mentee", "mentor"), stranger=lambda w: w.other_mentee),
    "meetings.pick": Case(url=lambda w: f"{_meeting(w)}/pick", method="POST", roles=("mentee", "mentor"),
                          stranger=lambda w: w.other_mentor),
    "meetings.cancel": Case(url=lambda w: f"{_meeting(w)}/cancel", method="POST", roles=("mentee", "mentor"),
                            stranger=lambda w: w.other_mentee),
    "meetings.keep": Case(url=lambda w: f"{_meeting(w)}/keep", method="POST", roles=("mentee", "mentor"),
                          stranger=lambda w: w.other_mentee),
    "meetings.met": Case(url=lambda w: f"{_meeting(w)}/met", method="POST", roles=("mentee", "mentor"),
                         stranger=lambda w: w.other_mentor),
}
