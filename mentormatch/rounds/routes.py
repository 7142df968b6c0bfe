"""Routes for match rounds and CSV import. Thin: check access, validate, call a service, render."""
from flask import Response, current_app, flash, get_flashed_messages, redirect, render_template, request, url_for
from flask_babel import gettext as _
from flask_babel import ngettext
from flask_login import current_user

from ..access import (
    coordinated_program,
    coordinated_round,
    program_import_job,
    program_mentee,
    roles,
    round_constraint,
    round_run,
    run_group,
    run_pair,
)
from ..extensions import db
from ..forms import apply_service_error, attempt, submit
from ..htmx import is_htmx, page_or_partial
from ..services import ServiceError, answers, lifecycle
from ..services.people import import_csv, import_jobs
from ..services.rounds import events, fairness, peer_review, publish, review, runs
from ..services.rounds import export as round_export
from ..services.rounds import objectives as round_objectives
from ..services.rounds import settings as round_settings
from ..services.rounds.instance import pool_mentee_ids
from . import bp
from .forms import (
    CompleteAllForm,
    ConstraintForm,
    ForbidPeersForm,
    ImportForm,
    ObjectiveForm,
    PriorityForm,
    RoundForm,
    SwapForm,
)

BASE = "/programs/<int:program_id>/rounds"
ROUND = BASE + "/<int:round_id>"


def _to_round(round_, anchor: str = ""):
    return redirect(url_for(".show", program_id=round_.program_id, round_id=round_.id) + anchor, code=303)


def _round_form(program, round_=None) -> RoundForm:
    form = RoundForm()
    form.tag_ids.choices = [(t.id, _("%(name)s (group)", name=t.name) if t.kind == "group" else _("%(name)s (topic)", name=t.name))
                            for t in round_settings.pool_terms(program)]
    form.after_round_id.choices = [(0, _("Everyone in the pool"))] + [
        (r.id, r.name) for r in round_settings.mentor_rounds_to_follow(program.id)]
    if round_ is not None and request.method == "GET":
        form.fill(round_)
    return form


@bp.route(BASE)
@roles("coordinator")
def index(program_id: int):
    program = coordinated_program(program_id)
    return render_template("rounds/index.html", program=program, rounds=round_settings.rounds_of(program))


@bp.route(BASE + "/new", methods=["GET", "POST"])
@roles("coordinator")
def new(program_id: int):
    program = coordinated_program(program_id)
    form = _round_form(program)
    if done := submit(form, lambda: round_settings.create_round(program, current_user, **form.settings())):
        round_ = done.value
        flash(_("Round “%(name)s” created. Add locks or forbidden pairs, then run it.", name=round_.name), "success")
        return _to_round(round_)
    return render_template("rounds/form.html", program=program, form=form, round=None,
                           kind_names=round_settings.ROUND_KIND_NAMES)


@bp.route(ROUND + "/settings", methods=["GET", "POST"])
@roles("coordinator")
def settings(program_id: int, round_id: int):
    program, round_ = coordinated_round(program_id, round_id)
    form = _round_form(program, round_)
    if submit(form, lambda: round_settings.update_settings(round_, current_user, **form.settings())):
        flash(_("Settings saved. Run the round again to see their effect."), "success")
        return _to_round(round_)
    return render_template("rounds/form.html", program=program, form=form, round=round_,
                           kind_names=round_settings.ROUND_KIND_NAMES)


UNMATCHED_PAGE = 25


@bp.route(ROUND)
@roles("coordinator")
def show(program_id: int, round_id: int):
    program, round_ = coordinated_round(program_id, round_id)
    latest = runs.latest_run(round_)
    if latest is not None:
        runs.check_stale(latest)
    run = runs.proposal_run(round_)
    if round_.kind != "mentor":
        return _peer_page(program, round_, latest, run)
    page = review.pairs_page(run) if run else None
    # The first UNMATCHED_PAGE people left without a mentor; "show more" asks for the next ones.
    shown = min(max(UNMATCHED_PAGE, request.args.get("unmatched", 0, type=int)), 100_000)
    unmatched = review.unmatched_of(run, shown) if run else []
    return render_template(
        "rounds/show.html", program=program, round=round_, latest=latest, run=run, page=page,
        run_error=runs.error_in_language(latest.error) if latest is not None else "",
        unmatched=unmatched,
        unmatched_more=shown + UNMATCHED_PAGE,
        runs=runs.runs_of(round_), empty=review.why_empty(run),
        constraints=round_settings.constraints_of(round_), events=events.events_of(round_), constraint_form=ConstraintForm(),
        freed=publish.freed_mentees(round_) if round_.state == "approved" else [],
        released=answers.released_in_round(round_.id) if round_.state == "approved" else 0,
        carried=fairness.fairness_rows(round_, pool_mentee_ids(round_)),
        running=lifecycle.endable_pairings(round_) if round_.state in ("approved", "closed") else [],
        continuing=fairness.continuing_names(round_), objective_form=ObjectiveForm(
            objective=(round_.rules or {}).get("objective", "coverage")))


