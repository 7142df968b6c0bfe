"""The answer views, written once and registered on each answerable kind's blueprint: the
mentor's accept / decline / ask for info, the mentee's answer to the question and their report
of a mentor who does not answer, and the one-click answer from an email.

A kind's blueprint describes itself with a WebKind (its getters, URL parameter, wording and
where to go after an answer) and calls `register(bp, web_kind)`: the endpoints keep the
blueprint's names (pairings.accept, requests.decline, ...). Every answer is the answering
service's (services/answers/); the pages are templates/answers/.
"""
from __future__ import annotations

from collections.abc import Callable

from flask import Blueprint, flash, redirect, render_template
from flask_babel import gettext as _
from flask_login import current_user

from ..access import public, roles
from ..extensions import db
from ..forms import apply_service_error, submit
from ..services import ServiceError, answers, health
from ..services.answers import email_links
from ..services.people import goal_forms
from .forms import ConfirmForm, DeclineForm, InfoAnswerForm, InfoQuestionForm, ReportForm


class WebKind:
    """What the answer pages of one kind need to know. Subclasses fill these in."""

    name: str  # the service kind (services/answers/kinds.py): "pairing"
    param: str  # the URL parameter: "pairing_id"
    mentor_item: Callable  # access getters: the item of the current mentor / mentee, else 404
    mentee_item: Callable
    info_rule: str = "/<int:{param}>/info"  # where the mentee answers the question
    info_endpoint: str = "info"

    def link_heading(self, label: str, item) -> str:
        """The one-click answer page's heading: what the link does, and to whom."""
        return _("%(label)s: %(name)s", label=label, name=item.mentee.user.name)

    def accepted(self, item) -> str: ...
    def declined(self, item, paused: bool) -> str: ...
    def asked(self, item) -> str: ...
    def answered(self, item) -> str: ...

    def page(self, item, name: str) -> dict:
        """Wording of the page `name` (decline, ask_info, answer_info): title, heading and
        optionally quote, lead, why; back and back_label (the way out)."""
        raise NotImplementedError

    def prepare_decline(self, form: DeclineForm) -> None:
        """Adjust the decline form's wording for this kind (optional)."""

    def after_answer(self, item, action: str, message: str, ok: bool = True):
        """The response after the mentor's answer (accept, decline, ask), `message` to show."""
        raise NotImplementedError

    def mentee_back(self, item) -> str:
        """Where the mentee goes back to (after answering the question or reporting the mentor)."""
        raise NotImplementedError


WEB_KINDS: dict[str, WebKind] = {}


def register(bp: Blueprint, kind: WebKind) -> None:
    """Add accept / decline / ask for info (the mentor's) and answer the question (the mentee's)
    to `bp`, for items found by `kind`'s getters."""
    WEB_KINDS[kind.name] = kind

    @roles("mentor")
    def accept(**values):
        item = kind.mentor_item(values[kind.param])
        try:
            answers.accept(item, current_user)
        except ServiceError as error:
            db.session.rollback()
            return kind.after_answer(item, "accept", error.message, ok=False)
        return kind.after_answer(item, "accept", kind.accepted(item))

    @roles("mentor")
    def decline(**values):
        item = kind.mentor_item(values[kind.param])
        form = DeclineForm()
        kind.prepare_decline(form)
        if submit(form, lambda: answers.decline(item, current_user, form.reason.data, form.note.data,
                                                **form.pause_values())):
            return kind.after_answer(item, "decline", kind.declined(item, bool(form.pause.data)))
        return render_template("answers/decline.html", form=form, item=item, **kind.page(item, "decline"))

    @roles("mentor")
    def ask_info(**values):
        """The third answer: one question to the mentee before deciding."""
        item = kind.mentor_item(values[kind.param])
        form = InfoQuestionForm()
        if submit(form, lambda: answers.ask_info(item, current_user, form.question.data)):
            return kind.after_answer(item, "ask_info", kind.asked(item))
        return render_template("answers/ask_info.html", form=form, item=item, **kind.page(item, "ask_info"))

    @roles("mentee")
    def answer_info(**values):
        """The mentee reads the mentor's question and answers it."""
        item = kind.mentee_item(values[kind.param])
        form = InfoAnswerForm()
        if submit(form, lambda: answers.answer_info(item, current_user, form.answer.data)):
            flash(kind.answered(item), "success")
            return redirect(kind.mentee_back(item), code=303)
        return render_template("answers/answer_info.html", form=form, item=item, **kind.page(item, "answer_info"))

    @roles("mentee")
    def report(**values):
        """The mentee tells the coordinator the mentor does not answer."""
        item = kind.mentee_item(values[kind.param])
        form = ReportForm()
        if submit(form, lambda: health.report_mentor(current_user, form.note.data, **{kind.name: item})):
            flash(_("Thank you. Your coordinator will look into it."), "success")
            return redirect(kind.mentee_back(item), code=303)
        return render_template("answers/report.html", form=form, who=item.mentor.user.name,
                               back=kind.mentee_back(item))

    rule = f"/<int:{kind.param}>"
    bp.add_url_rule(f"{rule}/accept", "accept", accept, methods=["POST"])
    bp.add_url_rule(f"{rule}/decline", "decline", decline, methods=["GET", "POST"])
    bp.add_url_rule(f"{rule}/ask", "ask_info", ask_info, methods=["GET", "POST"])
    bp.add_url_rule(f"{rule}/report", "report", report, methods=["GET", "POST"])
    bp.add_url_rule(kind.info_rule.format(param=kind.param), kind.info_endpoint, answer_info, methods=["GET", "POST"])


@public
def email_action(token: str):
    """An answer link from an email: GET shows what will happen and one button; POST does it.
    No login: the signed token names the person, the item and the action."""
    try:
        link = email_links.read(token)
    except email_links.LinkError as error:
        return render_template("answers/link_invalid.html", error=error), error.status
    form = {"accept": ConfirmForm, "decline": DeclineForm, "info": InfoQuestionForm}[link.action]()
    if form.validate_on_submit():
        data = {k: v for k, v in form.data.items() if k != "csrf_token"}
        try:
            email_links.perform(token, data)
        except email_links.LinkError as error:
            db.session.rollback()
            return render_template("answers/link_invalid.html", error=error), error.status
        except ServiceError as error:
            db.session.rollback()
            apply_service_error(form, error)
        else:
            return render_template("answers/link_done.html", link=link)
    return render_template("answers/link_confirm.html", link=link, form=form, token=token,
                           heading=WEB_KINDS[link.kind].link_heading(link.label, link.item),
                           about=goal_forms.goal_summary(link.item.mentee))
