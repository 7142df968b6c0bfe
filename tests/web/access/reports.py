"""Access cases for the program report and its exports (issue 17 part 2): the program's
coordinators only; the other program's coordinator gets 404 (tests/web/test_reports.py also edits
the ids and tries each role on a real program)."""
from .cases import Case

COORDINATOR = dict(roles=("coordinator",), owner=lambda w: w.coordinator, stranger=lambda w: w.other_coordinator)

CASES = {
    "health.report": Case(url=lambda w: f"/coordinator/programs/{w.program.id}/report", **COORDINATOR),
    "health.export_csv": Case(url=lambda w: f"/coordinator/programs/{w.program.id}/export/people.csv", **COORDINATOR),
    "health.export_workbook": Case(url=lambda w: f"/coordinator/programs/{w.program.id}/export.xlsx", **COORDINATOR),
    # The workbook prepared in the background: tests/web/test_workbook_jobs.py opens a real job as
    # its coordinators, another program's coordinator and every role; here id 0 proves 403 and 404.
    "health.prepare_workbook": Case(url=lambda w: f"/coordinator/programs/{w.program.id}/workbook", method="POST",
                                    **COORDINATOR),
    "health.workbook": Case(url=lambda w: f"/coordinator/programs/{w.program.id}/workbook/0",
                            roles=("coordinator",), stranger=lambda w: w.other_coordinator),
    "health.download_workbook": Case(url=lambda w: f"/coordinator/programs/{w.program.id}/workbook/0/download",
                                     roles=("coordinator",), stranger=lambda w: w.other_coordinator),
}