def _peer_page(program, round_, latest, run, forbid_form=None, forbid_group_id=None, status=200,
               focus_group_id=None):
    """The round page of a peer or circle round: the same frame, groups instead of pairs. Under htmx
    (lock, unlock, forbid) only the review region, with the messages inside it and a 200 (htmx swaps
    only 2xx answers); a plain form gets the whole page and its status."""
    shown = min(max(UNMATCHED_PAGE, request.args.get("unmatched", 0, type=int)), 100_000)
    if is_htmx():
        status = 200
    return page_or_partial(
        "rounds/show_groups.html", "rounds/_group_review.html", program=program, round=round_, latest=latest, run=run,
        notices=get_flashed_messages(with_categories=True) if is_htmx() else [], focus_group_id=focus_group_id,
        oob=is_htmx(),
        run_error=runs.error_in_language(latest.error) if latest is not None else "",
        groups=peer_review.groups_of(run) if run else [], left=review.unmatched_of(run, shown) if run else [],
        left_more=shown + UNMATCHED_PAGE, runs=runs.runs_of(round_), empty=peer_review.why_empty(round_, run),
        constraints=round_settings.constraints_of(round_), events=events.events_of(round_),
        kind_names=round_settings.ROUND_KIND_NAMES, forbid_form=forbid_form, forbid_group_id=forbid_group_id,
        follows=round_settings.round_named((round_.pool or {}).get("after_round_id"), program.id),
        formed=[(c, _circle_url(c.id)) for c in peer_review.circles_of(round_)]
        if round_.state in ("approved", "closed") else []), status


def _circle_url(circle_id: int) -> str | None:
    """The circle's page (circles.show) once that blueprint is registered; None before."""
    if "circles.show" not in current_app.view_functions:
        return None
    return url_for("circles.show", circle_id=circle_id)


@bp.route(ROUND + "/groups/<int:group_id>/<any(lock, unlock):action>", methods=["POST"])
@roles("coordinator")
def group_lock(program_id: int, round_id: int, group_id: int, action: str):
    program, round_ = coordinated_round(program_id, round_id)
    group = run_group(runs.proposal_run(round_), group_id)
    attempt(lambda: peer_review.set_group_lock(round_, current_user, group, action == "lock"),
            _("Group locked: it stays as it is in every re-run.") if action == "lock"
            else _("Group unlocked: the next run may change it."))
    if is_htmx():
        return _peer_page(program, round_, runs.latest_run(round_), runs.proposal_run(round_), focus_group_id=group.id)
    return _to_round(round_, "#review")


@bp.route(ROUND + "/groups/<int:group_id>/forbid", methods=["POST"])
@roles("coordinator")
def group_forbid(program_id: int, round_id: int, group_id: int):
    program, round_ = coordinated_round(program_id, round_id)
    group = run_group(runs.proposal_run(round_), group_id)
    form = ForbidPeersForm()
    choices = [(m.membership_id, m.name) for m in group.members]
    form.first.choices = form.second.choices = choices
    if submit(form, lambda: peer_review.forbid_in_group(round_, current_user, group, form.first.data,
                                                          form.second.data)):
        flash(_("These two will never be grouped together; their group left this proposal. Run the round again "
                "to place them."), "success")
        if is_htmx():
            return _peer_page(program, round_, runs.latest_run(round_), runs.proposal_run(round_))
        return _to_round(round_, "#review")
    return _peer_page(program, round_, runs.latest_run(round_), runs.proposal_run(round_), forbid_form=form,
                      forbid_group_id=group.id, status=422)


