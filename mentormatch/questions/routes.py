from flask import flash, redirect, render_template, request, url_for
from flask_babel import gettext as _

from ..access import coordinated_program, own_membership_on, program_question, roles
from ..extensions import db
from ..forms import attempt, submit
from ..services import questions
from . import bp
from .forms import QuestionForm, answer_form


@bp.route("/coordinator/programs/<int:program_id>/questions", methods=["GET", "POST"])
@roles("coordinator")
def index(program_id: int):
    program = coordinated_program(program_id)
    form = QuestionForm()
    if submit(form, lambda: questions.define(program, form.values())):
        flash(_("Question added."), "success")
        return redirect(url_for(".index", program_id=program.id), code=303)
    return render_template("questions/index.html", program=program, form=form,
                           items=questions.questions_of(program.id), labels=questions)


@bp.route("/coordinator/programs/<int:program_id>/questions/<int:question_id>", methods=["GET", "POST"])
@roles("coordinator")
def edit(program_id: int, question_id: int):
    program = coordinated_program(program_id)
    question = program_question(program, question_id)
    form = QuestionForm(data=None if request.method == "POST" else {
        "label": question.label, "help": question.help, "kind": question.kind, "audience": question.audience,
        "choices": "\n".join(question.choices), "required": question.required, "position": question.position,
        "criterion": question.criterion or "", "weight": question.weight})
    if submit(form, lambda: questions.define(program, form.values(), question)):
        flash(_("Question saved. Answers given before keep the wording they were given with."), "success")
        return redirect(url_for(".index", program_id=program.id), code=303)
    return render_template("questions/edit.html", program=program, form=form, question=question)


@bp.route("/coordinator/programs/<int:program_id>/questions/<int:question_id>/delete", methods=["POST"])
@roles("coordinator")
def delete(program_id: int, question_id: int):
    program = coordinated_program(program_id)
    question = program_question(program, question_id)
    attempt(lambda: questions.delete(question), _("Question deleted. The answers already given stay readable."))
    return redirect(url_for(".index", program_id=program.id), code=303)


@bp.route("/programs/<int:program_id>/my-answers", methods=["GET", "POST"])
@roles("mentee", "mentor")
def answer(program_id: int):
    membership = own_membership_on(program_id, request.args.get("side"))
    items = questions.questions_of(program_id, membership.role)
    if request.method == "POST":
        form = answer_form(items)
        posted = {questions.field_name(q): request.form.getlist(questions.field_name(q)) for q in items}
        problems = questions.answer_problems(items, posted) if form.validate_on_submit() else {"": ""}
        if not problems:
            questions.save_answers(membership, posted)
            flash(_("Your answers are saved."), "success")
            return redirect(url_for(".answer", program_id=program_id, side=membership.role), code=303)
        db.session.rollback()
        for name, message in problems.items():
            if name and message:
                form[name].errors = [message]
    else:
        form = answer_form(items, questions.form_values(items, questions.answers_of(membership)))
    return render_template("questions/answer.html", program=membership.program, form=form, items=items,
                           side=membership.role)
