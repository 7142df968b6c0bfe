"""Access cases for issue 14's release and micro -> macro routes.

The shared world has no request, so the URL reads `w.request_id` when a test built one
(tests/web/test_micro_macro.py runs the owner and stranger checks against a real done request);
otherwise id 0, which still proves 403 for the wrong roles and 404 for a stranger.
"""
from .cases import Case


def _ongoing(w):
    return f"/requests/{getattr(w, 'request_id', 0)}/ongoing"


CASES = {
    "requests.ask_ongoing": Case(url=_ongoing, method="POST", roles=("mentee",), stranger=lambda w: w.other_mentee,
                                 data=lambda w: {"hope": "Growing into a tech lead over the next six months."}),
}
