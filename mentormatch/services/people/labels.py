"""The words shown for the stored choices of goal forms and profiles: one set, used by the forms
and by every page that shows a choice (cards, summaries)."""

ROLE_LEVEL_LABELS = {
    "student": "Student", "junior": "Junior", "mid": "Mid-level", "senior": "Senior", "lead": "Lead / staff",
    "manager": "Manager", "executive": "Executive",
}
# The form's options, starting empty so that nobody saves a level they did not pick.
ROLE_LEVEL_CHOICES = [("", "Choose…")] + list(ROLE_LEVEL_LABELS.items())
PREFERENCE_LABELS = {
    "peer": "A peer (about my level)",
    "ahead": "Someone a few years ahead",
    "senior": "A senior person",
}
WANTS_LABELS = {
    "cohort": "A mentor for the cohort (a pairing for the round)",
    "micro": "Micro-requests (small, specific asks)",
    "both": "Both",
}
CONTEXT_LABELS = {"industry": "Industry", "groups": "Affinity groups", "background": "Background", "location": "Location"}
