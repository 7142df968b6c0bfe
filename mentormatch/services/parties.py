"""Who takes part in an item that has a conversation and meetings: the two people of an accepted
pairing or micro-request, or the members of a circle (a peer pair or a peer circle).

services/threads.py and services/meetings.py read every "who" through here, so a thread or a
meeting works the same for two people or for a circle's N members ("the other side" is
"the other members"). A circle member is current while they have not left the circle and are
still a member of the program; one who left may still read what was written while they were in
it (read-only), and is no longer mailed, invited or counted."""
from __future__ import annotations

from datetime import datetime

from ..extensions import db
from ..models import Circle, CircleMember, Membership, MicroRequest, Pairing, User

Item = Pairing | MicroRequest | Circle
KINDS = ("pairing", "request", "circle")


def kind_of(item: Item) -> str:
    if isinstance(item, Pairing):
        return "pairing"
    return "request" if isinstance(item, MicroRequest) else "circle"


def column_of(model, kind: str):
    """The model's column that names an item of `kind` (Message.pairing_id, Meeting.circle_id...)."""
    return getattr(model, f"{kind}_id")


def item_filter(model, item: Item):
    return column_of(model, kind_of(item)) == item.id


def item_of_row(row) -> Item:
    """The item a Message, ThreadRead or Meeting belongs to."""
    if row.pairing_id is not None:
        return db.session.get(Pairing, row.pairing_id)
    if row.request_id is not None:
        return db.session.get(MicroRequest, row.request_id)
    return db.session.get(Circle, row.circle_id)


def member_row(circle: Circle, user: User) -> CircleMember | None:
    """The user's place in the circle (current or left), while still a member of the program; else None."""
    return next((m for m in circle.members
                 if m.membership.user_id == user.id and m.membership.removed_at is None), None)


def _current_rows(circle: Circle) -> list[CircleMember]:
    return [m for m in circle.members if m.left_at is None and m.membership.removed_at is None]


def member_of(item: Item, user: User) -> Membership | None:
    """The user's membership in the item: the mentee's or mentor's side of a pair; for a circle,
    theirs even after they left (they read what was written while they were in it). Else None."""
    if isinstance(item, Circle):
        row = member_row(item, user)
        return row.membership if row is not None else None
    for side in (item.mentee, item.mentor):
        if side.user_id == user.id:
            return side
    return None


def takes_part(item: Item, membership: Membership) -> bool:
    """Whether the person is in the item now (for a circle: has not left it, nor the program)."""
    return any(m.id == membership.id for m in people(item))


def left_at(item: Item, membership: Membership) -> datetime | None:
    """When a circle member left (None: still in it, or a pair)."""
    if not isinstance(item, Circle):
        return None
    return next((m.left_at for m in item.members if m.membership_id == membership.id), None)


def people(item: Item) -> list[Membership]:
    """Everyone in the item now: the mentee and the mentor; a circle's current members, in order."""
    if isinstance(item, Circle):
        return [m.membership for m in _current_rows(item)]
    return [item.mentee, item.mentor]


def others(item: Item, membership: Membership) -> list[Membership]:
    """The other person of a pair; the other current members of a circle."""
    if not isinstance(item, Circle):
        return [item.mentor if membership.id == item.mentee_membership_id else item.mentee]
    return [m for m in people(item) if m.id != membership.id]


def circle_title(circle: Circle) -> str:
    """The circle's name as people see it (the round may have left it empty)."""
    return circle.name or ", ".join(m.user.name.split(" ")[0] for m in people(circle)) or f"#{circle.id}"


def memberships_in_circles(user: User) -> list[int]:
    """The ids of the user's memberships that belong to a circle (any program)."""
    return list(db.session.scalars(db.select(CircleMember.membership_id).join(Membership)
                                   .where(Membership.user_id == user.id)))
