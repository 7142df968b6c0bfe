"""What the lifecycle partials on the home pages show, computed for the current user.

Registered as the Jinja global `lifecycle()`: the home pages (owned elsewhere) include our
partials with only the template globals, so the partials call this themselves.
"""
from flask import g
from flask_login import current_user

from ..models import MAX_OPEN_REQUESTS
from ..services import lifecycle, micro_requests


def lifecycle_context() -> dict:
    if not current_user.is_authenticated:
        return {}
    cached = g.get("_lifecycle_context")
    if cached is not None:
        return cached
    ctx: dict = {"max_open": MAX_OPEN_REQUESTS}
    if current_user.role == "mentor":
        ctx["proposals"] = lifecycle.pending_proposals(current_user)
        # Context for the decision: does the mentee already have other mentors or open requests?
        ctx["mentee_context"] = {p.id: lifecycle.mentee_context(p.mentee_membership_id, pairing_id=p.id)
                                 for p in ctx["proposals"]}
        ctx["incoming"] = micro_requests.requests_to_mentor(current_user, ("open",))
    elif current_user.role == "mentee":
        mine = micro_requests.requests_of_mentee(current_user)
        ctx["open_requests"] = [r for r in mine if r.state in ("open", "info_requested")]
        ctx["questions"] = [r for r in mine if r.state == "info_requested"] + lifecycle.questions_for_mentee(current_user)
        ctx["my_pairings"] = lifecycle.pairings_of_mentee(current_user)
        ctx["accepted_requests"] = [r for r in mine if r.state == "accepted"]
        ctx["prompts"] = micro_requests.followup_prompts(current_user)
    g._lifecycle_context = ctx
    return ctx


def continue_wish(pairing) -> bool | None:
    """The current user's "continue next round?" answer on a pairing (None: not said yet)."""
    from ..services.rounds import fairness

    side = pairing.mentee_membership_id if current_user.id == pairing.mentee.user_id else pairing.mentor_membership_id
    return fairness.wishes_of([pairing.id]).get((pairing.id, side))