@bp.route(ROUND + "/objectives")
@roles("coordinator")
def objectives(program_id: int, round_id: int):
    """Both objectives' figures side by side (htmx loads it into the round page)."""
    program, round_ = coordinated_round(program_id, round_id)
    return page_or_partial("rounds/objectives.html", "rounds/_objectives.html", program=program, round=round_,
                           preview=round_objectives.objective_preview(round_), objective_form=ObjectiveForm(
                               objective=(round_.rules or {}).get("objective", "coverage")))


@bp.route(ROUND + "/objective", methods=["POST"])
@roles("coordinator")
def set_objective(program_id: int, round_id: int):
    _program, round_ = coordinated_round(program_id, round_id)
    form = ObjectiveForm()
    if form.validate_on_submit():
        attempt(lambda: round_objectives.set_objective(round_, current_user, form.objective.data),
                _("Objective set: %(objective)s. Run the round to use it.",
                  objective=str(round_objectives.OBJECTIVE_LABELS[form.objective.data]).lower()))
    else:
        flash(_("Choose “most people matched” or “best pairs only”."), "error")
    return _to_round(round_, "#objective")


@bp.route(ROUND + "/priorities/<int:mentee_id>", methods=["GET", "POST"])
@roles("coordinator")
def set_priority(program_id: int, round_id: int, mentee_id: int):
    """A mentee's priority in this and later rounds: a bonus (negative: lower) or must-match."""
    program, round_ = coordinated_round(program_id, round_id)
    mentee = program_mentee(program, mentee_id)
    current = fairness.priority_of(mentee.id)
    form = PriorityForm(obj=current) if current is not None else PriorityForm()
    if submit(form, lambda: fairness.set_priority(program, mentee, current_user, bonus=form.bonus.data,
                                                  must_match=form.must_match.data, note=form.note.data)):
        flash(_("Priority saved for %(name)s.", name=mentee.user.name), "success")
        return _to_round(round_, "#fairness")
    return render_template("rounds/priority.html", program=program, round=round_, mentee=mentee, form=form,
                           signals=fairness.signals(program).get(mentee.id, []),
                           carried=mentee.id in set(fairness.carried_over(round_)))


@bp.route(ROUND + "/run", methods=["POST"])
@roles("coordinator")
def run(program_id: int, round_id: int):
    _program, round_ = coordinated_round(program_id, round_id)
    try:
        runs.start_run(round_, current_user)
    except ServiceError as error:
        flash(error.message, "error")
    return _to_round(round_)


@bp.route(ROUND + "/runs/<int:run_id>/progress")
@roles("coordinator")
def progress(program_id: int, round_id: int, run_id: int):
    _program, round_ = coordinated_round(program_id, round_id)
    run = round_run(round_, run_id)
    runs.check_stale(run)  # a poll is what notices a dead worker
    return page_or_partial("rounds/progress.html", "rounds/_progress.html", program=round_.program, round=round_,
                           latest=run, run_error=runs.error_in_language(run.error))


@bp.route(ROUND + "/runs/<int:run_id>/cancel", methods=["POST"])
@roles("coordinator")
def cancel(program_id: int, round_id: int, run_id: int):
    _program, round_ = coordinated_round(program_id, round_id)
    run = round_run(round_, run_id)
    try:
        runs.request_cancel(run, current_user)
        flash(_("Cancelling the run."), "success")
    except ServiceError as error:
        flash(error.message, "error")
    return _to_round(round_)


@bp.route(ROUND + "/pairs")
@roles("coordinator")
def pairs(program_id: int, round_id: int):
    program, round_ = coordinated_round(program_id, round_id)
    run = round_run(round_, request.args.get("run", type=int)) if request.args.get("run") else runs.proposal_run(round_)
    if run is None:
        return _to_round(round_)
    page = review.pairs_page(run, q=request.args.get("q", ""), sort=request.args.get("sort", "score"),
                          filter=request.args.get("filter", "all"), page=request.args.get("page", 1, type=int))
    return page_or_partial("rounds/pairs.html", "rounds/_pairs.html", program=program, round=round_, run=run,
                           pairs_page=page)


