"""Data rights pages: /account/... for the person, /coordinator/programs/<id>/... for the program."""
import json

from flask import Response, redirect, render_template, request, url_for
from flask_babel import gettext as _
from flask_login import current_user

from ..access import coordinated_program, logged_in, program_membership, public, roles
from ..forms import attempt
from ..services.data_rights import audit, deletion, export, members, programs_end
from . import bp
from .forms import AuditFilterForm

# -- the person's own data ---------------------------------------------------------------------

@bp.route("/account/")
@logged_in
def account():
    return render_template("data_rights/account.html", grace_days=deletion.GRACE_DAYS)


@bp.route("/account/data")
@logged_in
def my_data():
    return render_template("data_rights/my_data.html", data=export.collect(current_user))


@bp.route("/account/data.json")
@logged_in
def my_data_json():
    body = json.dumps(export.collect(current_user), indent=2, ensure_ascii=False)
    return Response(body, mimetype="application/json",
                    headers={"Content-Disposition": 'attachment; filename="my-mentormatch-data.json"'})


@bp.route("/account/delete", methods=["POST"])
@logged_in
def request_delete():
    if attempt(lambda: deletion.request(current_user),
               _("We sent you an email: follow its link to confirm the deletion.")):
        return redirect(url_for(".account"), code=303)
    return redirect(url_for(".account"), code=303)


@bp.route("/account/delete/confirm/<token>", methods=["GET", "POST"])
@public
def confirm_delete(token: str):
    user = deletion.user_for_token(token, "confirm")
    if user is None:
        return render_template("data_rights/link_not_valid.html"), 404
    if request.method == "POST" and attempt(lambda: deletion.confirm(user)):
        return render_template("data_rights/scheduled.html", user=user)
    return render_template("data_rights/confirm.html", user=user, grace_days=deletion.GRACE_DAYS)


@bp.route("/account/delete/undo/<token>", methods=["GET", "POST"])
@public
def undo_delete(token: str):
    user = deletion.user_for_token(token, "undo")
    if user is None:
        return render_template("data_rights/link_not_valid.html"), 404
    if request.method == "POST":
        if not attempt(lambda: deletion.undo(user)):  # undone or erased a moment ago
            return render_template("data_rights/link_not_valid.html"), 404
        return render_template("data_rights/undone.html", user=user)
    return render_template("data_rights/undo.html", user=user)


@bp.route("/account/delete/undo", methods=["POST"])
@logged_in
def undo_delete_here():
    attempt(lambda: deletion.undo(current_user), _("Your account will not be deleted."))
    return redirect(url_for(".account"), code=303)


# -- the program's side --------------------------------------------------------------------------

@bp.route("/coordinator/programs/<int:program_id>/people/<int:membership_id>/remove", methods=["GET", "POST"])
@roles("coordinator")
def remove_member(program_id: int, membership_id: int):
    program = coordinated_program(program_id)
    member = program_membership(program, membership_id)
    if request.method == "POST":
        if attempt(lambda: members.remove(program, member, current_user),
                   _("%(name)s was removed from %(program)s.", name=member.user.name, program=program.name)):
            return redirect(url_for("coordinator.people_list", program_id=program.id), code=303)
        return redirect(url_for("coordinator.person", program_id=program.id, membership_id=member.id), code=303)
    return render_template("data_rights/remove_member.html", program=program, member=member)


@bp.route("/coordinator/programs/<int:program_id>/coordinators/<int:user_id>/remove", methods=["POST"])
@roles("coordinator")
def remove_coordinator(program_id: int, user_id: int):
    program = coordinated_program(program_id)
    attempt(lambda: programs_end.remove_coordinator(program, user_id, current_user), _("Coordinator removed."))
    if user_id == current_user.id:
        return redirect(url_for("coordinator.home"), code=303)
    return redirect(url_for("coordinator.program", program_id=program.id), code=303)


@bp.route("/coordinator/programs/<int:program_id>/end", methods=["POST"])
@roles("coordinator")
def end_program(program_id: int):
    program = coordinated_program(program_id)
    attempt(lambda: programs_end.end(program, current_user), _("The program is marked as ended."))
    return redirect(url_for("coordinator.program", program_id=program.id), code=303)


@bp.route("/coordinator/programs/<int:program_id>/audit")
@roles("coordinator")
def audit_log(program_id: int):
    program = coordinated_program(program_id)
    form = AuditFilterForm(request.args)
    form.actor.choices = [("", _("Anyone"))] + [(str(i), name) for i, name in audit.actors(program)]
    valid = form.validate()
    filters = audit.Filters(actor_id=int(form.actor.data) if valid and form.actor.data else None,
                            kind=form.kind.data if valid else "",
                            since=form.since.data if valid else None, until=form.until.data if valid else None)
    if valid and request.args.get("format") == "csv":
        return Response(audit.as_csv(program, filters), mimetype="text/csv", headers={
            "Content-Disposition": f'attachment; filename="audit-program-{program.id}.csv"'})
    rows = audit.entries(program, filters) if valid else []
    return render_template("data_rights/audit.html", program=program, form=form, rows=rows, limit=audit.LIMIT,
                           csv_args={**request.args.to_dict(), "format": "csv"}), (200 if valid else 400)
