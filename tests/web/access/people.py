"""Access cases for the people side (goal forms, mentor profiles, notes, follow-ups, the
coordinator's people and topic pages). Routes that need a pairing or a term get their owner
checks in the focused tests (tests/web/test_people_access.py); here: roles and strangers."""
from .cases import Case


def _mentee_membership(w):
    return w.program.memberships[w.mentee.id]


MENTEE = dict(roles=("mentee",), owner=lambda w: w.mentee, stranger=lambda w: w.other_mentee)
MENTOR = dict(roles=("mentor",), owner=lambda w: w.mentor, stranger=lambda w: w.other_mentor)
COORDINATOR = dict(roles=("coordinator",), owner=lambda w: w.coordinator, stranger=lambda w: w.other_coordinator)

CASES = {
    "mentee.goals": Case(url=lambda w: f"/mentee/programs/{w.program.id}/goals", **MENTEE),
    "mentee.check_goals": Case(
        url=lambda w: f"/mentee/programs/{w.program.id}/goals/check?field=near_term_goal", method="POST",
        data=lambda w: {"near_term_goal": "Ship my first feature"}, ok=(200,), **MENTEE),
    "mentee.goal_topics": Case(url=lambda w: f"/mentee/programs/{w.program.id}/goals/topics?topic_q=a", ok=(200,), **MENTEE),
    "mentee.goal_strengths": Case(url=lambda w: f"/mentee/programs/{w.program.id}/goals/strengths?strengths_q=a",
                                  ok=(200,), **MENTEE),
    "mentee.pairing": Case(url=lambda w: "/mentee/pairings/1", roles=("mentee",), stranger=lambda w: w.other_mentee),
    "mentee.add_followup": Case(
        url=lambda w: "/mentee/pairings/1/followup", method="POST", roles=("mentee",),
        stranger=lambda w: w.other_mentee, data=lambda w: {"followup-body": "I tried it and it worked."}),
    "mentor.profile": Case(url=lambda w: f"/mentor/programs/{w.program.id}/profile", **MENTOR),
    "mentor.check_profile": Case(
        url=lambda w: f"/mentor/programs/{w.program.id}/profile/check?field=capacity_round", method="POST",
        data=lambda w: {"capacity_round": "3"}, ok=(200,), **MENTOR),
    "mentor.profile_topics": Case(
        url=lambda w: f"/mentor/programs/{w.program.id}/profile/topics", method="POST",
        data=lambda w: {"topic_op": "add:1"}, ok=(200,), **MENTOR),
    "mentor.mentee": Case(
        url=lambda w: f"/mentor/programs/{w.program.id}/mentees/{_mentee_membership(w)}", roles=("mentor",),
        stranger=lambda w: w.other_mentor),
    "mentor.save_note": Case(
        url=lambda w: f"/mentor/programs/{w.program.id}/mentees/{_mentee_membership(w)}/note", method="POST",
        roles=("mentor",), stranger=lambda w: w.other_mentor, data=lambda w: {"body": "Likes concrete tasks."}),
    "coordinator.people_list": Case(url=lambda w: f"/coordinator/programs/{w.program.id}/people", **COORDINATOR),
    "coordinator.person": Case(
        url=lambda w: f"/coordinator/programs/{w.program.id}/people/{_mentee_membership(w)}", **COORDINATOR),
    "coordinator.topics": Case(url=lambda w: f"/coordinator/programs/{w.program.id}/topics", **COORDINATOR),
    "coordinator.rename_term": Case(
        url=lambda w: f"/coordinator/programs/{w.program.id}/topics/1/rename", method="POST",
        roles=("coordinator",), stranger=lambda w: w.other_coordinator, data=lambda w: {"name": "Renamed"}),
    "coordinator.merge_term": Case(
        url=lambda w: f"/coordinator/programs/{w.program.id}/topics/1/merge", method="POST",
        roles=("coordinator",), stranger=lambda w: w.other_coordinator, data=lambda w: {"target": "2"}),
}
