"""The program report in a real browser (issue 17 part 2): the coordinator opens it from the program
page, reads the charts and their tables at desktop and phone width, prints it to PDF, and downloads
the workbook (prepared in the background, the page polling until it is ready), which openpyxl opens."""
from openpyxl import load_workbook
from playwright.sync_api import expect

from tests.conftest import PASSWORD
from tests.web.test_reports import EVIL, build

from .conftest import assert_accessible, screenshot, ui_login


def test_the_coordinator_reads_prints_and_downloads_the_report(page, live_server, app, world, tmp_path):
    ids = build(app, world)
    ui_login(page, live_server, world.coordinator.email, PASSWORD)
    page.goto(f"{live_server}/coordinator/programs/{world.program.id}")
    page.get_by_role("navigation", name="Program sections").get_by_role("link", name="Report").click()
    expect(page.get_by_role("heading", name="Program report", level=1)).to_be_visible()
    expect(page.get_by_role("img", name="Match, meeting and completion rates per round")).to_be_visible()
    expect(page.locator("#chart-rounds rect.bar")).to_have_count(6)  # 2 rounds x matched, met, completed
    expect(page.locator("#rounds-table tbody tr").first).to_contain_text("Spring")
    expect(page.locator("#rounds-table tbody tr").first).to_contain_text("3/4 · 75%")
    expect(page.locator("#fig-nps-mentor")).to_have_text("100")
    expect(page.get_by_text("Moved teams")).to_be_visible()
    assert_accessible(page)
    screenshot(page, "report_desktop")

    page.set_viewport_size({"width": 390, "height": 844})
    page.reload()
    assert page.evaluate("document.documentElement.scrollWidth") <= 390, "no sideways scrolling on a phone"
    expect(page.get_by_role("img", name="Check-in scores at 30 and 60 days")).to_be_visible()
    screenshot(page, "report_phone")

    page.set_viewport_size({"width": 1280, "height": 900})
    page.emulate_media(media="print")
    expect(page.locator(".site-header")).to_be_hidden()
    expect(page.locator("#workbook-job")).to_be_hidden()
    expect(page.locator("#rounds-table")).to_be_visible()
    pdf = page.pdf(format="A4", print_background=True)
    assert pdf.startswith(b"%PDF-") and pdf.count(b"%%EOF") == 1 and len(pdf) > 5000
    assert pdf.count(b"/Type /Page") - pdf.count(b"/Type /Pages") >= 1
    page.emulate_media(media="screen")

    # The workbook is prepared in the background: the section polls until the link is there.
    page.locator("#prepare-workbook").click()
    expect(page.locator("#download-workbook")).to_be_visible(timeout=30_000)
    with page.expect_download() as download:
        page.locator("#download-workbook").click()
    assert download.value.suggested_filename == f"program-{world.program.id}.xlsx"
    saved = tmp_path / download.value.suggested_filename
    download.value.save_as(saved)
    book = load_workbook(saved)
    assert "Pairings" in book.sheetnames and "Closing surveys" in book.sheetnames
    sheet = book["Pairings"]
    assert [c.value for c in sheet[1]][:5] == ["pairing_id", "round", "mentee", "mentor", "state"]
    rows = {r[0]: r for r in sheet.iter_rows(min_row=2, values_only=True)}
    assert rows[ids["early"]][4] == "ended_early" and rows[ids["early"]][-1] == "Moved teams"
    goals = [r for r in book["Goal forms"].iter_rows(min_row=2, values_only=True) if r[1] == world.mentee.name]
    assert goals[0][4] == "'" + EVIL
