"""Access cases for the threads of pairings and micro-requests (issue 13, messages).

The shared world has no pairing or request, so the URLs read `w.pairing_id` when a test has built
one (tests/web/test_threads_access.py runs every case below against real, accepted items: the two
people may, a stranger, the mentee's other mentor and the other program's coordinator get 404);
otherwise id 0, which still proves 403 for wrong roles and 404 for a stranger.
"""
from .cases import Case


def _thread(w):
    return f"/threads/pairing/{getattr(w, 'pairing_id', 0)}"


def _request_thread(w):
    return f"/threads/request/{getattr(w, 'request_id', 0)}"


EVERYONE = ("mentee", "mentor", "coordinator")

CASES = {
    "threads.show": Case(url=_thread, roles=EVERYONE, stranger=lambda w: w.other_mentee),
    "threads.poll": Case(url=lambda w: f"{_thread(w)}/messages?after=0", roles=EVERYONE,
                         stranger=lambda w: w.other_coordinator),
    "threads.post": Case(url=lambda w: f"{_thread(w)}/messages", method="POST", roles=("mentee", "mentor"),
                         stranger=lambda w: w.other_mentor, data=lambda w: {"body": "Hello there"}),
    "threads.quick_take": Case(url=lambda w: f"{_request_thread(w)}/quick-take", method="POST", roles=("mentor",),
                               stranger=lambda w: w.other_mentor, data=lambda w: {"body": "My quick take"}),
}
