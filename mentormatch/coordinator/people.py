"""The coordinator's view of people: who has filled in their form, each person's profile, and the
program's topic and affinity-group lists. Added to the coordinator blueprint."""
from flask import flash, redirect, render_template, url_for
from flask_babel import gettext as _
from flask_babel import ngettext

from ..access import coordinated_program, program_membership, program_term, roles
from ..core import clock, reference
from ..extensions import db
from ..forms import submit
from ..services import ServiceError
from ..services.people import goal_forms, labels, profiles, roster, vocabulary
from . import bp
from .forms import MergeForm, RenameForm, TermForm


@bp.route("/programs/<int:program_id>/people")
@roles("coordinator")
def people_list(program_id: int):
    program = coordinated_program(program_id)
    rows = roster.people_status(program, clock.today())
    return render_template("coordinator/people.html", program=program, rows=rows,
                           done={role: sum(1 for r in rows if r.role == role and r.status == "complete")
                                 for role in ("mentee", "mentor")},
                           total={role: sum(1 for r in rows if r.role == role) for role in ("mentee", "mentor")})


@bp.route("/programs/<int:program_id>/people/<int:membership_id>")
@roles("coordinator")
def person(program_id: int, membership_id: int):
    program = coordinated_program(program_id)
    membership = program_membership(program, membership_id)
    today = clock.today()
    profile = profiles.profile_of(membership) if membership.role == "mentor" else None
    return render_template(
        "coordinator/people_person.html", program=program, membership=membership,
        goal=goal_forms.goal_form_of(membership) if membership.role == "mentee" else None,
        profile=profile, names=vocabulary.term_names(program.id),
        seats=profiles.seats_label(profiles.seats_taken(membership.id), profile.capacity_round) if profile else None,
        availability=profiles.availability_label(profile, today),
        labels={"role": labels.ROLE_LEVEL_LABELS, "preference": labels.PREFERENCE_LABELS,
                "wants": labels.WANTS_LABELS, "languages": dict(reference.LANGUAGES), "context": labels.CONTEXT_LABELS},
    )


@bp.route("/programs/<int:program_id>/topics", methods=["GET", "POST"])
@roles("coordinator")
def topics(program_id: int):
    program = coordinated_program(program_id)
    form = TermForm()
    if done := submit(form, lambda: vocabulary.add_term(program, form.kind.data, form.name.data)):
        term = done.value
        flash(_("“%(name)s” added.", name=term.name), "success")
        return redirect(url_for(".topics", program_id=program.id), code=303)
    return _topics_page(program, form)


@bp.route("/programs/<int:program_id>/topics/<int:term_id>/rename", methods=["POST"])
@roles("coordinator")
def rename_term(program_id: int, term_id: int):
    program = coordinated_program(program_id)
    term = program_term(program, term_id)
    form = RenameForm()
    if form.validate_on_submit():
        try:
            vocabulary.rename_term(term, form.name.data)
        except ServiceError as error:
            db.session.rollback()
            return _topics_page(program, TermForm(formdata=None), row_errors={term_id: error.message})
        flash(_("Renamed to “%(name)s”.", name=term.name), "success")
    return redirect(url_for(".topics", program_id=program.id), code=303)


@bp.route("/programs/<int:program_id>/topics/<int:term_id>/merge", methods=["POST"])
@roles("coordinator")
def merge_term(program_id: int, term_id: int):
    program = coordinated_program(program_id)
    source = program_term(program, term_id)
    form = MergeForm()
    if form.validate_on_submit():
        target = vocabulary.term_of_program(program, form.target.data or 0)
        try:
            if target is None:
                raise ServiceError(_("Choose an entry to merge into."), "target")
            name = source.name
            changed = vocabulary.merge_terms(source, target)
        except ServiceError as error:
            db.session.rollback()
            return _topics_page(program, TermForm(formdata=None), row_errors={term_id: error.message})
        else:
            flash(ngettext("“%(name)s” merged into “%(target)s” (%(num)d form or profile updated).",
                           "“%(name)s” merged into “%(target)s” (%(num)d forms and profiles updated).",
                           changed, name=name, target=target.name), "success")
    return redirect(url_for(".topics", program_id=program.id), code=303)


def _topics_page(program, form, row_errors=None):
    lists = {kind: vocabulary.terms(program.id, kind) for kind in ("topic", "group")}
    return render_template("coordinator/topics.html", program=program, form=form, lists=lists,
                           usage=vocabulary.term_usage(program.id), rename_form=RenameForm(formdata=None), merge_form=MergeForm(formdata=None),
                           row_errors=row_errors or {})
