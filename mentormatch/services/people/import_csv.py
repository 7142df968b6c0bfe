"""Import mentors and mentees from a CSV (a Google Form or spreadsheet export).

Two steps: `preview()` reads and checks every row and says what is wrong in words; `apply()`
re-checks and writes everything in one transaction, or nothing if any row is wrong.

Nothing here reveals accounts outside the program: the preview shows the file's own values, and
an address that already has an account is invited (services.invitations), never enrolled.
Writes are bulk (one query per table, not per row) so that the documented 20,000 rows fit in a
background job of a few seconds (bench/import_bench.py).
"""
from __future__ import annotations

import csv
import io
import re
from dataclasses import dataclass, field

from flask_babel import gettext as _
from sqlalchemy import func, insert, update

from ...core import emails, outbox, reference
from ...extensions import db
from ...models import (
    PREFERENCES,
    GoalForm,
    Membership,
    MentorProfile,
    Program,
    QuestionAnswer,
    Term,
    User,
    clean_name,
    utcnow,
)
from .. import ServiceError, accounts, invitations, questions
from .context import YEARS_MOST
from .profiles import CAPACITY_MOST
from .vocabulary import MAX_TERM_LENGTH, clean_term_name

MAX_BYTES = 5 * 1024 * 1024
MAX_ROWS = 20000
ALIASES = {
    "name": ("name", "full_name", "your_name", "full_name_"),
    "email": ("email", "email_address", "e_mail"),
    "role": ("role", "i_am_a", "i_want_to_be_a", "type", "joining_as"),
    "topics": ("topics", "expertise", "interests", "skills"),
    "years": ("years", "years_of_experience", "experience", "experience_years"),
    "languages": ("languages", "language", "spoken_languages"),
    "timezone": ("time_zone", "timezone", "tz"),
    "industry": ("industry", "sector"),
    "groups": ("groups", "affinity_groups", "tags", "communities"),
    "capacity": ("capacity", "mentees_per_round", "how_many_mentees"),
    "preference": ("preference", "mentor_preference", "looking_for"),
    "goal": ("goal", "near_term_goal", "goals"),
}
REQUIRED = ("name", "email", "role")
SPLIT = re.compile(r"[;,|]")
YEARS = re.compile(r"(\d{1,3})(?:[.,]\d{1,3})?", re.ASCII)  # "4", "4.5", "4,5"; never inf, nan or 1e309


@dataclass
class Row:
    line: int
    values: dict
    errors: list[str] = field(default_factory=list)


@dataclass
class Preview:
    rows: list[Row]
    columns: list[str]
    unknown_columns: list[str]

    @property
    def ok(self) -> bool:
        return bool(self.rows) and not any(r.errors for r in self.rows)

    @property
    def error_count(self) -> int:
        return sum(1 for r in self.rows if r.errors)


def _key(header: str) -> str:
    return re.sub(r"[^a-z0-9]+", "_", (header or "").strip().lower()).strip("_")


def _split(text: str, clean=clean_name) -> list[str]:
    # Cleaned here too: the bulk insert of terms bypasses the Term validator.
    return [c for c in map(clean, SPLIT.split(text or "")) if c]


def preview(program: Program, text: str) -> Preview:
    if len(text.encode("utf-8", "ignore")) > MAX_BYTES:
        raise ServiceError(_("The file is larger than 5 MB; split it into parts."), "file")
    text = text.lstrip("\ufeff")
    reader = csv.reader(io.StringIO(text))
    try:
        header = next(reader)
    except StopIteration:
        raise ServiceError(_("The file is empty."), "file") from None
    except csv.Error as exc:
        raise ServiceError(_("This does not read as CSV: %(problem)s.", problem=exc), "file") from None
    if any("\x00" in h for h in header):
        raise ServiceError(_("The first row contains a NUL character; save the file again as plain CSV."), "file")
    mapping, unknown = {}, []
    # A column named like one of the program's own questions (its label) answers it.
    asked = {questions.field_name(q): q for q in questions.questions_of(program.id)}
    by_label = {_key(q.label): name for name, q in asked.items()}
    for i, h in enumerate(header):
        k = _key(h)
        target = next((name for name, al in ALIASES.items() if k in al), None) or by_label.get(k)
        if target and target not in mapping.values():
            mapping[i] = target
        elif h.strip():
            unknown.append(h.strip())
    missing = [c for c in REQUIRED if c not in mapping.values()]
    if missing:
        raise ServiceError(_("The file needs these columns: %(columns)s. The first row must name the columns.",
                             columns=", ".join(missing)), "file")
    rows, seen = [], {}
    # Only this program's own members are looked up: anyone else looks like a new address here.
    members = _sides_in(program)
    try:
        for n, raw in enumerate(reader, start=2):
            if not any(c.strip() for c in raw):
                continue
            if len(rows) >= MAX_ROWS:
                raise ServiceError(_("At most %(most)s people per file.", most=MAX_ROWS), "file")
            values = {name: (raw[i].strip() if i < len(raw) else "") for i, name in mapping.items()}
            row = Row(n, values)
            if any("\x00" in c for c in raw):  # PostgreSQL refuses NUL in text; say so on the row
                row.errors.append(_("This row contains a NUL character; remove it."))
                values.update((k, val.replace("\x00", "")) for k, val in list(values.items()))
            rows.append(_check_answers(_check(row, seen, members), asked))
    except csv.Error as exc:
        raise ServiceError(_("Line %(line)s does not read as CSV: %(problem)s.", line=reader.line_num, problem=exc),
                           "file") from None
    if not rows:
        raise ServiceError(_("The file has a header but no people."), "file")
    return Preview(rows, list(mapping.values()), unknown)


