"""Program health for coordinators: figures, silent mentors, and what to do about them."""
from flask import Response, abort, current_app, flash, redirect, render_template, url_for
from flask_babel import gettext as _
from flask_babel import ngettext
from flask_login import current_user

from ..access import coordinated_program, program_membership, program_mentor_profile, program_workbook, roles
from ..core import outbox
from ..forms import attempt
from ..htmx import is_htmx, page_or_partial, redirect_htmx_aware
from ..services import checkins, exports, groups, health, meetings, mentor_approval, reports, threads, workbook_jobs
from ..services.programs import programs_of_coordinator
from . import bp


@bp.route("/programs/<int:program_id>/health")
@roles("coordinator")
def program(program_id: int):
    program = coordinated_program(program_id)
    figures = health.program_health(program)
    reports = health.open_reports(program)
    return render_template("health/program.html", program=program, h=figures, chart=health.chart(figures.weeks),
                           reports=reports, report_threads=threads.reported_threads(reports), pending=mentor_approval.pending_mentors(program),
                           checkin=checkins.program_results(program), met=meetings.program_met(program.id),
                           endings=health.endings(program), circles=groups.program_circles(program))


@bp.route("/programs/<int:program_id>/report")
@roles("coordinator")
def report(program_id: int):
    """The program report to send upward: figures, per-round trends as charts with tables, print-ready."""
    program = coordinated_program(program_id)
    figures = reports.program_report(program)
    return render_template("health/report.html", program=program, r=figures, charts=reports.charts(figures),
                           endings=figures.endings, export_kinds=list(exports.KINDS),
                           workbook=workbook_jobs.latest(program))


@bp.route("/programs/<int:program_id>/export/<kind>.csv")
@roles("coordinator")
def export_csv(program_id: int, kind: str):
    program = coordinated_program(program_id)
    if kind not in exports.KINDS:
        abort(404)
    return _download(exports.export_csv(program, kind), "text/csv; charset=utf-8", f"program-{program.id}-{kind}.csv")


@bp.route("/programs/<int:program_id>/export.xlsx")
@roles("coordinator")
def export_workbook(program_id: int):
    """The direct download, for small programs only: a large one would hold the request for tens of
    seconds, so it is sent to "Prepare workbook" (the background job) instead."""
    program = coordinated_program(program_id)
    if exports.member_count(program) > current_app.config["WORKBOOK_INLINE_PEOPLE"]:
        flash(_("This program is large: prepare the workbook and download it when it is ready."), "info")
        return redirect(url_for(".report", program_id=program.id) + "#workbook-job", code=303)
    return _download(exports.export_workbook(program), workbook_jobs.CONTENT_TYPE, f"program-{program.id}.xlsx")


@bp.route("/programs/<int:program_id>/workbook", methods=["POST"])
@roles("coordinator")
def prepare_workbook(program_id: int):
    program = coordinated_program(program_id)
    job = workbook_jobs.start(program, current_user)
    if is_htmx():  # the report page's section replaces itself, and polls from there
        return page_or_partial("health/workbook.html", "health/_workbook_job.html", program=program, job=job)
    return redirect(url_for(".workbook", program_id=program.id, job_id=job.id), code=303)


@bp.route("/programs/<int:program_id>/workbook/<int:job_id>")
@roles("coordinator")
def workbook(program_id: int, job_id: int):
    program = coordinated_program(program_id)
    job = program_workbook(program, job_id)
    workbook_jobs.check_stale(job)  # a poll is what notices a killed worker
    return page_or_partial("health/workbook.html", "health/_workbook_job.html", program=program, job=job)


@bp.route("/programs/<int:program_id>/workbook/<int:job_id>/download")
@roles("coordinator")
def download_workbook(program_id: int, job_id: int):
    program = coordinated_program(program_id)
    body = workbook_jobs.content(program_workbook(program, job_id))
    if body is None:  # not ready (or failed): the job page says which
        abort(404)
    return _download(body, workbook_jobs.CONTENT_TYPE, f"program-{program.id}.xlsx")


def _download(body, content_type: str, filename: str) -> Response:
    return Response(body, content_type=content_type, headers={
        "Content-Disposition": f'attachment; filename="{filename}"', "Cache-Control": "no-store"})


@bp.route("/programs/<int:program_id>/mentors/<int:mentor_id>/approve", methods=["POST"])
@roles("coordinator")
def approve_mentor(program_id: int, mentor_id: int):
    program = coordinated_program(program_id)
    membership = program_membership(program, mentor_id)
    attempt(lambda: mentor_approval.approve_mentor(program, membership, current_user),
            _("%(name)s is approved: they now appear in the directory and in rounds.", name=membership.user.name))
    return redirect_htmx_aware(url_for(".program", program_id=program.id) + "#approvals")


@bp.route("/programs/<int:program_id>/reports/<int:report_id>/resolve", methods=["POST"])
@roles("coordinator")
def resolve_report(program_id: int, report_id: int):
    program = coordinated_program(program_id)
    report = health.report_in(program, report_id) or abort(404)
    attempt(lambda: health.resolve_report(report, current_user), _("Report marked resolved."))
    return redirect_htmx_aware(url_for(".program", program_id=program.id) + "#reports")


@bp.route("/programs/<int:program_id>/mentors/<int:mentor_id>/nudge", methods=["POST"])
@roles("coordinator")
def nudge(program_id: int, mentor_id: int):
    program = coordinated_program(program_id)
    profile = program_mentor_profile(program, mentor_id)
    attempt(lambda: health.nudge(program, profile, current_user),
            lambda n: ngettext("Nudged %(name)s about %(num)d waiting item.", "Nudged %(name)s about %(num)d waiting items.",
                              n, name=profile.membership.user.name))
    return redirect_htmx_aware(url_for(".program", program_id=program.id))


@bp.route("/programs/<int:program_id>/mentors/<int:mentor_id>/unavailable", methods=["POST"])
@roles("coordinator")
def mark_unavailable(program_id: int, mentor_id: int):
    program = coordinated_program(program_id)
    profile = program_mentor_profile(program, mentor_id)
    attempt(lambda: health.mark_unavailable(program, profile, current_user),
            _("%(name)s is marked unavailable and will get no new requests.", name=profile.membership.user.name))
    return redirect_htmx_aware(url_for(".program", program_id=program.id))


@bp.route("/programs/<int:program_id>/mail")
@roles("coordinator")
def mail(program_id: int):
    """Delivery of the program's email: what went out, what is being retried, what failed."""
    program = coordinated_program(program_id)
    return render_template("health/mail.html", program=program, counts=outbox.mail_counts(program.id),
                           undelivered=outbox.undelivered(program.id))


@bp.route("/programs/<int:program_id>/mail/retry", methods=["POST"])
@bp.route("/programs/<int:program_id>/mail/<int:message_id>/retry", methods=["POST"])
@roles("coordinator")
def retry_mail(program_id: int, message_id: int | None = None):
    program = coordinated_program(program_id)
    count = outbox.retry_failed(program.id, message_id)
    if message_id is not None and count == 0:
        abort(404)
    flash(ngettext("%(num)d email will be sent again now.", "%(num)d emails will be sent again now.", count)
          if count else _("Nothing to retry."),
          "success" if count else "info")
    return redirect_htmx_aware(url_for(".mail", program_id=program.id))


@bp.route("/health")
@roles("coordinator")
def index():
    """The nav's entry point: straight to the one program's health, or a list to choose from."""
    mine = programs_of_coordinator(current_user)
    if len(mine) == 1:
        return redirect(url_for(".program", program_id=mine[0].id))
    return render_template("health/index.html", programs=mine)
