"""Access cases for "ask the program" (issue 15, item 5). The shared world has no question, answer
or circle, so the URLs read `w.ask_id`, `w.answer_id` and `w.circle_id` when a test has built them
(tests/web/test_asks_access.py runs every case below against real rows: the owners may; a stranger,
a circle's non-member and the other program's coordinator get 404); otherwise id 0, which still
proves 403 for wrong roles and 404 for a stranger."""
from .cases import Case

EVERYONE = ("mentee", "mentor", "coordinator")


def _ask(w):
    return f"/asks/{getattr(w, 'ask_id', 0)}"


def _answer(w):
    return f"/asks/answers/{getattr(w, 'answer_id', 0)}"


CASES = {
    "asks.program": Case(url=lambda w: f"/asks/programs/{w.program.id}", roles=EVERYONE,
                         owner=lambda w: w.mentee, stranger=lambda w: w.other_coordinator),
    "asks.circle": Case(url=lambda w: f"/asks/circles/{getattr(w, 'circle_id', 0)}", roles=EVERYONE,
                        stranger=lambda w: w.other_mentee),
    "asks.new": Case(url=lambda w: f"/asks/programs/{w.program.id}/new", roles=("mentee",),
                     owner=lambda w: w.mentee, stranger=lambda w: w.other_mentee),
    "asks.hint": Case(url=lambda w: "/asks/hint", method="POST", roles=("mentee",), owner=lambda w: w.mentee,
                      data=lambda w: {"body": "Any advice?"}),
    "asks.settings": Case(url=lambda w: f"/asks/programs/{w.program.id}/settings", roles=("mentee", "mentor"),
                          owner=lambda w: w.mentor, stranger=lambda w: w.other_mentor),
    "asks.show": Case(url=_ask, roles=EVERYONE, stranger=lambda w: w.other_mentee),
    "asks.answer": Case(url=lambda w: f"{_ask(w)}/answers", method="POST", roles=("mentee", "mentor"),
                        stranger=lambda w: w.other_mentor, data=lambda w: {"body": "Try the second offer."}),
    "asks.close": Case(url=lambda w: f"{_ask(w)}/close", method="POST", roles=("mentee",),
                       stranger=lambda w: w.other_mentee),
    "asks.hide": Case(url=lambda w: f"{_ask(w)}/hide", method="POST", roles=("coordinator",),
                      stranger=lambda w: w.other_coordinator, data=lambda w: {"reason": "Off topic"}),
    "asks.unhide": Case(url=lambda w: f"{_ask(w)}/unhide", method="POST", roles=("coordinator",),
                        stranger=lambda w: w.other_coordinator),
    "asks.helpful": Case(url=lambda w: f"{_answer(w)}/helpful", method="POST", roles=("mentee",),
                         stranger=lambda w: w.other_mentee),
    "asks.thank": Case(url=lambda w: f"{_answer(w)}/thank", method="POST", roles=("mentee",),
                       stranger=lambda w: w.other_mentee),
    "asks.hide_answer": Case(url=lambda w: f"{_answer(w)}/hide", method="POST", roles=("coordinator",),
                             stranger=lambda w: w.other_coordinator, data=lambda w: {"reason": "Off topic"}),
    "asks.unhide_answer": Case(url=lambda w: f"{_answer(w)}/unhide", method="POST", roles=("coordinator",),
                               stranger=lambda w: w.other_coordinator),
}