def _check(row: Row, seen: dict, members: dict) -> Row:
    v, err = row.values, row.errors
    # The rules of the forms (accounts, core.emails, the people services), each value's problem
    # said on its row; the bulk insert bypasses the models' validators, so values are cleaned here.
    try:
        v["name"] = accounts.checked_name(v.get("name", ""))[:120]
    except ServiceError:
        v["name"] = ""
        err.append(_("The name is empty."))
    try:
        v["email"] = emails.checked(v.get("email", ""))
    except ServiceError:
        err.append(_("“%(value)s” is not an email address.", value=v.get("email", "")))
    else:
        if v["email"] in seen:
            err.append(_("This email is also on line %(line)s.", line=seen[v["email"]]))
        seen.setdefault(v["email"], row.line)
    role = v.get("role", "").lower()
    role = "mentor" if role in ("mentor", "mentors", "i want to mentor") else "mentee" if role in ("mentee", "mentees", "i want a mentor") else role
    v["role"] = role
    if role not in ("mentor", "mentee"):
        err.append(_("Role must be mentor or mentee, not “%(value)s”.", value=v.get("role", "")))
    elif v.get("email") in members and role not in members[v["email"]]:
        err.append(_in_program_as(members[v["email"]][0]))
    years = v.get("years", "") or "0"
    match = YEARS.fullmatch(years)
    if match and int(match.group(1)) <= YEARS_MOST:
        v["years"] = int(match.group(1))
    else:
        err.append(_("Years must be a number from 0 to %(most)s, not “%(value)s”.", most=YEARS_MOST, value=years[:40]))
    cap = v.get("capacity", "") or "2"
    if cap.isascii() and cap.isdigit() and len(cap) <= 2 and int(cap) <= CAPACITY_MOST:
        v["capacity"] = int(cap)
    else:
        err.append(_("Capacity must be a whole number from 0 to %(most)s, not “%(value)s”.", most=CAPACITY_MOST,
                     value=cap[:40]))
    v["languages"] = [x.lower() for x in _split(v.get("languages", ""))] or ["en"]
    bad = [x for x in v["languages"] if not re.fullmatch(r"[a-z]{2}", x)]
    if bad:
        err.append(_("Languages are two-letter codes such as en, es, pt; not %(values)s.",
                     values=", ".join(f"“{b}”" for b in bad)))
    tz = v.get("timezone", "") or "UTC"
    if not reference.is_zone(tz):
        err.append(_("“%(value)s” is not a time zone name such as Europe/Lisbon or America/Sao_Paulo.", value=tz))
    v["timezone"] = tz
    pref = (v.get("preference", "") or "ahead").lower()
    if pref not in PREFERENCES:
        err.append(_("Preference must be peer, ahead or senior, not “%(value)s”.", value=pref))
    v["preference"] = pref
    v["topics"] = _split(v.get("topics", ""), clean_term_name)[:20]
    v["groups"] = _split(v.get("groups", ""), clean_term_name)[:20]
    if any(len(t) > MAX_TERM_LENGTH for t in v["topics"] + v["groups"]):
        err.append(_("A topic or group is longer than %(most)s characters.", most=MAX_TERM_LENGTH))
    v["industry"] = v.get("industry", "")[:80]
    v["goal"] = v.get("goal", "")[:2000]
    return row


