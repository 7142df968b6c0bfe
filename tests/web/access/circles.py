"""Access cases for the circle page (issue 15, item 4). The shared world has no circle, so the
URLs read `w.circle_id` / `w.circle_meeting_id` when a test has built them (tests/web/test_circles_access.py
builds real ones and checks members, the program's coordinator, a stranger, another circle's member,
another program's coordinator and a member removed from the program); otherwise id 0, which still
proves 403 for wrong roles and 404 for a stranger."""
from .cases import Case

ALL = ("mentee", "mentor", "coordinator")
PEOPLE = ("mentee", "mentor")


def _circle(w):
    return f"/circles/{getattr(w, 'circle_id', 0)}"


def _meeting(w):
    return f"{_circle(w)}/meetings/{getattr(w, 'circle_meeting_id', 0)}"


CASES = {
    "circles.show": Case(url=_circle, roles=ALL, stranger=lambda w: w.other_mentee),
    "circles.poll": Case(url=lambda w: f"{_circle(w)}/messages", roles=ALL, stranger=lambda w: w.other_coordinator),
    "circles.post": Case(url=lambda w: f"{_circle(w)}/messages", method="POST", roles=PEOPLE,
                         data=lambda w: {"body": "hello"}, stranger=lambda w: w.other_mentor),
    "circles.propose": Case(url=lambda w: f"{_circle(w)}/meetings/propose", method="POST", roles=PEOPLE,
                            stranger=lambda w: w.other_mentee),
    "circles.pick": Case(url=lambda w: f"{_meeting(w)}/pick", method="POST", roles=PEOPLE,
                         stranger=lambda w: w.other_mentor),
    "circles.cancel": Case(url=lambda w: f"{_meeting(w)}/cancel", method="POST", roles=PEOPLE,
                           stranger=lambda w: w.other_mentee),
    "circles.keep": Case(url=lambda w: f"{_meeting(w)}/keep", method="POST", roles=PEOPLE,
                         stranger=lambda w: w.other_mentee),
    "circles.met": Case(url=lambda w: f"{_meeting(w)}/met", method="POST", roles=PEOPLE,
                        stranger=lambda w: w.other_mentor),
    "circles.invitation": Case(url=lambda w: f"{_meeting(w)}/invite.ics", roles=ALL,
                               stranger=lambda w: w.other_coordinator),
    "circles.leave": Case(url=lambda w: f"{_circle(w)}/leave", roles=PEOPLE, stranger=lambda w: w.other_mentee),
    "circles.end": Case(url=lambda w: f"{_circle(w)}/end", roles=("coordinator",),
                        stranger=lambda w: w.other_coordinator),
}
