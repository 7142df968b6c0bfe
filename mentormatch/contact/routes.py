"""The "How to reach me" page: a person edits their own channels (there is no id in the URL, so
there is nobody else's row to reach)."""
from flask import flash, redirect, render_template, url_for
from flask_babel import gettext as _
from flask_login import current_user

from ..access import roles
from ..forms import submit
from ..services import contact
from . import bp
from .forms import ContactForm


@bp.route("/", methods=["GET", "POST"])
@roles("mentee", "mentor")
def edit():
    saved = contact.channels_of(current_user.id)
    form = ContactForm(obj=saved)
    if submit(form, lambda: contact.save_channels(current_user, form.data)):
        flash(_("Saved. Your accepted matches see what you chose to show."), "success")
        return redirect(url_for(".edit"), code=303)
    return render_template("contact/edit.html", form=form, preview=contact.shown_channels(current_user))
