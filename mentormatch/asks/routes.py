"""Ask the program: every view loads its rows through the access getters (access.py, "asks"), so an
id that is not for the caller gives 404. Posting an answer and the helpful mark work with htmx
(the answers panel is swapped) and as plain forms (303 back to the page)."""
from flask import flash, redirect, render_template, request, url_for
from flask_babel import gettext as _
from flask_login import current_user

from ..access import (
    answerable_ask,
    ask_circle,
    ask_program,
    asker_answer,
    coordinated_answer,
    coordinated_ask,
    own_ask,
    own_membership,
    own_membership_on,
    roles,
    visible_ask,
)
from ..forms import attempt, submit
from ..htmx import is_htmx, page_or_partial
from ..services import asks
from ..services.people import goal_forms
from . import bp
from .forms import AnswerForm, AskForm, HelperForm, HideForm, TopicFilter

EVERYONE = ("mentee", "mentor", "coordinator")


def _int_or_none(value) -> int | None:
    try:
        return int(value) if value not in (None, "") else None
    except (TypeError, ValueError):
        return None


@bp.route("/programs/<int:program_id>")
@roles(*EVERYONE)
def program(program_id: int):
    program, coordinator = ask_program(program_id)
    topics = asks.topics_of(program.id)
    form = TopicFilter(request.args)
    form.topic.choices = [("", _("Any topic"))] + [(str(k), v) for k, v in topics.items()]
    topic = _int_or_none(form.topic.data)
    items = asks.program_asks(program, current_user, coordinator=coordinator, topic=topic)
    membership = None if coordinator else asks.membership_of(current_user, program.id)
    return render_template("asks/list.html", program=program, circle=None, items=items, form=form,
                           topics=topics, counts=asks.answer_counts(items), coordinator=coordinator,
                           can_ask=membership is not None and membership.role == "mentee")


@bp.route("/circles/<int:circle_id>")
@roles(*EVERYONE)
def circle(circle_id: int):
    circle, coordinator = ask_circle(circle_id)
    items = asks.circle_asks(circle, current_user, coordinator=coordinator)
    membership = None if coordinator else asks.membership_of(current_user, circle.program_id)
    return render_template("asks/list.html", program=circle_program(circle), circle=circle, items=items, form=None,
                           topics=asks.topics_of(circle.program_id), counts=asks.answer_counts(items),
                           coordinator=coordinator, can_ask=membership is not None and membership.role == "mentee")


def circle_program(circle):
    program, _coordinator = ask_program(circle.program_id)
    return program


@bp.route("/programs/<int:program_id>/new", methods=["GET", "POST"])
@roles("mentee")
def new(program_id: int):
    membership = own_membership(program_id, "mentee")
    program = membership.program
    circles = asks.circles_of(membership)
    form = AskForm()
    form.topics.choices = [(str(k), v) for k, v in asks.topics_of(program.id).items()]
    form.where.choices = [("", _("The whole program"))] + [
        (str(c.id), c.name or _("My circle")) for c in circles]
    if request.method == "GET" and (wanted := request.args.get("circle")):
        form.where.data = wanted
    circle_id = _int_or_none(form.where.data)
    if form.is_submitted() and form.where.data and (circle_id is None or circle_id not in {c.id for c in circles}):
        form.where.errors = [_("Choose one of your circles, or the whole program.")]
    elif done := submit(form, lambda: asks.post(current_user, program, {
            "body": form.body.data, "topics": form.topics.data, "circle_id": circle_id})):
        ask = done.value
        flash(_("Asked. People who can help with these topics will see it."), "success")
        if hint := goal_forms.vague_ask_hint(ask.body):
            flash(hint, "warning")
        return redirect(url_for(".show", ask_id=ask.id), code=303)
    hint = goal_forms.vague_ask_hint(form.body.data) if form.body.data and not form.body.errors else None
    return render_template("asks/new.html", form=form, program=program, hint=hint, max_open=asks.MAX_OPEN_ASKS), \
        (422 if form.is_submitted() else 200)


@bp.route("/hint", methods=["POST"])
@roles("mentee")
def hint():
    """The vague-ask hint as the mentee types (htmx); it never refuses, so nothing is validated here."""
    form = AskForm()
    return render_template("requests/_question_hint.html", f=form.body,
                           hint=goal_forms.vague_ask_hint(form.body.data))


def _page(ask, viewer, answer_form=None, hide_form=None, status: int = 200):
    context = asks.page(ask, current_user, viewer)
    return page_or_partial("asks/show.html", "asks/_answers.html", **context,
                           answer_form=answer_form or AnswerForm(), hide_form=hide_form or HideForm(),
                           topics=asks.topics_of(ask.program_id)), status


