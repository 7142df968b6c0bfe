"""Every page a mentee, a mentor and a coordinator can reach fits a 390-pixel-wide phone.

Each role's test logs in on a 390×844 viewport, crawls the same-origin GET links from its home
(one page per kind of URL, so the crawl stays short whatever the demo's size) and fails naming
every page whose document is wider than the viewport. The three tests share one seeded demo
database (the seed takes seconds; the suite runs twice in CI).
"""
import re
import threading
from collections import deque
from urllib.parse import urldefrag, urlsplit

import pytest
from werkzeug.serving import make_server

from mentormatch import create_app
from mentormatch.extensions import db
from mentormatch.models import User
from mentormatch.models.rounds import Round, SolveRun
from mentormatch.services.rounds import peer_instance, peer_results
from tests.conftest import _empty_all_tables, app_config

from .conftest import SCREENSHOTS, assert_accessible, screenshot, ui_login
from .journey import DEMO_PASSWORD, seed

PHONE = {"width": 390, "height": 844}
MAX_PAGES = 45  # per role; the demo has about 25 kinds of page per role
SKIP = re.compile(r"/logout|/export|\.csv$|\.ics$|/static/|/answer/|/a/[^/]+$|/download")
HOME = {"mentee": ("mentee1@example.org", "/mentee/"), "mentor": ("mentor2@example.org", "/mentor/"),
        "coordinator": ("coordinator@example.org", "/coordinator/")}


@pytest.fixture(scope="module")
def demo_site(_schema):
    """The demo program served from a thread, seeded once for the three roles."""
    app = create_app(app_config(_schema))
    program = seed(app)
    # Made when the coordinator's crawl is done (the crawl sees one page per kind of URL: a peer round
    # first would hide the mentor rounds' review page from it).
    program["make_peer_rounds"] = lambda: proposed_peer_rounds(app, program["id"])
    server = make_server("127.0.0.1", 0, app, threaded=True)
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    base = f"http://127.0.0.1:{server.server_port}"
    app.config["PUBLIC_URL"] = base
    yield base, program
    server.shutdown()
    thread.join(timeout=5)
    with app.app_context():
        _empty_all_tables()
        db.engine.dispose()


def proposed_peer_rounds(app, program_id: int) -> list[int]:
    """A peer-pairs and a peer-circles round with a proposal each (their review page is show_groups.html,
    which the demo's mentor rounds never reach), solved in process."""
    ids = []
    with app.app_context():
        coordinator = db.session.scalar(db.select(User.id).where(User.email == HOME["coordinator"][0]))
        for kind in ("peer", "circle"):
            r = Round(program_id=program_id, name=f"Phone {kind} round", kind=kind, created_by_id=coordinator,
                      weights={}, rules=dict(peer_instance.PEER_DEFAULTS), pool={})
            db.session.add(r)
            db.session.flush()
            run = SolveRun(round_id=r.id, status="done", phase="done", kind="full")
            db.session.add(run)
            db.session.flush()
            data = peer_instance.build_peer_data(r)
            peer_results.store_peer_result(run, data, peer_results.solve(data))
            r.state = "proposed"
            ids.append(r.id)
        db.session.commit()
    return ids


@pytest.fixture
def phone(browser):
    context = browser.new_context(viewport=PHONE, locale="en-GB", timezone_id="Europe/Lisbon")
    context.set_default_timeout(8000)
    yield context.new_page()
    context.close()


def kind_of(path: str) -> str:
    """/requests/12/edit and /requests/31/edit are one kind of page."""
    return re.sub(r"/\d+", "/N", path)


def overflow(page) -> int:
    """How far the document is wider than the viewport, in CSS pixels (0 when it fits)."""
    return page.evaluate("document.documentElement.scrollWidth - window.innerWidth")


def widest(page) -> str:
    """The outermost elements that stick out past the right edge (not those inside a scrolling box)."""
    return page.evaluate("""() => {
        const clips = el => { for (let a = el.parentElement; a; a = a.parentElement) {
            if (['auto', 'scroll', 'hidden'].includes(getComputedStyle(a).overflowX)) return true; } return false; };
        const wide = el => el.getBoundingClientRect().right > window.innerWidth + 1;
        const out = [];
        for (const el of document.querySelectorAll('body *')) {
            if (out.length < 4 && wide(el) && !clips(el) && !(el.parentElement && wide(el.parentElement))) {
                out.push(el.tagName.toLowerCase() + (el.id ? '#' + el.id : '')
                         + (typeof el.className === 'string' && el.className ? '.' + el.className.trim().split(/ +/).join('.') : '')
                         + ' ' + Math.round(el.getBoundingClientRect().right) + 'px');
            }
        }
        return out.join(', ');
    }""")


def crawl(page, base: str, starts: list[str]) -> tuple[list[str], list[str]]:
    """Visit the pages reachable from the starts; return (pages visited, pages too wide)."""
    seen_kinds, visited, too_wide = set(), [], []
    queue = deque(starts)
    while queue and len(visited) < MAX_PAGES:
        path = queue.popleft()
        if kind_of(path) in seen_kinds:
            continue
        seen_kinds.add(kind_of(path))
        response = page.goto(base + path)
        if response is None or response.status >= 400 or not page.url.startswith(base):
            continue
        visited.append(path)
        extra = overflow(page)
        if extra > 0:
            too_wide.append(f"{path} is {390 + extra}px wide ({widest(page)})")
        for href in page.eval_on_selector_all("a[href]:not([download])", "els => els.map(a => a.href)"):
            url = urldefrag(href)[0]
            if not url.startswith(base):
                continue
            parts = urlsplit(url)
            target = parts.path + (f"?{parts.query}" if parts.query else "")
            if not SKIP.search(parts.path) and kind_of(parts.path) not in seen_kinds:
                queue.append(target)
    return visited, too_wide


