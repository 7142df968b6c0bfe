"""The adapter every answerable kind supplies, and the registry of kinds.

The answering flow (flow.py) is written once over this interface; each kind (pairing.py,
request.py) says what differs: its model and states, what answering takes or gives back (a
mentor's seat, the mentee's open-request slot), its wording and its links. Adding a third
answerable kind means one more adapter module (registered here by `register`), its
templates/email/<name>_*.txt mails, a WebKind for its pages (mentormatch/answers/views.py),
its name in core.answer_links.KINDS and a templates/answers/_about_<name>.html partial.
"""
from __future__ import annotations

from ...extensions import db
from ...models import User


class Kind:
    """One answerable kind. Subclasses set the class attributes and may override the hooks."""

    name: str  # the Event subject_type and the answer-link kind
    model: type
    noun: str  # "proposal", "request": used in messages
    waiting: str  # the state in which it waits for the mentor (reminders run)
    pending: tuple[str, ...]  # waiting for an answer: the mentor's, or the mentee's after an ask
    accept_path: tuple[str, ...]  # the states an accept goes through (an Event for each)
    started_column: str  # when it started waiting (the reminder clock's start)
    gone: str  # refusal when it is no longer answerable
    not_mentor: str
    not_mentee: str
    not_waiting: str  # refusal when it no longer waits for the mentor's answer
    note_required_for_other = False

    # -- hooks -----------------------------------------------------------------------------
    def before_accept(self, item) -> None:
        """Take what an accept needs (or raise ServiceError), before the state moves."""

    def after_leaving(self, item) -> None:
        """Give back what a pending item held, once it left the pending states."""

    def mail_context(self, item) -> dict:
        """Links and kind-specific values every mail of this kind may show."""
        return {}

    def accept_context(self, item) -> dict:
        return {}

    # -- shared ----------------------------------------------------------------------------
    def started_at(self, item):
        return getattr(item, self.started_column)

    def waiting_items(self) -> list:
        return list(db.session.scalars(db.select(self.model).where(self.model.state == self.waiting)
                                       .order_by(self.model.id)))

    def is_mentor(self, item, user: User) -> bool:
        return item.mentor is not None and item.mentor.user_id == user.id

    def is_mentee(self, item, user: User) -> bool:
        return item.mentee is not None and item.mentee.user_id == user.id

    def mentor_page(self, item) -> str:
        """The page where the mentor finds the accepted item (the link in their acceptance email)."""
        raise NotImplementedError

    def template(self, mail: str) -> str:
        return f"{self.name}_{mail}"


KINDS: dict[str, Kind] = {}
_BY_MODEL: dict[type, Kind] = {}


def register(kind: Kind) -> Kind:
    KINDS[kind.name] = kind
    _BY_MODEL[kind.model] = kind
    return kind


def kind_of(item) -> Kind:
    """The adapter of an answerable row (a Pairing, a MicroRequest...)."""
    return _BY_MODEL[type(item)]