def _check_answers(row: Row, asked: dict) -> Row:
    """The answers to the program's questions in this row, by the questions' own rules; kept as
    {question id: value list} (JSON-safe). A question not asked of the row's role is an error."""
    answers = {}
    for name, q in asked.items():
        if name not in row.values:
            continue
        raw = row.values.pop(name)
        if row.values.get("role") not in ("mentor", "mentee"):
            continue
        if q.audience != "both" and q.audience != row.values["role"] + "s":
            if raw:
                row.errors.append(f"“{q.label}” is not asked of {row.values['role']}s; leave it empty.")
            continue
        posted = [c.strip() for c in SPLIT.split(raw)] if q.kind == "many" else [raw]
        try:
            value = questions.check_answer(q, posted)
        except ServiceError as error:
            row.errors.append(f"{q.label}: {error.message}")
        else:
            if value:
                answers[str(q.id)] = value
    row.values["answers"] = answers
    return row


def checked_rows(result: Preview) -> list[dict]:
    """A good preview's rows as plain values (JSON-safe), for write() now or in a background job."""
    return [{**r.values, "line": r.line} for r in result.rows]


def _in_program_as(role: str) -> str:
    return (_("This person is in the program as a mentor.") if role == "mentor"
            else _("This person is in the program as a mentee.") if role == "mentee"
            else _("This person is in the program as a coordinator."))


def conflicts(program: Program, rows: list[dict]) -> list[tuple[int, str]]:
    """(line, problem) for checked rows that the database no longer allows: a member of the
    program whose role differs (the only check that depends on the database)."""
    members = _sides_in(program)
    return [(v["line"], _in_program_as(members[v["email"]][0])) for v in rows
            if v["email"] in members and v["role"] not in members[v["email"]]]


def _sides_in(program: Program) -> dict[str, list[str]]:
    """Lower-cased email -> the sides ('mentee', 'mentor') its account has in the program. A row
    updates the member's profile on its own side; it never adds the other side."""
    sides: dict[str, list[str]] = {}
    for email, role in db.session.execute(db.select(func.lower(User.email), Membership.role).join(Membership)
                                          .where(Membership.program_id == program.id).order_by(Membership.role)):
        sides.setdefault(email, []).append(role)
    return sides


def apply(program: Program, text: str, actor: User | None) -> dict:
    """All or nothing: any bad row and no one is created. Returns counts; mails everyone new to the program."""
    result = preview(program, text)
    if not result.ok:
        raise ServiceError(f"{result.error_count} row(s) have errors; fix them and upload again. Nothing was imported.", "file")
    counts = write(program, checked_rows(result), actor)
    db.session.commit()
    return counts


def write(program: Program, rows: list[dict], actor: User | None) -> dict:
    """Write checked rows in bulk, in the caller's transaction (which commits, mails included).

    New addresses get an account (unusable password, a set-password link by mail), a membership
    and a profile; members of the program get their profile updated; an address with an account
    outside the program gets an invitation (services.invitations) and nothing else."""
    term_ids = _terms(program, rows)
    addresses = [v["email"] for v in rows]
    side_of_row = {v["email"]: v["role"] for v in rows}
    members = {email: membership_id for email, role, membership_id in db.session.execute(
        db.select(func.lower(User.email), Membership.role, Membership.id).join(Membership)
        .where(Membership.program_id == program.id)) if side_of_row.get(email, role) == role}
    account_ids = dict(db.session.execute(db.select(func.lower(User.email), User.id)
                                          .where(func.lower(User.email).in_(addresses))).all())
    new = [v for v in rows if v["email"] not in account_ids]
    outside = [v for v in rows if v["email"] in account_ids and v["email"] not in members]
    in_program = [v for v in rows if v["email"] in members]

    # New accounts: no password yet (accounts.unusable_password_hash) until they choose one
    # through the mailed link. Writes go to the tables, not the ORM entities: plain executemany, without the ORM's
    # per-row bookkeeping.
    now = utcnow()
    new_users = [{"email": v["email"], "name": v["name"], "role": v["role"],
                  "password_hash": accounts.unusable_password_hash(), "created_at": now} for v in new]
    if new_users:
        # New ids are above the highest id now (SQLite has one writer; a PostgreSQL sequence
        # only grows), so they are read back by that range, matched by email: a primary-key
        # range is cheaper than RETURNING per batch or a 20,000-address IN list.
        floor = db.session.scalar(db.select(func.coalesce(func.max(User.id), 0)))
        db.session.execute(insert(User.__table__), new_users)
        ids = dict(db.session.execute(db.select(User.email, User.id).where(User.id > floor)).all())
        user_ids = [ids[v["email"]] for v in new]
        floor = db.session.scalar(db.select(func.coalesce(func.max(Membership.id), 0)))
        db.session.execute(insert(Membership.__table__), [{"program_id": program.id, "user_id": u, "role": v["role"],
                                                           "joined_at": now} for v, u in zip(new, user_ids)])
        membership_of = dict(db.session.execute(db.select(Membership.user_id, Membership.id).where(
            Membership.id > floor, Membership.program_id == program.id)).all())
        members.update((v["email"], membership_of[u]) for v, u in zip(new, user_ids))
    else:
        user_ids = []

    _write_profiles(program.id, in_program + new, members, term_ids)
    _write_answers(program.id, in_program + new, members)
    invited = invitations.invite_many(program, [(account_ids[v["email"]], v["email"], v["role"], profile_values(v, term_ids))
                                                for v in outside], actor)
    # Each link is signed for its account's id and hash: single use, that account only.
    links = accounts.password_reset_urls([(uid, account["password_hash"]) for uid, account in zip(user_ids, new_users)])
    outbox.send_many([(v["email"], outbox.render("import_welcome", name=v["name"], program_name=program.name,
                                                 password_url=link))
                      for v, link in zip(new, links)], program_id=program.id)
    return {"rows": len(rows), "created": len(new), "updated": len(in_program), "invited": invited,
            "emailed": len(new) + invited}