@pytest.mark.parametrize("role", ["mentee", "mentor", "coordinator"])
def test_every_page_a_role_reaches_fits_a_390_pixel_phone(phone, demo_site, role):
    base, program = demo_site
    email, home = HOME[role]
    ui_login(phone, base, email, DEMO_PASSWORD)
    phone.goto(base + home)
    screenshot(phone, f"phone-{role}-home")
    # The menu folds into a disclosure; opened, every link and Log out sit inside the screen.
    assert not phone.get_by_role("link", name="Password").is_visible()
    phone.locator(".nav-menu summary").click()
    for control in (phone.get_by_role("link", name="Password"), phone.get_by_role("button", name="Log out")):
        box = control.bounding_box()
        assert control.is_visible() and box and box["x"] >= 0 and box["x"] + box["width"] <= PHONE["width"], box
    if role == "mentee":
        screenshot(phone, "phone-menu")
    starts = [home]
    if role == "coordinator":
        starts.append(f"/coordinator/programs/{program['id']}/rounds")
    visited, too_wide = crawl(phone, base, starts)
    print(f"{role}: {len(visited)} pages", *visited)
    assert len(visited) >= 5, f"the crawl reached only {visited}"
    assert not too_wide, "pages wider than a 390px phone:\n" + "\n".join(too_wide)
    if role == "coordinator":
        review = next((p for p in visited if re.fullmatch(r"/coordinator/programs/\d+/rounds/\d+", p)), None)
        assert review, f"no round review among {visited}"
        phone.goto(base + review)
        # The pairs table reads as one card per pair on a phone, not a table scrolled sideways.
        display, width = phone.eval_on_selector("#pairs table", "t => [getComputedStyle(t.querySelector('tbody tr'))"
                                                ".display, t.scrollWidth]")
        assert display == "block" and width <= PHONE["width"], (display, width)
        phone.locator("#pairs tbody tr").first.scroll_into_view_if_needed()
        phone.screenshot(path=str(SCREENSHOTS / "phone-round-review-pairs.png"))  # the screen, not the whole page
        assert_accessible(phone)
        screenshot(phone, "phone-round-review")
        # The peer and circle rounds' review page (groups, not pairs) is another template: it fits too.
        for round_id in program["make_peer_rounds"]():
            phone.goto(f"{base}/coordinator/programs/{program['id']}/rounds/{round_id}")
            assert phone.locator("#review li.group-card").count() >= 2
            phone.locator("#review li.group-card details summary").first.click()  # the forbid form, opened
            extra = overflow(phone)
            assert extra <= 0, f"round {round_id}'s group review is {390 + extra}px wide ({widest(phone)})"
            assert_accessible(phone)


TEXT_FITS = """sel => {
    const style = getComputedStyle(sel);
    const span = document.createElement('span');
    span.style.font = style.font;
    span.style.whiteSpace = 'pre';
    span.textContent = sel.options[sel.selectedIndex].text;
    document.body.appendChild(span);
    const need = span.getBoundingClientRect().width;
    span.remove();
    const room = sel.clientWidth - parseFloat(style.paddingLeft) - parseFloat(style.paddingRight);
    return room >= need - 0.5;
}"""


@pytest.mark.parametrize("width", [1280, 390])
def test_the_directory_filters_and_the_languages_box_show_everything(browser, demo_site, width):
    """The filter bar is not one big oval and its menus show their whole text; the languages box
    shows every row instead of cutting the last one in half."""
    base, program = demo_site
    context = browser.new_context(viewport={"width": width, "height": 900})
    context.set_default_timeout(8000)
    page = context.new_page()
    ui_login(page, base, "mentee1@example.org", DEMO_PASSWORD)
    page.goto(f"{base}/requests/programs/{program['id']}/mentors")
    filters = page.locator("form.directory-filters")
    page.locator("#topic").focus()
    assert filters.evaluate("f => getComputedStyle(f).boxShadow") == "none", "a focus ring drawn around every filter"
    for name in ("q", "topic", "language", "group", "sort"):
        radius = page.locator(f"#{name}").evaluate("el => parseFloat(getComputedStyle(el).borderTopLeftRadius)")
        assert radius < 12, f"{name} is drawn as a pill ({radius}px corners)"
    for select in page.locator("form.directory-filters select").all():
        assert select.evaluate(TEXT_FITS), f"{select.get_attribute('id')} cuts its text"
    assert_accessible(page)

    ui_login(page, base, "mentor2@example.org", DEMO_PASSWORD)
    page.goto(f"{base}/mentor/programs/{program['id']}/profile")
    box = page.locator(".languages fieldset")
    clipped = box.evaluate("b => b.scrollHeight - b.clientHeight")
    assert clipped <= 1, f"the languages box hides {clipped}px of rows"
    context.close()

