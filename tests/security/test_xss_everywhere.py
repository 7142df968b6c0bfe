"""Script typed into any free-text field comes back escaped on every page that shows it.

The demo program (people, goal forms, profiles, requests, follow-ups, a solved round) gets a
script payload in every free-text column of every row; then each role crawls every page and
htmx partial it can reach, and no page may contain the payload unescaped.
"""
import re
from collections import deque
from types import SimpleNamespace

from sqlalchemy import String, Text

from mentormatch import demo
from mentormatch.extensions import db
from tests.conftest import login

TEXT_NAMES = {"name", "industry", "background", "location", "description", "mentee_name", "mentor_name",
              "title", "bio", "role_level_label"}
LINK = re.compile(r'(?:href|hx-get)="(/[^"#]*)"')
RAW, ESCAPED = "<script>xss(", "&lt;script&gt;xss("
MAX_PAGES = 150


def taint_every_free_text_column() -> int:
    tainted = 0
    for table in db.metadata.sorted_tables:
        columns = [c for c in table.columns
                   if isinstance(c.type, Text) or (isinstance(c.type, String) and c.name in TEXT_NAMES)]
        if not columns or "id" not in table.c:
            continue
        for (row_id,) in db.session.execute(db.select(table.c.id)).all():
            values = {}
            for column in columns:
                payload = f"<script>xss({row_id})</script>"
                length = getattr(column.type, "length", None)
                values[column.name] = payload[:length] if length else payload + " and some text"
            db.session.execute(table.update().where(table.c.id == row_id).values(**values))
            tainted += 1
    db.session.commit()
    return tainted


def crawl(client, start: str) -> tuple[int, int]:
    """Visit every same-site page and htmx partial reachable from `start`; return (pages, showing)."""
    seen, queue, pages, showing = {start}, deque([start]), 0, 0
    while queue and pages < MAX_PAGES:
        url = queue.popleft()
        response = client.get(url, headers={"HX-Request": "true"} if "/partials/" in url else {})
        if not response.content_type.startswith("text/html"):
            continue
        html = response.get_data(as_text=True)
        pages += 1
        assert RAW not in html, f"unescaped script on {url}"
        showing += ESCAPED in html
        for link in LINK.findall(html):
            link = link.replace("&amp;", "&")
            if link.startswith("/static/") or "logout" in link or link in seen:
                continue
            seen.add(link)
            queue.append(link)
    return pages, showing


MIN_PAGES = {"coordinator": 30, "mentor": 5, "mentee": 10}  # what each demo role reaches today, roughly


def test_script_in_any_text_field_is_escaped_on_every_page(app, client):
    with app.app_context():
        demo.seed()
        assert taint_every_free_text_column() > 100
    for role, email, _ in demo.demo_accounts():
        browser = app.test_client()
        login(browser, SimpleNamespace(email=email), demo.DEMO_PASSWORD)
        pages, showing = crawl(browser, f"/{role}/")
        assert pages >= MIN_PAGES[role], f"{role} reached only {pages} pages"
        assert showing >= 2, f"{role}: the payload was shown escaped on only {showing} of {pages} pages"