@bp.route(ROUND + "/constraints", methods=["POST"])
@roles("coordinator")
def add_constraint(program_id: int, round_id: int):
    _program, round_ = coordinated_round(program_id, round_id)
    form = ConstraintForm()
    if submit(form, lambda: round_settings.add_constraint_by_email(round_, current_user, mentee_email=form.mentee_email.data,
                                                        mentor_email=form.mentor_email.data, kind=form.kind.data)):
        flash(_("Rule added. It holds in every re-run."), "success")
        return _to_round(round_, "#rules")
    return render_template("rounds/constraint_form.html", program=round_.program, round=round_, form=form), 422


@bp.route(ROUND + "/constraints/<int:constraint_id>/delete", methods=["POST"])
@roles("coordinator")
def remove_constraint(program_id: int, round_id: int, constraint_id: int):
    _program, round_ = coordinated_round(program_id, round_id)
    try:
        round_settings.remove_constraint(round_, current_user, round_constraint(round_, constraint_id))
    except ServiceError as error:
        flash(error.message, "error")
    return _to_round(round_, "#rules")


def _pair(round_, pair_id: int):
    """A pair of the proposal under review, else 404."""
    return run_pair(runs.proposal_run(round_), pair_id)


@bp.route(ROUND + "/pairs/<int:pair_id>/<any(lock, forbid):action>", methods=["POST"])
@roles("coordinator")
def pair_action(program_id: int, round_id: int, pair_id: int, action: str):
    _program, round_ = coordinated_round(program_id, round_id)
    pair = _pair(round_, pair_id)
    attempt(lambda: review.lock_or_forbid_pair(round_, current_user, pair, action),
            _("Pair locked.") if action == "lock" else _("Pair forbidden and taken out of this proposal."))
    return _to_round(round_, "#review")


@bp.route(ROUND + "/pairs/<int:pair_id>/swap", methods=["GET", "POST"])
@roles("coordinator")
def swap(program_id: int, round_id: int, pair_id: int):
    program, round_ = coordinated_round(program_id, round_id)
    pair = _pair(round_, pair_id)
    form = SwapForm()
    if submit(form, lambda: review.swap(round_, current_user, pair, form.mentor_id.data)):
        flash(_("%(mentee)s now has %(mentor)s; the pair is locked for re-runs.", mentee=pair.mentee_name, mentor=pair.mentor_name),
              "success")
        return _to_round(round_, "#review")
    options = review.swap_options(round_, pair)
    return page_or_partial("rounds/swap.html", "rounds/_swap.html", program=program, round=round_, pair=pair,
                           options=options, form=form)


@bp.route(ROUND + "/compare")
@roles("coordinator")
def compare(program_id: int, round_id: int):
    program, round_ = coordinated_round(program_id, round_id)
    done = [r for r in runs.runs_of(round_) if r.status == "done"]
    a_id, b_id = request.args.get("a", type=int), request.args.get("b", type=int)
    a = round_run(round_, a_id) if a_id else (done[1] if len(done) > 1 else None)
    b = round_run(round_, b_id) if b_id else (done[0] if done else None)
    diff = review.compare(a, b) if a and b else None
    return render_template("rounds/compare.html", program=program, round=round_, runs=done, a=a, b=b, diff=diff)


@bp.route(ROUND + "/approve", methods=["POST"])
@roles("coordinator")
def approve(program_id: int, round_id: int):
    _program, round_ = coordinated_round(program_id, round_id)
    try:
        if round_.kind != "mentor":
            count = peer_review.approve_groups(round_, current_user)
            flash(ngettext("Approved: %(num)d group formed; everyone in it has been told.",
                           "Approved: %(num)d groups formed; everyone in them has been told.", count), "success")
            return _to_round(round_)
        count = publish.approve_round(round_, current_user)
        flash(ngettext("Approved: %(num)d proposal sent to mentors and mentees.",
                       "Approved: %(num)d proposals sent to mentors and mentees.", count), "success")
    except ServiceError as error:
        flash(error.message, "error")
    return _to_round(round_)


@bp.route(ROUND + "/close", methods=["POST"])
@roles("coordinator")
def close(program_id: int, round_id: int):
    _program, round_ = coordinated_round(program_id, round_id)
    try:
        publish.close_round(round_, current_user)
        flash(_("Round closed."), "success")
    except ServiceError as error:
        flash(error.message, "error")
    return _to_round(round_)