@bp.route("/<int:ask_id>")
@roles(*EVERYONE)
def show(ask_id: int):
    ask, viewer = visible_ask(ask_id)
    return _page(ask, viewer)


@bp.route("/<int:ask_id>/answers", methods=["POST"])
@roles("mentee", "mentor")
def answer(ask_id: int):
    ask = answerable_ask(ask_id)
    form = AnswerForm()
    if submit(form, lambda: asks.answer(ask, current_user, form.body.data)):
        if is_htmx():
            return _page(ask, "member")
        flash(_("Thank you: your answer is posted."), "success")
        return redirect(url_for(".show", ask_id=ask.id) + "#answers", code=303)
    return _page(ask, "member", answer_form=form, status=200 if is_htmx() else 422)


@bp.route("/answers/<int:answer_id>/helpful", methods=["POST"])
@roles("mentee")
def helpful(answer_id: int):
    item = asker_answer(answer_id)
    attempt(lambda: asks.mark_helpful(item, current_user, request.form.get("helpful", "1") != "0"))
    if is_htmx():
        return _page(item.ask, "author")
    return redirect(url_for(".show", ask_id=item.ask_id) + f"#answer-{item.id}", code=303)


@bp.route("/answers/<int:answer_id>/thank", methods=["POST"])
@roles("mentee")
def thank(answer_id: int):
    item = asker_answer(answer_id)
    attempt(lambda: asks.thank(item, current_user),
            lambda a: _("Thanked %(name)s: they get a short email.", name=a.author.user.name))
    if is_htmx():
        return _page(item.ask, "author")
    return redirect(url_for(".show", ask_id=item.ask_id) + f"#answer-{item.id}", code=303)


@bp.route("/<int:ask_id>/close", methods=["POST"])
@roles("mentee")
def close(ask_id: int):
    ask = own_ask(ask_id)
    attempt(lambda: asks.close(ask, current_user), _("Closed: it takes no more answers."))
    return redirect(url_for(".show", ask_id=ask.id), code=303)


@bp.route("/<int:ask_id>/hide", methods=["POST"])
@roles("coordinator")
def hide(ask_id: int):
    ask = coordinated_ask(ask_id)
    form = HideForm()
    if submit(form, lambda: asks.hide(ask, current_user, form.reason.data)):
        flash(_("Hidden. Only its author (with your reason) and the coordinators see it."), "success")
        return redirect(url_for(".show", ask_id=ask.id), code=303)
    return _page(ask, "coordinator", hide_form=form, status=422)


@bp.route("/<int:ask_id>/unhide", methods=["POST"])
@roles("coordinator")
def unhide(ask_id: int):
    ask = coordinated_ask(ask_id)
    asks.unhide(ask)
    flash(_("Shown again."), "success")
    return redirect(url_for(".show", ask_id=ask.id), code=303)


@bp.route("/answers/<int:answer_id>/hide", methods=["POST"])
@roles("coordinator")
def hide_answer(answer_id: int):
    item = coordinated_answer(answer_id)
    # A plain field per answer (the page holds one hide form per answer); the service checks the reason.
    attempt(lambda: asks.hide(item, current_user, request.form.get(f"a{item.id}-reason", "")),
            _("Hidden. Only its author (with your reason) and the coordinators see it."))
    return redirect(url_for(".show", ask_id=item.ask_id) + f"#answer-{item.id}", code=303)


@bp.route("/answers/<int:answer_id>/unhide", methods=["POST"])
@roles("coordinator")
def unhide_answer(answer_id: int):
    item = coordinated_answer(answer_id)
    asks.unhide(item)
    flash(_("Shown again."), "success")
    return redirect(url_for(".show", ask_id=item.ask_id) + f"#answer-{item.id}", code=303)


@bp.route("/programs/<int:program_id>/settings", methods=["GET", "POST"])
@roles("mentee", "mentor")
def settings(program_id: int):
    membership = own_membership_on(program_id, request.args.get("side"))
    form = HelperForm()
    if request.method == "GET":
        form.helps.data = asks.opted_in(membership)
    elif submit(form, lambda: asks.set_opted_in(membership, form.helps.data)):
        flash(_("Saved.") + " " + (_("You get questions you can help with, at most one email a day.")
                                    if form.helps.data else _("You get no emails about questions.")), "success")
        return redirect(url_for(".settings", program_id=program_id), code=303)
    return render_template("asks/settings.html", form=form, program=membership.program, membership=membership)
