"""The words shown for the stored choices of goal forms and profiles: one set, used by the forms
and by every page that shows a choice (cards, summaries). Lazy: each is translated when a page shows it."""
from flask_babel import lazy_gettext as _l

ROLE_LEVEL_LABELS = {
    "student": _l("Student"), "junior": _l("Junior"), "mid": _l("Mid-level"), "senior": _l("Senior"),
    "lead": _l("Lead / staff"), "manager": _l("Manager"), "executive": _l("Executive"),
}
# The form's options, starting empty so that nobody saves a level they did not pick.
ROLE_LEVEL_CHOICES = [("", _l("Choose…"))] + list(ROLE_LEVEL_LABELS.items())
PREFERENCE_LABELS = {
    "peer": _l("A peer (about my level)"),
    "ahead": _l("Someone a few years ahead"),
    "senior": _l("A senior person"),
}
WANTS_LABELS = {
    "cohort": _l("A mentor for the cohort (a pairing for the round)"),
    "micro": _l("Micro-requests (small, specific asks)"),
    "both": _l("Both"),
}
CONTEXT_LABELS = {"industry": _l("Industry"), "groups": _l("Affinity groups"), "background": _l("Background"),
                  "location": _l("Location")}
