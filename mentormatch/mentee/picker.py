"""The ordered topic picker, shared by the mentee goal form and the mentor profile.

With htmx, typing searches (GET, results only) and the add/up/down/remove buttons post to a
small endpoint that returns the picker again. Without JavaScript the same buttons submit the
whole form, and the page comes back with the list changed and nothing saved or lost.
"""
from flask import request
from flask_babel import ngettext

from ..htmx import page_or_partial
from ..services.people import vocabulary


def picker(program_id: int, ids: list[int], *, most: int, pick_url: str, search_url: str,
           query: str = "", message: str | None = None) -> dict:
    chosen = vocabulary.known_topics(program_id, ids)
    needle = query.strip().lower()
    return {
        "chosen": chosen,
        "results": vocabulary.search_topics(program_id, query, exclude=[t.id for t in chosen]),
        "query": query,
        # A search for a topic already picked finds it on the list, not "no topic matches".
        "already": [t.name for t in chosen if needle and needle in t.name.lower()],
        "most": most,
        "pick_url": pick_url,
        "search_url": search_url,
        "message": message,
        "has_topics": bool(vocabulary.terms(program_id, "topic")),
    }


def picker_endpoint(program_id: int, *, most: int, url: str):
    """The htmx endpoint behind a picker: GET searches (results only); POST adds, moves or
    removes one topic and returns the picker again. Nothing is saved."""
    ids, message = submitted_ids(), None
    if request.method == "POST":
        ids, message = vocabulary.topic_op(ids, request.form.get("topic_op", ""), most=most)
    context = picker(program_id, ids, most=most, pick_url=url, search_url=url,
                     query=request.values.get("topic_q", ""), message=message)
    partial = "mentee/_topic_results.html" if request.method == "GET" else "mentee/_topic_picker.html"
    return page_or_partial(partial, partial, p=context)


def submitted_ids() -> list[int]:
    ids = []
    for raw in request.values.getlist("topics"):
        try:
            ids.append(int(raw))
        except ValueError:
            continue
    return ids


def apply_op(form, most: int) -> str | None:
    """A plain-form picker button: change the form's topic list in place; None when not one."""
    op = request.form.get("topic_op")
    if not op:
        return None
    ids, message = vocabulary.topic_op(form.topics.data or [], op, most=most)
    form.topics.data = ids
    return message or ""


def apply_problems(form, problems: dict[str, str]) -> None:
    """Show the service's findings next to their fields (a field with a type error keeps only that)."""
    if len(problems) > 1 or any(getattr(form, name, None) is None for name in problems):
        # One line above the form (role=alert), so people know to scroll: each message sits by its field.
        form.form_errors.append(ngettext("%(num)d answer needs a look: see the message next to it below.",
                                         "%(num)d answers need a look: see the messages next to them below.",
                                         len(problems)))
    for name, message in problems.items():
        field = getattr(form, name, None)
        if field is None:
            form.form_errors.append(message)
        elif not field.errors:
            field.errors = [message]
