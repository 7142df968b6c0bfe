"""The people side of a program, one module per concern (docs/architecture.md):

- vocabulary: the program's topic and affinity-group lists, and the ordered topic picker
- fields, context: the field checks every form shares, and the context fields mentees and mentors share
- goal_forms: the mentee's goal form (and the power-question hint)
- profiles: the mentor's profile, capacity and availability
- mentorships: memberships and the pairings that let people see each other
- notes: a mentor's private notes, follow-ups and thanks
- roster: the coordinator's view of who has filled in what
- labels: words shown for the stored choices

Every save re-checks its values in these services, whatever the form did: the service is the last
line before the database, and the CLI, the demo, the CSV import and the web all come through it.
"""
