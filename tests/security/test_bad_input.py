"""Input the database cannot store gets a clear 4xx or a field error, never a 500, and changes nothing.

Run on both engines (TEST_DATABASE_URL for PostgreSQL): PostgreSQL refuses NUL in text and ids
above 2**31-1; SQLite ids above 2**63-1.

* every form each demo role can reach, with a NUL in each of its text fields in turn (and the
  database unchanged afterwards), then with 10**30 in all its number and choice fields;
* every link that carries a number in its query string, with 10**30 instead;
* every URL of the URL map that has an integer part, with ids beyond the integer range.
"""
import re
from collections import deque
from html.parser import HTMLParser
from types import SimpleNamespace
from urllib.parse import urlencode, urlsplit

import pytest
from werkzeug.datastructures import MultiDict
from werkzeug.exceptions import MethodNotAllowed, NotFound
from werkzeug.routing.converters import IntegerConverter

from mentormatch import demo
from mentormatch.extensions import db
from tests.conftest import csrf_from, login
from tests.web.test_access_map import CASES

NUL = "bad\x00input"
TEXT_TYPES = {"text", "email", "search", "url", "tel", "password", "textarea"}
NUMERIC_QUERY = re.compile(r"([?&][^=&]+=)(-?\d+)(?=&|$)")
LINK = re.compile(r'(?:href|hx-get)="(/[^"#]*)"')
NUMBER_TYPES = {"number", "range", "select", "hidden", "checkbox", "radio"}
HUGE_NUMBER = str(10**30)
MAX_PAGES = 200
HUGE_IDS = (str(2**31), str(2**63), str(10**30), "9" * 5000)  # as typed into an address


class FormParser(HTMLParser):
    """The forms of a page: action, method and their fields (name, type, default value)."""

    def __init__(self, page: str):
        super().__init__()
        self.page, self.forms, self.form, self.select = page, [], None, None

    def handle_starttag(self, tag, attrs):
        a = dict(attrs)
        if tag == "form":
            action = a.get("action") or a.get("hx-post") or a.get("hx-get") or self.page
            method = "post" if (a.get("method") or "").lower() == "post" or "hx-post" in a else "get"
            self.form = SimpleNamespace(action=action.replace("&amp;", "&"), method=method, fields=[])
            self.forms.append(self.form)
        elif self.form is None or not a.get("name"):
            return
        elif tag == "input":
            kind = (a.get("type") or "text").lower()
            if kind in ("checkbox", "radio") and "checked" not in a:
                return
            if kind not in ("submit", "button", "file", "reset", "image"):
                self.form.fields.append([a["name"], kind, a.get("value", "")])
        elif tag == "textarea":
            self.form.fields.append([a["name"], "textarea", ""])
        elif tag == "select":
            self.select = [a["name"], "select", None]
            self.form.fields.append(self.select)
        elif tag == "option" and self.select is not None and self.select[2] is None:
            self.select[2] = a.get("value", "")

    def handle_endtag(self, tag):
        if tag == "form":
            self.form = None
        elif tag == "select" and self.select is not None:
            self.select[2] = self.select[2] or ""
            self.select = None


def crawl_forms(browser) -> tuple[dict, int]:
    """Every distinct form (by action path and field names) on every page reachable from home;
    `browser.numeric_links` gets every link whose query string holds a number."""
    start = "/" + browser.role + "/"
    seen, queue, forms, pages = {start}, deque([start]), {}, 0
    browser.numeric_links = [u for u in seen if NUMERIC_QUERY.search(u)]
    while queue and pages < MAX_PAGES:
        url = queue.popleft()
        response = browser.get(url, headers={"HX-Request": "true"} if "/partials/" in url else {})
        if response.status_code != 200 or not response.content_type.startswith("text/html"):
            continue
        pages += 1
        html = response.get_data(as_text=True)
        parser = FormParser(url)
        parser.feed(html)
        for form in parser.forms:
            path = urlsplit(form.action).path
            if "logout" in path:
                continue
            key = (form.method, re.sub(r"\d+", "N", path), tuple(sorted(f[0] for f in form.fields)))
            forms.setdefault(key, (url, form))
        for link in LINK.findall(html):
            link = link.replace("&amp;", "&")
            if link.startswith("/static/") or "logout" in link or link in seen:
                continue
            seen.add(link)
            queue.append(link)
            if NUMERIC_QUERY.search(link):
                browser.numeric_links.append(link)
    return forms, pages


# Viewing a page with a conversation stamps what the viewer has read (thread_reads): a read receipt of
# the GET that fetched the form's token, not a change made by the refused form.
VIEWING = {"thread_reads"}


def database_dump() -> dict:
    return {t.name: sorted(map(repr, db.session.execute(t.select()).all())) for t in db.metadata.sorted_tables
            if t.name not in VIEWING}


MIN_FORMS = {"coordinator": 15, "mentor": 3, "mentee": 4}  # distinct forms each demo role reaches today


