"""Access cases for the review of peer-pair and peer-circle rounds (issue 15): a group's lock and
forbid. tests/web/test_peer_rounds_access.py builds a real peer round and checks its coordinator,
another program's coordinator (404), mentors and mentees (403) on each, plus the round routes
they share with mentor rounds."""
from .rounds import case


def _group(w):
    return (f"/coordinator/programs/{w.program.id}/rounds/{getattr(w, 'peer_round_id', 0)}"
            f"/groups/{getattr(w, 'group_id', 0)}")


CASES = {
    "rounds.group_lock": case(lambda w: f"{_group(w)}/lock", "POST"),
    "rounds.group_forbid": case(lambda w: f"{_group(w)}/forbid", "POST",
                                data=lambda w: {"first": str(getattr(w, "forbid_a", 0)),
                                                "second": str(getattr(w, "forbid_b", 0))}),
}
