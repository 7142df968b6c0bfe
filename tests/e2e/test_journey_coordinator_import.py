"""A coordinator imports mentors and mentees from a CSV: preview first, then all or nothing."""
from playwright.sync_api import expect

from tests.conftest import PASSWORD

from .conftest import assert_accessible, screenshot, ui_login

GOOD_CSV = b"""name,email,role,topics,languages,years,time zone,capacity,preference,goal
Rita Rivera,rita@example.org,mentor,Python;Interviewing,en;pt,9,Europe/Lisbon,2,,
Sam Sato,sam@example.org,mentor,Public speaking,en,12,Asia/Tokyo,1,,
Tara Tull,tara@example.org,mentee,Python,en,1,Europe/London,,ahead,Ship my first pull request at work
"""
BAD_CSV = b"""name,email,role
Una Unknown,not-an-email,mentor
"""


def test_coordinator_previews_a_csv_then_imports_everyone_in_it(page, live_server, make_user, make_program):
    coordinator = make_user("coordinator", "Cleo Coordinator")
    program = make_program(coordinator, "Autumn Circle")
    page.goto(f"{live_server}/auth/login")
    assert_accessible(page)
    screenshot(page, "login")
    ui_login(page, live_server, coordinator.email, PASSWORD)
    page.goto(f"{live_server}/coordinator/programs/{program.id}")
    page.get_by_role("link", name="Import", exact=False).first.click()
    expect(page.get_by_role("heading", name="Import mentors and mentees")).to_be_visible()
    assert_accessible(page)

    # A bad file: the problem is shown on its row, and there is no import button.
    page.get_by_label("CSV file").set_input_files(files=[{"name": "bad.csv", "mimeType": "text/csv", "buffer": BAD_CSV}])
    page.get_by_role("button", name="Preview").click()
    expect(page.locator("#preview")).to_contain_text("with errors")
    expect(page.get_by_role("alert")).to_contain_text("Nothing has been imported")
    expect(page.get_by_role("button", name="Import 1 person")).to_have_count(0)

    page.get_by_label("CSV file").set_input_files(files=[{"name": "people.csv", "mimeType": "text/csv", "buffer": GOOD_CSV}])
    page.get_by_role("button", name="Preview").click()
    preview = page.locator("#preview")
    expect(preview).to_contain_text("Preview: 3 people")
    expect(preview).to_contain_text("rita@example.org")
    assert_accessible(page)
    screenshot(page, "import-preview")

    page.get_by_role("button", name="Import 3 people").click()
    page.wait_for_load_state()
    page.goto(f"{live_server}/coordinator/programs/{program.id}")
    for name in ("Rita Rivera", "Sam Sato", "Tara Tull"):
        expect(page.get_by_role("main")).to_contain_text(name)
    assert_accessible(page)
