"""Access cases for a program's own questions (issue 17). The question routes need a real
question for their owner check: tests/web/test_questions.py runs it (and edited ids) against one."""
from .cases import Case

COORDINATOR = dict(roles=("coordinator",), stranger=lambda w: w.other_coordinator)

CASES = {
    "questions.index": Case(url=lambda w: f"/coordinator/programs/{w.program.id}/questions",
                            owner=lambda w: w.coordinator, **COORDINATOR),
    "questions.edit": Case(url=lambda w: f"/coordinator/programs/{w.program.id}/questions/"
                           f"{getattr(w, 'question_id', 0)}", **COORDINATOR),
    "questions.delete": Case(url=lambda w: f"/coordinator/programs/{w.program.id}/questions/"
                             f"{getattr(w, 'question_id', 0)}/delete", method="POST", **COORDINATOR),
    "questions.answer": Case(url=lambda w: f"/programs/{w.program.id}/my-answers", roles=("mentee", "mentor"),
                             owner=lambda w: w.mentee, stranger=lambda w: w.other_mentee),
}
