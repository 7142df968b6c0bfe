"""A real browser (Debian's Chromium driven by Playwright) against the app served from a thread."""
import threading
from pathlib import Path

import pytest
from werkzeug.serving import make_server

from tests.conftest import CHROMIUM, CHROMIUM_MISSING

SCREENSHOTS = Path(__file__).resolve().parents[2] / "docs" / "screenshots"


@pytest.fixture(scope="session")
def browser_type_launch_args():
    if not Path(CHROMIUM).exists():  # tests/conftest.py stops the run earlier; this is for paths it did not see
        pytest.exit(CHROMIUM_MISSING, returncode=pytest.ExitCode.USAGE_ERROR)
    return {
        "executable_path": CHROMIUM,
        "args": ["--no-sandbox", "--disable-gpu", "--disable-background-networking",
                 "--disable-component-update", "--disable-sync", "--no-first-run"],
    }


@pytest.fixture(scope="session")
def browser_context_args():
    return {"viewport": {"width": 1280, "height": 900}, "locale": "en-GB", "timezone_id": "Europe/Lisbon"}


@pytest.fixture
def live_server(app):
    server = make_server("127.0.0.1", 0, _read_whole(app), threaded=True)
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    base = f"http://127.0.0.1:{server.server_port}"
    app.config["PUBLIC_URL"] = base  # links in mail point at the site under test, as in production
    yield base
    server.shutdown()
    thread.join(timeout=5)


def _read_whole(app):
    """Werkzeug's dev server skips a response's close() when the browser drops the connection
    mid-answer (a favicon the page no longer wants), so a static file stays open and its
    ResourceWarning fails whichever test is running when it is collected. Hand the server the
    body already read, its file closed."""
    def serve(environ, start_response):
        body = app(environ, start_response)
        try:
            return [b"".join(body)]
        finally:
            if hasattr(body, "close"):
                body.close()
    return serve


def screenshot(page, name: str) -> None:
    """Keep docs/screenshots current: the test run rewrites them."""
    SCREENSHOTS.mkdir(parents=True, exist_ok=True)
    page.screenshot(path=str(SCREENSHOTS / f"{name}.png"), full_page=True)


def assert_accessible(page) -> None:
    """axe-core finds no serious or critical violation on the page as it is now."""
    from axe_playwright_python.sync_playwright import Axe

    results = Axe().run(page)
    bad = [v for v in results.response["violations"] if v.get("impact") in ("serious", "critical")]
    assert not bad, "\n".join(f"{v['id']} ({v['impact']}): {v['help']} at {[n['target'] for n in v['nodes']][:3]}"
                              for v in bad)


def ui_login(page, base: str, email: str, password: str) -> None:
    page.goto(f"{base}/auth/login")
    # By the fields' ids, not their labels: journeys in other languages log in the same way.
    page.locator("#email").fill(email)
    page.locator("#password").fill(password)
    page.locator("main form button[type=submit]").first.click()
    page.wait_for_load_state()


@pytest.fixture(autouse=True)
def _fail_fast(context):
    """A missing element fails in seconds, not Playwright's default 30 s."""
    context.set_default_timeout(8000)
    yield
