"""The ordered topic picker, shared by the mentee goal form and the mentor profile.

With htmx, typing searches (GET, results only) and the add/up/down/remove buttons post to a
small endpoint that returns the picker again. Without JavaScript the same buttons submit the
whole form, and the page comes back with the list changed and nothing saved or lost.
"""
from flask import request
from flask_babel import ngettext

from ..htmx import page_or_partial
from ..services.people import vocabulary


def names_of(name: str) -> dict:
    """The form names and element ids of one picker: "topics" keeps the original ones, so a page
    can hold a second ordered list (the goal form's "strengths") beside it."""
    if name == "topics":
        return {"name": "topics", "op": "topic_op", "q": "topic_q", "box": "topics-picker",
                "results_id": "topic-results"}
    return {"name": name, "op": f"{name}_op", "q": f"{name}_q", "box": f"{name}-picker", "results_id": f"{name}-results"}


def picker(program_id: int, ids: list[int], *, most: int, pick_url: str, search_url: str,
           query: str = "", message: str | None = None, name: str = "topics", legend: str | None = None) -> dict:
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
        "legend": legend,
        **names_of(name),
    }


def picker_endpoint(program_id: int, *, most: int, url: str, name: str = "topics", legend: str | None = None):
    """The htmx endpoint behind a picker: GET searches (results only); POST adds, moves or
    removes one topic and returns the picker again. Nothing is saved."""
    n = names_of(name)
    ids, message = submitted_ids(name), None
    if request.method == "POST":
        ids, message = vocabulary.topic_op(ids, request.form.get(n["op"], ""), most=most)
    context = picker(program_id, ids, most=most, pick_url=url, search_url=url,
                     query=request.values.get(n["q"], ""), message=message, name=name, legend=legend)
    partial = "mentee/_topic_results.html" if request.method == "GET" else "mentee/_topic_picker.html"
    return page_or_partial(partial, partial, p=context)


def submitted_ids(name: str = "topics") -> list[int]:
    ids = []
    for raw in request.values.getlist(name):
        try:
            ids.append(int(raw))
        except ValueError:
            continue
    return ids


def apply_op(form, most: int, name: str = "topics") -> str | None:
    """A plain-form picker button: change the form's topic list in place; None when not one."""
    op = request.form.get(names_of(name)["op"])
    if not op:
        return None
    field = getattr(form, name)
    ids, message = vocabulary.topic_op(field.data or [], op, most=most)
    field.data = ids
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