def _terms(program: Program, rows: list[dict]) -> dict:
    """(kind, lower name) -> Term id for every topic and group in the file, adding the missing ones."""
    def existing() -> dict:
        return {(k, n.lower()): tid for tid, k, n in db.session.execute(
            db.select(Term.id, Term.kind, Term.name).where(Term.program_id == program.id))}

    terms = existing()
    wanted = {}
    for v in rows:
        for kind, names in (("topic", v["topics"]), ("group", v["groups"])):
            for name in names:
                if (kind, name.lower()) not in terms:
                    wanted.setdefault((kind, name.lower()), name)
    if wanted:
        db.session.execute(insert(Term), [{"program_id": program.id, "kind": k, "name": name}
                                          for (k, _), name in wanted.items()])
        terms = existing()
    return terms


def profile_values(v: dict, terms: dict) -> dict:
    """The profile columns a row sets (JSON-safe: invitations keep them until accepted)."""
    def ids(kind: str, names: list[str]) -> list[int]:
        return list(dict.fromkeys(terms[(kind, n.lower())] for n in names))

    values = {"years": v["years"], "industry": v["industry"], "languages": v["languages"], "timezone": v["timezone"],
              "topics": ids("topic", v["topics"]), "groups": ids("group", v["groups"])}
    if v["role"] == "mentor":
        values["capacity_round"] = v["capacity"]
    else:
        values.update(preference=v["preference"], near_term_goal=v["goal"], context_matters=["industry", "groups"])
    return values


def _write_profiles(program_id: int, rows: list[dict], membership_ids: dict, terms: dict) -> None:
    """Insert or update the profile of each row's membership, in bulk per table."""
    for role, model in (("mentor", MentorProfile), ("mentee", GoalForm)):
        mine = [v for v in rows if v["role"] == role]
        if not mine:
            continue
        have = dict(db.session.execute(db.select(model.membership_id, model.id).join(Membership)
                                       .where(Membership.program_id == program_id)).all())
        now = utcnow()
        inserts, updates = [], []
        for v in mine:
            m = membership_ids[v["email"]]
            values = {**profile_values(v, terms), "updated_at": now}
            if m in have:
                updates.append({"id": have[m], **values})
            else:
                inserts.append({"membership_id": m, **values})
        if inserts:
            db.session.execute(insert(model.__table__), inserts)
        if updates:
            db.session.execute(update(model), updates)


def _write_answers(program_id: int, rows: list[dict], membership_ids: dict) -> None:
    """The rows' answers to the program's questions: each replaces that member's earlier one."""
    labels = {q.id: q.label for q in questions.questions_of(program_id)}
    now = utcnow()
    new = [{"question_id": int(qid), "membership_id": membership_ids[v["email"]], "label": labels[int(qid)],
            "value": value, "text": ", ".join(str(x) for x in value), "updated_at": now}
           for v in rows for qid, value in (v.get("answers") or {}).items() if int(qid) in labels]
    if not new:
        return
    for qid in {a["question_id"] for a in new}:
        db.session.execute(QuestionAnswer.__table__.delete().where(
            QuestionAnswer.question_id == qid,
            QuestionAnswer.membership_id.in_([a["membership_id"] for a in new if a["question_id"] == qid])))
    db.session.execute(insert(QuestionAnswer.__table__), new)
