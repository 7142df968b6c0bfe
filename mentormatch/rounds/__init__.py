"""Match rounds for coordinators: create, run, review, edit, compare, approve; CSV import."""
