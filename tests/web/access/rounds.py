"""Access cases for match rounds and CSV import.

The shared test world has no round, so round URLs read `w.round_id` etc. when a test has set
them (tests/web/test_rounds_access.py builds a real round and checks owner and stranger on
every one of these routes); otherwise id 0, which still proves 403 for wrong roles and 404
for a stranger coordinator.
"""
from .cases import Case

C = ("coordinator",)


def _p(w):
    return f"/coordinator/programs/{w.program.id}"


def _r(w):
    return f"{_p(w)}/rounds/{getattr(w, 'round_id', 0)}"


def _run(w):
    return f"{_r(w)}/runs/{getattr(w, 'run_id', 0)}"


def _pair(w):
    return f"{_r(w)}/pairs/{getattr(w, 'pair_id', 0)}"


def _owner(w):
    return w.coordinator


def _stranger(w):
    return w.other_coordinator


def _round_owner(w):
    # Only a test that built a real round can expect success.
    return w.coordinator if hasattr(w, "round_id") else None


def case(url, method="GET", data=lambda w: {}, program_level=False):
    return Case(url=url, method=method, roles=C, owner=_owner if program_level else None, stranger=_stranger, data=data)


CASES = {
    "rounds.index": case(lambda w: f"{_p(w)}/rounds", program_level=True),
    "rounds.new": case(lambda w: f"{_p(w)}/rounds/new", program_level=True),
    "rounds.import_people": case(lambda w: f"{_p(w)}/import", program_level=True),
    # tests/web/test_csv_import.py opens a real job as its coordinator and as another one.
    "rounds.import_job": case(lambda w: f"{_p(w)}/imports/{getattr(w, 'import_job_id', 0)}"),
    "rounds.show": case(_r),
    "rounds.settings": case(lambda w: f"{_r(w)}/settings"),
    "rounds.run": case(lambda w: f"{_r(w)}/run", "POST"),
    "rounds.progress": case(lambda w: f"{_run(w)}/progress"),
    "rounds.cancel": case(lambda w: f"{_run(w)}/cancel", "POST"),
    "rounds.pairs": case(lambda w: f"{_r(w)}/pairs"),
    "rounds.add_constraint": case(lambda w: f"{_r(w)}/constraints", "POST",
                                  data=lambda w: {"mentee_email": w.mentee.email, "mentor_email": w.mentor.email,
                                                  "kind": "forbid"}),
    "rounds.remove_constraint": case(lambda w: f"{_r(w)}/constraints/{getattr(w, 'constraint_id', 0)}/delete", "POST"),
    "rounds.pair_action": case(lambda w: f"{_pair(w)}/lock", "POST"),
    "rounds.swap": case(lambda w: f"{_pair(w)}/swap"),
    "rounds.compare": case(lambda w: f"{_r(w)}/compare"),
    "rounds.approve": case(lambda w: f"{_r(w)}/approve", "POST"),
    "rounds.close": case(lambda w: f"{_r(w)}/close", "POST"),
    "rounds.repair": case(lambda w: f"{_r(w)}/repair", "POST"),
    "rounds.export": case(lambda w: f"{_r(w)}/export.csv"),
}
