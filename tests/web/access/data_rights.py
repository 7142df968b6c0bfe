"""Access cases for data rights (issue 17 items 3-4): a person's own data pages (no id in the URL:
each person reaches only their own), the token links of account deletion (public, a forged token
finds nothing), and the coordinator's removal, co-coordinators, program end and audit log (the
other program's coordinator gets 404). tests/web/test_data_rights.py checks the behaviour."""
from .cases import Case

EVERYONE = ("mentee", "mentor", "coordinator")


def _member(w):
    return w.program.memberships[w.mentee.id]


CASES = {
    "data_rights.account": Case(url=lambda w: "/account/", roles=EVERYONE, owner=lambda w: w.mentee),
    "data_rights.my_data": Case(url=lambda w: "/account/data", roles=EVERYONE, owner=lambda w: w.mentor),
    "data_rights.my_data_json": Case(url=lambda w: "/account/data.json", roles=EVERYONE,
                                     owner=lambda w: w.coordinator),
    "data_rights.request_delete": Case(url=lambda w: "/account/delete", method="POST", roles=EVERYONE,
                                       owner=lambda w: w.mentee),
    "data_rights.undo_delete_here": Case(url=lambda w: "/account/delete/undo", method="POST", roles=EVERYONE,
                                         owner=lambda w: w.mentee),
    # Public, bound to a signed token: a forged one is "not valid" (404), for anyone.
    "data_rights.confirm_delete": Case(url=lambda w: "/account/delete/confirm/forged", ok=(404,)),
    "data_rights.undo_delete": Case(url=lambda w: "/account/delete/undo/forged", ok=(404,)),
    "data_rights.remove_member": Case(
        url=lambda w: f"/coordinator/programs/{w.program.id}/people/{_member(w)}/remove",
        roles=("coordinator",), owner=lambda w: w.coordinator, stranger=lambda w: w.other_coordinator),
    "data_rights.remove_coordinator": Case(
        url=lambda w: f"/coordinator/programs/{w.program.id}/coordinators/{w.coordinator.id}/remove", method="POST",
        roles=("coordinator",), owner=lambda w: w.coordinator, stranger=lambda w: w.other_coordinator),
    "data_rights.end_program": Case(
        url=lambda w: f"/coordinator/programs/{w.program.id}/end", method="POST",
        roles=("coordinator",), owner=lambda w: w.coordinator, stranger=lambda w: w.other_coordinator),
    "data_rights.audit_log": Case(
        url=lambda w: f"/coordinator/programs/{w.program.id}/audit", roles=("coordinator",),
        owner=lambda w: w.coordinator, stranger=lambda w: w.other_coordinator),
}