def test_a_nul_in_any_text_field_of_any_form_is_refused_and_changes_nothing(app):
    with app.app_context():
        demo.seed()
    endpoints = set()
    for role, email, _ in demo.demo_accounts():
        browser = app.test_client()
        browser.role = role
        login(browser, SimpleNamespace(email=email), demo.DEMO_PASSWORD)
        forms, pages = crawl_forms(browser)
        assert len(forms) >= MIN_FORMS[role], f"{role} reached only {len(forms)} forms on {pages} pages"
        with app.app_context():
            before = database_dump()
        for page, form in forms.values():
            texts = [f for f in form.fields if f[1] in TEXT_TYPES and f[0] != "csrf_token"]
            for target in texts:
                data = MultiDict([(f[0], NUL if f is target else f[2]) for f in form.fields])
                if form.method == "post":
                    data["csrf_token"] = csrf_from(browser.get(page).get_data(as_text=True))
                    response = browser.post(form.action, data=data)
                else:
                    sep = "&" if "?" in form.action else "?"
                    response = browser.get(form.action + sep + urlencode(list(data.items(multi=True))))
                assert 400 <= response.status_code < 500, (role, form.method, form.action, target[0], response.status_code)
                endpoints.add(app.url_map.bind("localhost").match(urlsplit(form.action).path, form.method.upper())[0])
        with app.app_context():
            assert database_dump() == before, f"a refused form changed the database ({role})"
        # Numbers beyond the integer range in every number or choice field, and in query strings.
        for page, form in forms.values():
            if not any(f[1] in NUMBER_TYPES and f[0] != "csrf_token" for f in form.fields):
                continue
            data = MultiDict([(f[0], HUGE_NUMBER if f[1] in NUMBER_TYPES else f[2]) for f in form.fields])
            data["csrf_token"] = csrf_from(browser.get(page).get_data(as_text=True))
            response = (browser.post(form.action, data=data) if form.method == "post"
                        else browser.get(form.action, query_string=data))
            assert response.status_code < 500, (role, form.method, form.action, "numbers")
        for link in browser.numeric_links:
            response = browser.get(NUMERIC_QUERY.sub(lambda m: m.group(1) + HUGE_NUMBER, link))
            assert response.status_code < 500, (role, link)
    # The sweep reaches the forms people type into most.
    assert {"auth.change_password", "mentee.goals", "mentor.profile", "requests.directory",
            "requests.new", "rounds.settings"} <= endpoints, sorted(endpoints)


def test_a_nul_in_the_address_or_a_public_form_is_a_400_naming_the_field(client):
    response = client.get("/join/abc%00def")
    assert response.status_code == 400
    token = csrf_from(client.get("/auth/signup").get_data(as_text=True))
    response = client.post("/auth/signup", data={"csrf_token": token, "email": "ann\x00@example.org",
                                                 "role": "mentee"})
    assert response.status_code == 400 and "“email” contains a NUL character" in response.get_data(as_text=True)


def _role_user(world, roles):
    if not roles:
        return None
    return {"mentee": world.mentee, "mentor": world.mentor, "coordinator": world.coordinator}[roles[0]]


def test_ids_beyond_the_integer_range_in_any_url_are_404_for_the_right_role(app, world):
    rules = [r for r in app.url_map.iter_rules()
             if any(isinstance(c, IntegerConverter) for c in r._converters.values())]
    assert len(rules) > 40
    browsers = {}
    for rule in rules:
        user = _role_user(world, CASES[rule.endpoint].roles)
        key = user and user.id
        if key not in browsers:
            browsers[key] = app.test_client()
            if user is not None:
                login(browsers[key], user)
        browser = browsers[key]
        for huge in HUGE_IDS:
            parts = {name: (huge if isinstance(c, IntegerConverter) else "x") for name, c in rule._converters.items()}
            url = rule.rule
            for name, value in parts.items():
                url = re.sub(rf"<(?:[^:<>]+:)?{name}>", str(value), url)
            for method in sorted(rule.methods - {"HEAD", "OPTIONS"}):
                response = browser.open(url, method=method)
                assert response.status_code == 404, (rule.endpoint, method, huge[:20], response.status_code)


def test_the_id_converter_still_matches_the_largest_id():
    from mentormatch import create_app
    from tests.conftest import app_config

    adapter = create_app(app_config("sqlite://")).url_map.bind("localhost")
    assert adapter.match(f"/requests/{2**31 - 1}")[1] == {"request_id": 2**31 - 1}
    for url in (f"/requests/{2**31}", f"/requests/{'9' * 5000}"):
        with pytest.raises((NotFound, MethodNotAllowed)):
            adapter.match(url)


def test_the_error_page_renders_after_a_failed_flush_for_a_logged_in_user(app, world):
    """A failed flush expires the loaded user; the 500 page reads current_user, so the handler must
    roll back first or the error page itself fails (a bare server error)."""
    from flask_login import current_user

    from mentormatch.access import public
    from mentormatch.models import User

    @app.route("/test-failed-flush")
    @public
    def failed_flush():
        assert current_user.name
        db.session.add(User(role="mentee", name="Twin", email=current_user.email, password_hash="x"))
        db.session.flush()  # the email is taken: IntegrityError

    app.config["PROPAGATE_EXCEPTIONS"] = False
    browser = app.test_client()
    login(browser, world.mentee)
    response = browser.get("/test-failed-flush")
    html = response.get_data(as_text=True)
    assert response.status_code == 500 and "Something went wrong" in html and world.mentee.name in html
