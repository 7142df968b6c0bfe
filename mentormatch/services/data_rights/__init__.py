"""People's data rights (issue 17 items 3-4): what of a person is stored (personal.py, the one
declared list), exporting it, erasing it after a deletion's grace period, removing a member from a
program, the program audit log and the retention of ended programs."""