@bp.route(ROUND + "/complete-all", methods=["GET", "POST"])
@roles("coordinator")
def complete_all(program_id: int, round_id: int):
    """Complete every accepted or active pairing of the round (and close it) in one confirmed
    step: GET is the confirm page (no JavaScript needed), POST does it."""
    program, round_ = coordinated_round(program_id, round_id)
    form = CompleteAllForm()
    if done := submit(form, lambda: lifecycle.complete_round(round_, current_user)):
        flash(ngettext("%(num)d pairing completed and the round is closed. "
                       "Everyone has been told and asked for their closing survey.",
                       "%(num)d pairings completed and the round is closed. "
                       "Everyone has been told and asked for their closing survey.", done.value), "success")
        return _to_round(round_, "#running")
    return render_template("rounds/complete_all.html", program=program, round=round_, form=form,
                           running=lifecycle.endable_pairings(round_))


@bp.route(ROUND + "/repair", methods=["POST"])
@roles("coordinator")
def repair(program_id: int, round_id: int):
    _program, round_ = coordinated_round(program_id, round_id)
    attempt(lambda: publish.repair_round(round_, current_user),
            lambda run: _("Repaired: %(pairs)s new proposals; %(left)s mentees still without a mentor.",
                          pairs=run.pair_count, left=run.unmatched_count))
    return _to_round(round_)


@bp.route(ROUND + "/export.csv")
@roles("coordinator")
def export(program_id: int, round_id: int):
    _program, round_ = coordinated_round(program_id, round_id)
    run = runs.proposal_run(round_)
    if run is None:
        flash(_("There are no pairs to export yet."), "error")
        return _to_round(round_)
    if round_.kind == "mentor":
        filename, body = f"round-{round_.id}-pairs.csv", round_export.export_csv(run)
    else:
        filename, body = f"round-{round_.id}-{round_.kind}s.csv", round_export.export_groups_csv(run)
    return Response(body, mimetype="text/csv",
                    headers={"Content-Disposition": f'attachment; filename="{filename}"'})


@bp.route("/programs/<int:program_id>/import", methods=["GET", "POST"])
@roles("coordinator")
def import_people(program_id: int):
    """GET: the upload form. POST with a file: preview. POST with confirm: apply, all or nothing
    (here for a small file, as a background job with a progress page for a large one)."""
    program = coordinated_program(program_id)
    form = ImportForm()
    preview = None
    if form.validate_on_submit():
        upload = form.file.data
        text = upload.read().decode("utf-8-sig", "replace") if upload else (form.csv_text.data or "")
        try:
            if not text.strip():
                raise ServiceError(_("Choose a CSV file to upload."), "file")
            preview = import_csv.preview(program, text)
            form.csv_text.data = text
            if request.form.get("confirm") == "1" and preview.ok:
                db.session.rollback()
                if len(preview.rows) > current_app.config.get("IMPORT_INLINE_ROWS", 500):
                    job = import_jobs.start(program, preview, current_user)
                    return redirect(url_for(".import_job", program_id=program.id, job_id=job.id), code=303)
                counts = import_csv.apply(program, text, current_user)
                flash(import_summary(counts), "success")
                return redirect(url_for("coordinator.program", program_id=program.id), code=303)
            if request.form.get("confirm") == "1":
                raise ServiceError(ngettext("%(num)d row has errors; fix it and upload again. Nothing was imported.",
                                            "%(num)d rows have errors; fix them and upload again. Nothing was imported.",
                                            preview.error_count), "file")
        except ServiceError as error:
            db.session.rollback()
            apply_service_error(form, error)
    return render_template("rounds/import.html", program=program, form=form, preview=preview)


def import_summary(counts: dict) -> str:
    # Same words whether an address had an account elsewhere or not: that is not ours to tell.
    return _("Imported %(rows)s rows: %(updated)s people already in the program were updated, %(emailed)s others "
             "were emailed (a new address gets an account and joins now; someone who already has an account joins "
             "when they accept).", rows=counts["rows"], updated=counts["updated"], emailed=counts["emailed"])


@bp.route("/programs/<int:program_id>/imports/<int:job_id>")
@roles("coordinator")
def import_job(program_id: int, job_id: int):
    program = coordinated_program(program_id)
    job = program_import_job(program, job_id)
    import_jobs.check_stale(job)  # a poll is what notices a dead worker
    return page_or_partial("rounds/import_job.html", "rounds/_import_job.html", program=program, job=job,
                           summary=import_summary(job.result) if job.status == "done" else "",
                           error=import_jobs.error_text(job) if job.status == "failed" else "")
