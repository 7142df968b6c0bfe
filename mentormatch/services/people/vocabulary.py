"""Each program's topic list and affinity-group list (its vocabulary), and the ordered topic picker."""
from flask_babel import gettext as _
from sqlalchemy import func

from ...core.fields import dedupe
from ...extensions import db
from ...models import GoalForm, Membership, MentorProfile, Program, Term, clean_name
from .. import ServiceError

MAX_TERM_LENGTH = 80


def terms(program_id: int, kind: str) -> list[Term]:
    return list(db.session.scalars(
        db.select(Term).where(Term.program_id == program_id, Term.kind == kind).order_by(func.lower(Term.name))
    ))


def search_topics(program_id: int, query: str, *, exclude: list[int] = (), limit: int = 12) -> list[Term]:
    query = (query or "").strip().lower()
    found = [t for t in terms(program_id, "topic") if t.id not in set(exclude) and query in t.name.lower()]
    # Names that start with the query first: typing "data" should show "Data science" before "Big data".
    found.sort(key=lambda t: (not t.name.lower().startswith(query), t.name.lower()))
    return found[:limit]


def term_names(program_id: int) -> dict[int, str]:
    return dict(db.session.execute(db.select(Term.id, Term.name).where(Term.program_id == program_id)).all())


def clean_term_name(name: str) -> str:
    """A term's name as stored: control characters dropped, spaces collapsed ("" if nothing is left)."""
    return " ".join(clean_name(name or "").split())


def checked_term_name(name: str) -> str:
    name = clean_term_name(name)
    if not name:
        raise ServiceError(_("Enter a name."), "name")
    if len(name) > MAX_TERM_LENGTH:
        raise ServiceError(_("Keep it under %(most)s characters.", most=MAX_TERM_LENGTH), "name")
    return name


def _term_named(program_id: int, kind: str, name: str) -> Term | None:
    return db.session.scalar(db.select(Term).where(
        Term.program_id == program_id, Term.kind == kind, func.lower(Term.name) == name.lower()))


def add_term(program: Program, kind: str, name: str) -> Term:
    if kind not in ("topic", "group"):
        raise ServiceError(_("Choose topic or affinity group."), "kind")
    name = checked_term_name(name)
    if _term_named(program.id, kind, name):
        raise ServiceError(f"“{name}” is already on the list.", "name")
    term = Term(program_id=program.id, kind=kind, name=name)
    db.session.add(term)
    db.session.commit()
    return term


def rename_term(term: Term, name: str) -> None:
    name = checked_term_name(name)
    clash = _term_named(term.program_id, term.kind, name)
    if clash is not None and clash.id != term.id:
        raise ServiceError(f"“{name}” is already on the list: merge the two instead.", "name")
    term.name = name
    db.session.commit()


def merge_terms(source: Term, target: Term) -> int:
    """Fold `source` into `target` everywhere it is used, keeping each list's order; returns how
    many forms and profiles changed. One transaction: either every list is rewritten or none."""
    if source.id == target.id or source.kind != target.kind or source.program_id != target.program_id:
        raise ServiceError(_("Choose a different entry of the same list to merge into."), "target")
    columns = ("topics", "prefers_topics") if source.kind == "topic" else ("groups",)
    changed = 0
    members = db.select(Membership.id).where(Membership.program_id == source.program_id)
    for model in (GoalForm, MentorProfile):
        for row in db.session.scalars(db.select(model).where(model.membership_id.in_(members))):
            touched = False
            for column in columns:
                ids = getattr(row, column, None)
                if ids and source.id in ids:
                    setattr(row, column, dedupe([target.id if i == source.id else i for i in ids]))
                    touched = True
            changed += touched
    db.session.delete(source)
    db.session.commit()
    return changed


def checked_terms(program_id: int, kind: str, ids, field: str, *, most: int | None = None, least: int = 0) -> list[int]:
    try:
        ids = dedupe([int(i) for i in ids or []])
    except (TypeError, ValueError):
        raise ServiceError(_("Pick from the list."), field) from None
    known = {t.id for t in terms(program_id, kind)}
    if any(i not in known for i in ids):
        raise ServiceError(_("Pick from the program's list."), field)
    # A program whose coordinator has not written its topic list yet must not block everyone's form.
    if len(ids) < least and known:
        raise ServiceError(_("Pick at least one topic.") if least == 1 else _("Pick at least %(least)s.", least=least), field)
    if most is not None and len(ids) > most:
        raise ServiceError(_("Pick at most %(most)s: the first ones count most.", most=most), field)
    return ids


def term_of_program(program: Program, term_id: int) -> Term | None:
    term = db.session.get(Term, term_id)
    return term if term is not None and term.program_id == program.id else None


def term_usage(program_id: int) -> dict[int, int]:
    """How many goal forms and profiles use each term (shown before a merge)."""
    counts: dict[int, int] = {}
    members = db.select(Membership.id).where(Membership.program_id == program_id)
    for model in (GoalForm, MentorProfile):
        for row in db.session.scalars(db.select(model).where(model.membership_id.in_(members))):
            for i in set(row.topics or []) | set(row.groups or []) | set(getattr(row, "prefers_topics", None) or []):
                counts[i] = counts.get(i, 0) + 1
    return counts


# ---------------------------------------------------------------------------------------------
# The ordered topic picker: one list operation, shared by the htmx picker and the plain form


def topic_op(ids: list[int], op: str, *, most: int) -> tuple[list[int], str | None]:
    """Apply "add:ID", "remove:ID", "up:ID" or "down:ID" to an ordered id list; returns the new list
    and a message for the person when the operation could not be done. Nothing is saved."""
    ids = dedupe(list(ids or []))
    action, _colon, raw = (op or "").partition(":")
    try:
        term_id = int(raw)
    except ValueError:
        return ids, None
    if action == "add" and term_id not in ids:
        if len(ids) >= most:
            return ids, _("You have %(most)s already: remove one to add another.", most=most)
        ids.append(term_id)
    elif action == "remove" and term_id in ids:
        ids.remove(term_id)
    elif action in ("up", "down") and term_id in ids:
        i = ids.index(term_id)
        j = i - 1 if action == "up" else i + 1
        if 0 <= j < len(ids):
            ids[i], ids[j] = ids[j], ids[i]
    return ids, None


def known_topics(program_id: int, ids: list[int]) -> list[Term]:
    """The Terms for ids, in the given order, dropping any that are not this program's topics."""
    by_id = {t.id: t for t in terms(program_id, "topic")}
    return [by_id[i] for i in ids if i in by_id]
