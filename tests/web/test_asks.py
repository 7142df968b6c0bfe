"""Ask the program (issue 15, item 5): posting to the program and to a circle, validation, the
vague-ask hint, answers (escaped, htmx and plain), helpful marks and thanks by the asker only,
closing (by the asker, and after 14 days in the reminders pass on a frozen clock), a coordinator's
hide with the reason shown to its author, the home pages' "Questions you can help with" in a fixed
number of queries, reputation, and the daily digest over real SMTP (once a day)."""
import re
import threading
from datetime import datetime, timedelta
from types import SimpleNamespace

import pytest

from mentormatch.core import clock
from mentormatch.extensions import db
from mentormatch.models import (
    Ask,
    AskAnswer,
    AskDigest,
    AskHelper,
    Circle,
    CircleMember,
    GoalForm,
    Membership,
    MentorProfile,
    OutboxMessage,
    Term,
    User,
)
from mentormatch.services import ServiceError, asks, reminders
from tests.conftest import csrf_from, login
from tests.smtp import SMTP_CONFIG
from tests.web.test_home_queries import counted

T0 = datetime(2026, 3, 2, 9, 0)


@pytest.fixture
def frozen(app):
    clock.set_now(T0)
    yield clock
    clock.set_now(None)


@pytest.fixture
def q(app, world, make_user):
    """The world's program with topics; the mentor helps with Career; Petra (a mentee) helps with
    Career and opted in; Nico (a mentee) helps with Design only; a circle of the asker (Mira) and
    Petra; Carl (a mentee) is in the program but not the circle."""
    s = SimpleNamespace(w=world)
    s.petra, s.nico, s.carl = make_user("mentee", "Petra Peer"), make_user("mentee", "Nico Other"), \
        make_user("mentee", "Carl Outside")
    s.mentor2 = make_user("mentor", "Mona Mentor")
    with app.app_context():
        terms = {name: Term(program_id=world.program.id, kind="topic", name=name) for name in ("Career", "Design", "Python")}
        other_term = Term(program_id=world.other_program.id, kind="topic", name="Career")
        db.session.add_all([*terms.values(), other_term])
        members = {}
        for user in (s.petra, s.nico, s.carl, s.mentor2):
            members[user.id] = Membership(program_id=world.program.id, user_id=user.id)
            db.session.add(members[user.id])
        db.session.flush()
        s.topic = {name: t.id for name, t in terms.items()}
        s.other_topic = other_term.id
        mid = world.program.memberships
        s.mentor_mid, s.mira_mid = mid[world.mentor.id], mid[world.mentee.id]
        s.petra_mid, s.nico_mid, s.carl_mid = members[s.petra.id].id, members[s.nico.id].id, members[s.carl.id].id
        s.mentor2_mid = members[s.mentor2.id].id
        db.session.add_all([
            MentorProfile(membership_id=s.mentor_mid, topics=[s.topic["Career"]]),
            MentorProfile(membership_id=s.mentor2_mid, topics=[s.topic["Python"]]),
            GoalForm(membership_id=s.petra_mid, strengths=[s.topic["Career"]]),
            GoalForm(membership_id=s.nico_mid, strengths=[s.topic["Design"]]),
            GoalForm(membership_id=s.carl_mid, strengths=[s.topic["Career"]]),
            AskHelper(membership_id=s.petra_mid, opted_in=True),
        ])
        circle = Circle(program_id=world.program.id, kind="circle", name="Tuesday circle")
        db.session.add(circle)
        db.session.flush()
        db.session.add_all([CircleMember(circle_id=circle.id, membership_id=s.mira_mid),
                            CircleMember(circle_id=circle.id, membership_id=s.petra_mid)])
        s.circle_id = circle.id
        db.session.commit()
    return s


def client_of(app, user):
    c = app.test_client()
    login(c, user)
    return c


def post(c, url: str, data: dict, page: str = "/auth/login", **kwargs):
    token = csrf_from(c.get(page).get_data(as_text=True))
    return c.post(url, data={"csrf_token": token, **data}, **kwargs)


QUESTION = "Which of my two job offers should I take: the startup or the bank, given I want to learn fast?"


def ask_via_web(app, q, c=None, body=QUESTION, topics=("Career",), where=""):
    c = c or client_of(app, q.w.mentee)
    return post(c, f"/asks/programs/{q.w.program.id}/new",
                {"body": body, "topics": [str(q.topic[t]) for t in topics], "where": where})


def new_ask(app, q, body=QUESTION, topics=("Career",), circle=False, author=None, created=None) -> int:
    with app.app_context():
        now = created or clock.now()
        ask = Ask(program_id=q.w.program.id, circle_id=q.circle_id if circle else None,
                  author_membership_id=author or q.mira_mid, body=body, topics=[q.topic[t] for t in topics],
                  created_at=now, closes_at=now + timedelta(days=14))
        db.session.add(ask)
        db.session.commit()
        return ask.id


def new_answer(app, ask_id: int, author_mid: int, body="Take the startup.") -> int:
    with app.app_context():
        row = AskAnswer(ask_id=ask_id, author_membership_id=author_mid, body=body, created_at=clock.now())
        db.session.add(row)
        db.session.commit()
        return row.id


def count(app, model) -> int:
    with app.app_context():
        return db.session.scalar(db.select(db.func.count()).select_from(model))


# -- the journey --------------------------------------------------------------------------------

def test_post_to_program_and_circle_two_answer_asker_marks_helpful_and_thanks(app, q):
    mira = client_of(app, q.w.mentee)
    r = ask_via_web(app, q, mira)
    assert r.status_code == 303
    ask_id = int(r.headers["Location"].rsplit("/", 1)[1])
    r = ask_via_web(app, q, mira, body="Who here has run a design critique for a remote team of five?",
                    topics=("Design",), where=str(q.circle_id))
    assert r.status_code == 303
    circle_ask = int(r.headers["Location"].rsplit("/", 1)[1])
    with app.app_context():
        assert db.session.get(Ask, circle_ask).circle_id == q.circle_id
        assert db.session.get(Ask, ask_id).closes_at == db.session.get(Ask, ask_id).created_at + timedelta(days=14)

    listing = mira.get(f"/asks/programs/{q.w.program.id}").get_data(as_text=True)
    assert "startup or the bank" in listing and "design critique" not in listing  # the circle's is apart
    assert "design critique" in mira.get(f"/asks/circles/{q.circle_id}").get_data(as_text=True)

    milo, petra = client_of(app, q.w.mentor), client_of(app, q.petra)
    assert post(milo, f"/asks/{ask_id}/answers", {"body": "The startup: you learn fastest there."}).status_code == 303
    # htmx: the answers panel comes back, not the page
    r = post(petra, f"/asks/{ask_id}/answers", {"body": "I chose the bank and regretted it."},
             headers={"HX-Request": "true"})
    assert r.status_code == 200 and 'id="answers"' in r.get_data(as_text=True) and "<html" not in r.get_data(as_text=True)
    assert "regretted it" in r.get_data(as_text=True)
    with app.app_context():
        answers = {a.body[:5]: a.id for a in db.session.scalars(db.select(AskAnswer))}
    assert len(answers) == 2

    assert post(mira, f"/asks/answers/{answers['The s']}/helpful", {"helpful": "1"}).status_code == 303
    r = post(mira, f"/asks/answers/{answers['The s']}/thank", {}, headers={"HX-Request": "true"})
    assert r.status_code == 200 and "Thanked" in r.get_data(as_text=True)
    with app.app_context():
        helped = db.session.get(AskAnswer, answers["The s"])
        assert helped.helpful and helped.thanked_at is not None
        assert not db.session.get(AskAnswer, answers["I cho"]).helpful
        mails = db.session.scalars(db.select(OutboxMessage).where(OutboxMessage.to == q.w.mentor.email)).all()
        assert [m.subject for m in mails] == ["Mira Mentee thanked you for your answer"]
    # What the htmx action says comes with its answer (out of band), not on the next page load
    assert 'id="flashes" class="flashes" role="status" aria-live="polite" hx-swap-oob="true"' in r.get_data(as_text=True)
    assert "Thanked Milo Mentor: they get a short email." in r.get_data(as_text=True)
    assert "Thanked Milo Mentor" not in mira.get(f"/asks/{ask_id}").get_data(as_text=True)
    # Thanking twice sends nothing more, and says why at once
    again = post(mira, f"/asks/answers/{answers['The s']}/thank", {}, headers={"HX-Request": "true"})
    assert "You already thanked them for this answer." in again.get_data(as_text=True)
    with app.app_context():
        assert db.session.scalar(db.select(db.func.count()).select_from(OutboxMessage)
                                 .where(OutboxMessage.to == q.w.mentor.email)) == 1
    # Reputation beside the names on the question page
    page = mira.get(f"/asks/{ask_id}").get_data(as_text=True)
    assert "1 helpful answer" in page and "thanked 1 time" in page


# -- validation ---------------------------------------------------------------------------------

def test_bad_input_is_refused_next_to_the_field_and_stores_nothing(app, q):
    mira = client_of(app, q.w.mentee)
    r = ask_via_web(app, q, mira, body="Help?")
    assert r.status_code == 422 and "at least 15 characters" in r.get_data(as_text=True)
    r = ask_via_web(app, q, mira, body="x" * 1001)
    assert r.status_code == 422
    r = post(mira, f"/asks/programs/{q.w.program.id}/new", {"body": QUESTION, "topics": [str(q.other_topic)]})
    assert r.status_code == 422 and "Choose from the options shown." in r.get_data(as_text=True)
    r = post(mira, f"/asks/programs/{q.w.program.id}/new", {"body": QUESTION})
    assert r.status_code == 422 and "Choose at least one topic" in r.get_data(as_text=True)
    r = post(mira, f"/asks/programs/{q.w.program.id}/new", {"body": QUESTION, "topics": ["nope"]})
    assert r.status_code == 422
    r = ask_via_web(app, q, mira, topics=("Career", "Design", "Python", "Career"))  # duplicates count once
    assert r.status_code == 303
    with app.app_context():
        other_circle = Circle(program_id=q.w.program.id, kind="circle", name="Not mine")
        db.session.add(other_circle)
        db.session.commit()
        other_circle_id = other_circle.id
    r = ask_via_web(app, q, mira, where=str(other_circle_id))
    assert r.status_code == 422 and "Choose one of your circles" in r.get_data(as_text=True)
    assert count(app, Ask) == 1


def test_open_limit_and_daily_rate_limit(app, q, frozen):
    mira = client_of(app, q.w.mentee)
    for n in range(asks.MAX_OPEN_ASKS):
        assert ask_via_web(app, q, mira, body=f"{QUESTION} ({n})").status_code == 303
    r = ask_via_web(app, q, mira, body=f"{QUESTION} (more)")
    assert r.status_code == 422 and "open questions" in r.get_data(as_text=True)
    assert count(app, Ask) == asks.MAX_OPEN_ASKS
    # Closing one frees a slot, but the daily limit (3 in 24 hours) still holds today
    with app.app_context():
        first = db.session.scalar(db.select(Ask.id).order_by(Ask.id))
    post(mira, f"/asks/{first}/close", {})
    r = ask_via_web(app, q, mira, body=f"{QUESTION} (today)")
    assert r.status_code == 422 and "in the last 24 hours" in r.get_data(as_text=True)
    frozen.advance(hours=25)
    assert ask_via_web(app, q, mira, body=f"{QUESTION} (tomorrow)").status_code == 303


def test_answer_rate_limit(app, q, frozen):
    petra = client_of(app, q.petra)
    ids = [new_ask(app, q, body=f"{QUESTION} {n}") for n in range(2)]
    for n in range(asks.ANSWERS_PER_HOUR):
        assert post(petra, f"/asks/{ids[n % 2]}/answers", {"body": f"Answer {n}"}).status_code == 303
    r = post(petra, f"/asks/{ids[0]}/answers", {"body": "One more"})
    assert r.status_code == 422 and "in the last hour" in r.get_data(as_text=True)
    assert count(app, AskAnswer) == asks.ANSWERS_PER_HOUR
    frozen.advance(minutes=61)
    assert post(petra, f"/asks/{ids[0]}/answers", {"body": "One more"}).status_code == 303


def test_the_vague_ask_hint_as_you_type_and_after_posting(app, q):
    mira = client_of(app, q.w.mentee)
    r = post(mira, "/asks/hint", {"body": "Any advice on my career?"})
    assert r.status_code == 200 and 'class="hint"' in r.get_data(as_text=True)
    r = post(mira, "/asks/hint", {"body": QUESTION})
    assert 'class="hint"' not in r.get_data(as_text=True)
    r = ask_via_web(app, q, mira, body="Can you give me any advice about my career?", )
    assert r.status_code == 303
    page = mira.get(r.headers["Location"]).get_data(as_text=True)
    assert "flash-warning" in page


def test_answers_are_escaped_and_links_are_safe(app, q):
    ask_id = new_ask(app, q)
    petra = client_of(app, q.petra)
    body = '<script>alert(1)</script> see https://example.org/x" onmouseover="bad and javascript:alert(2)'
    assert post(petra, f"/asks/{ask_id}/answers", {"body": body}).status_code == 303
    page = petra.get(f"/asks/{ask_id}").get_data(as_text=True)
    assert "<script>alert(1)" not in page and "&lt;script&gt;alert(1)&lt;/script&gt;" in page
    assert '<a href="https://example.org/x" rel="nofollow noopener noreferrer" target="_blank">' in page
    assert 'href="javascript' not in page and 'onmouseover="bad' not in page


# -- who may do what ----------------------------------------------------------------------------

def test_circle_questions_only_for_its_members_and_the_coordinators(app, q):
    ask_id = new_ask(app, q, circle=True)
    assert client_of(app, q.petra).get(f"/asks/{ask_id}").status_code == 200
    assert client_of(app, q.w.coordinator).get(f"/asks/{ask_id}").status_code == 200
    for outsider in (q.carl, q.w.mentor, q.w.other_mentee, q.w.other_coordinator):
        c = client_of(app, outsider)
        assert c.get(f"/asks/{ask_id}").status_code == 404, outsider.name
        assert c.get(f"/asks/circles/{q.circle_id}").status_code == 404, outsider.name
    carl = client_of(app, q.carl)
    assert post(carl, f"/asks/{ask_id}/answers", {"body": "Let me in"}).status_code == 404
    # and it is not on the program's list or anyone else's home
    assert "startup or the bank" not in carl.get(f"/asks/programs/{q.w.program.id}").get_data(as_text=True)
    assert "startup or the bank" not in carl.get("/mentee/").get_data(as_text=True)
    assert count(app, AskAnswer) == 0


def test_only_the_asker_marks_helpful_thanks_and_closes(app, q):
    ask_id = new_ask(app, q)
    answer_id = new_answer(app, ask_id, q.petra_mid)
    for user in (q.petra, q.carl, q.w.other_mentee):
        c = client_of(app, user)
        assert post(c, f"/asks/answers/{answer_id}/helpful", {}).status_code == 404
        assert post(c, f"/asks/answers/{answer_id}/thank", {}).status_code == 404
        assert post(c, f"/asks/{ask_id}/close", {}).status_code == 404
    with app.app_context():
        a = db.session.get(AskAnswer, answer_id)
        assert not a.helpful and a.thanked_at is None and a.ask.state == "open"
    assert count(app, OutboxMessage) == 0
    # The asker cannot answer their own question; the mentor cannot post one
    mira = client_of(app, q.w.mentee)
    assert post(mira, f"/asks/{ask_id}/answers", {"body": "Me again"}).status_code == 404
    assert client_of(app, q.w.mentor).get(f"/asks/programs/{q.w.program.id}/new").status_code == 403
    assert post(mira, f"/asks/{ask_id}/close", {}).status_code == 303
    with app.app_context():
        assert db.session.get(Ask, ask_id).state == "closed"
    r = post(client_of(app, q.petra), f"/asks/{ask_id}/answers", {"body": "Too late"})
    assert r.status_code == 404 or "closed" in r.get_data(as_text=True)
    assert count(app, AskAnswer) == 1


def test_edited_ids_find_nothing(app, q):
    ask_id = new_ask(app, q)
    answer_id = new_answer(app, ask_id, q.petra_mid)
    mira = client_of(app, q.w.mentee)
    assert mira.get(f"/asks/{ask_id + 1000}").status_code == 404
    assert post(mira, f"/asks/answers/{answer_id + 1000}/thank", {}).status_code == 404
    assert mira.get(f"/asks/programs/{q.w.other_program.id}").status_code == 404
    assert mira.get(f"/asks/programs/{q.w.other_program.id}/new").status_code == 404
    assert mira.get(f"/asks/circles/{q.circle_id + 1000}").status_code == 404
    other = client_of(app, q.w.other_coordinator)
    assert post(other, f"/asks/{ask_id}/hide", {"reason": "Mine now"}).status_code == 404
    assert post(other, f"/asks/answers/{answer_id}/hide", {f"a{answer_id}-reason": "Mine now"}).status_code == 404
    with app.app_context():
        assert db.session.get(Ask, ask_id).hidden_at is None


# -- hiding ---------------------------------------------------------------------------------------

def test_hidden_question_and_answer_are_seen_only_by_their_author_and_coordinators(app, q):
    ask_id = new_ask(app, q)
    answer_id = new_answer(app, ask_id, q.petra_mid, body="A rude answer")
    new_answer(app, ask_id, q.mentor_mid, body="A kind answer")
    cora = client_of(app, q.w.coordinator)
    # An empty reason is refused and hides nothing
    r = post(cora, f"/asks/answers/{answer_id}/hide", {f"a{answer_id}-reason": ""})
    with app.app_context():
        assert db.session.get(AskAnswer, answer_id).hidden_at is None
    assert post(cora, f"/asks/answers/{answer_id}/hide", {f"a{answer_id}-reason": "Please keep it kind"}).status_code == 303
    with app.app_context():  # the author hears of it by email, with the reason, in the same transaction
        told = db.session.scalars(db.select(OutboxMessage).where(OutboxMessage.to == q.petra.email)).all()
        assert [m.subject for m in told] == ["A coordinator hid your answer"]
        assert "Please keep it kind" in told[0].body and f"/asks/{ask_id}" in told[0].body
    mira, petra, milo = client_of(app, q.w.mentee), client_of(app, q.petra), client_of(app, q.w.mentor)
    assert "A rude answer" not in mira.get(f"/asks/{ask_id}").get_data(as_text=True)
    assert "A rude answer" not in milo.get(f"/asks/{ask_id}").get_data(as_text=True)
    own = petra.get(f"/asks/{ask_id}").get_data(as_text=True)
    assert "A rude answer" in own and "Please keep it kind" in own
    assert "A rude answer" in cora.get(f"/asks/{ask_id}").get_data(as_text=True)
    # A hidden answer cannot be thanked
    post(mira, f"/asks/answers/{answer_id}/thank", {})
    with app.app_context():
        assert db.session.get(AskAnswer, answer_id).thanked_at is None

    r = post(cora, f"/asks/{ask_id}/hide", {"reason": ""})
    assert r.status_code == 422
    assert post(cora, f"/asks/{ask_id}/hide", {"reason": "Not a question for this program"}).status_code == 303
    with app.app_context():
        told = db.session.scalars(db.select(OutboxMessage).where(OutboxMessage.to == q.w.mentee.email)).all()
        assert [m.subject for m in told] == ["A coordinator hid your question"]
        assert "Not a question for this program" in told[0].body
    for c in (petra, milo, client_of(app, q.carl)):
        assert c.get(f"/asks/{ask_id}").status_code == 404
        assert "startup or the bank" not in c.get(f"/asks/programs/{q.w.program.id}").get_data(as_text=True)
    assert "startup or the bank" not in milo.get("/mentor/").get_data(as_text=True)
    mine = mira.get(f"/asks/{ask_id}").get_data(as_text=True)
    assert "Not a question for this program" in mine and "A kind answer" in mine
    assert "startup or the bank" in mira.get(f"/asks/programs/{q.w.program.id}").get_data(as_text=True)
    assert "Not a question for this program" in cora.get(f"/asks/{ask_id}").get_data(as_text=True)

    assert post(cora, f"/asks/{ask_id}/unhide", {}).status_code == 303
    assert post(cora, f"/asks/answers/{answer_id}/unhide", {}).status_code == 303
    back = milo.get(f"/asks/{ask_id}").get_data(as_text=True)
    assert "A rude answer" in back and "Not a question" not in back


# -- closing after 14 days ----------------------------------------------------------------------

def test_questions_close_after_14_days_in_the_reminders_pass(app, q, frozen):
    ask_id = new_ask(app, q)
    younger = new_ask(app, q, body=QUESTION + " (later)", created=T0 + timedelta(days=1))
    frozen.set_now(T0 + timedelta(days=14) - timedelta(minutes=1))
    with app.app_context():
        assert reminders.run().asks_closed == []
    frozen.set_now(T0 + timedelta(days=14))
    with app.app_context():
        assert reminders.run().asks_closed == [f"ask {ask_id}"]
        assert db.session.get(Ask, ask_id).state == "closed"
        assert db.session.get(Ask, ask_id).closed_at == T0 + timedelta(days=14)
        assert db.session.get(Ask, younger).state == "open"
    r = post(client_of(app, q.petra), f"/asks/{ask_id}/answers", {"body": "Too late"})
    assert r.status_code == 422 and "closed" in r.get_data(as_text=True)
    assert count(app, AskAnswer) == 0


# -- home pages and reputation ------------------------------------------------------------------

def test_home_pages_list_questions_you_can_help_with_in_a_fixed_number_of_queries(app, q):
    new_ask(app, q)  # Career: for the mentor and Petra, not for Nico (Design) nor Mira (her own)
    milo, petra, nico, mira = (client_of(app, u) for u in (q.w.mentor, q.petra, q.nico, q.w.mentee))
    assert "Questions you can help with" in milo.get("/mentor/").get_data(as_text=True)
    assert "startup or the bank" in petra.get("/mentee/").get_data(as_text=True)
    assert "startup or the bank" not in nico.get("/mentee/").get_data(as_text=True)
    assert "Questions you can help with" not in mira.get("/mentee/").get_data(as_text=True)
    with counted(app) as few:
        petra.get("/mentee/")
    for n in range(4):
        new_ask(app, q, body=f"{QUESTION} {n}", author=q.carl_mid if n % 2 else q.nico_mid)
    with counted(app) as many:
        page = petra.get("/mentee/").get_data(as_text=True)
    assert page.count('class="ask-item"') == 5
    assert len(many) == len(few)


def test_reputation_on_the_mentor_directory_card(app, q):
    ask_id = new_ask(app, q)
    answer_id = new_answer(app, ask_id, q.mentor_mid)
    mira = client_of(app, q.w.mentee)
    post(mira, f"/asks/answers/{answer_id}/thank", {})
    card = mira.get(f"/requests/programs/{q.w.program.id}/mentors").get_data(as_text=True)
    assert re.search(r"Helpful answers</dt><dd>1 \(thanked 1 time\)", card)


def test_helper_opt_in_defaults_and_settings_page(app, q):
    with app.app_context():
        assert asks.opted_in(db.session.get(Membership, q.mentor_mid)) is True
        assert asks.opted_in(db.session.get(Membership, q.nico_mid)) is False
    nico = client_of(app, q.nico)
    page = nico.get(f"/asks/programs/{q.w.program.id}/settings").get_data(as_text=True)
    assert 'id="helps"' in page and "checked" not in page
    post(nico, f"/asks/programs/{q.w.program.id}/settings", {"helps": "y"})
    with app.app_context():
        assert asks.opted_in(db.session.get(Membership, q.nico_mid)) is True


# -- the daily digest ---------------------------------------------------------------------------

@pytest.mark.parametrize("app", [SMTP_CONFIG], indirect=True)
def test_digest_arrives_once_a_day_with_the_right_questions(app, q, frozen, smtp_server):
    with app.app_context():
        db.session.get(User, q.mentor2.id).locale = "es"  # the digest is in the reader's language
        db.session.commit()
    career = new_ask(app, q)  # the mentor and Petra (opted in); Carl has Career but did not opt in
    new_ask(app, q, body="How do I pick a Python web framework for a first project?", topics=("Python",),
            author=q.nico_mid)  # Mona
    circle_ask = new_ask(app, q, body="Circle only: who reviews my CV this week, please?", circle=True,
                         author=q.petra_mid)  # Career, but only Mira and Petra see it; Petra wrote it
    with app.app_context():
        assert len(reminders.run().ask_digests) == 3
    mails = smtp_server.wait_for(3)
    by_to = {m["to"][0]: m for m in mails}
    assert set(by_to) == {q.w.mentor.email, q.mentor2.email, q.petra.email}, "not Carl (not opted in), not Nico"
    assert f"/asks/{circle_ask}" not in by_to[q.petra.email]["body"], "not her own question"
    milo = by_to[q.w.mentor.email]
    assert milo["subject"] == "1 new question you can help with"
    assert "startup or the bank" in milo["body"] and f"/asks/{career}" in milo["body"]
    assert "Python web framework" not in milo["body"] and f"/asks/{circle_ask}" not in milo["body"]
    assert "Python web framework" in by_to[q.mentor2.email]["body"]
    assert by_to[q.mentor2.email]["subject"] == "1 pregunta nueva con la que puedes ayudar"
    # A second pass the same day sends nothing, even with a new question
    new_ask(app, q, body="Second question today: how should I negotiate a raise?", created=T0 + timedelta(hours=1))
    frozen.advance(hours=2)
    with app.app_context():
        assert reminders.run().ask_digests == []
    assert len(smtp_server.wait_for(4, timeout=1.0)) == 3
    # The next day: only what is new since the last digest
    frozen.advance(days=1)
    with app.app_context():
        assert len(reminders.run().ask_digests) == 2  # the mentor and Petra (Career)
    later = smtp_server.wait_for(5)[3:]
    milo_again = next(m for m in later if m["to"] == [q.w.mentor.email])
    assert "negotiate a raise" in milo_again["body"] and "startup or the bank" not in milo_again["body"]
    # Nothing new: no email
    frozen.advance(days=1)
    with app.app_context():
        assert reminders.run().ask_digests == []
        assert db.session.scalar(db.select(db.func.count()).select_from(AskDigest)) == 5


@pytest.mark.parametrize("app", [SMTP_CONFIG], indirect=True)
def test_two_digest_passes_at_once_send_one_email(app, q, frozen, smtp_server):
    """On PostgreSQL the second pass's claim waits on the first's row and then fails the unique
    (user, day); on SQLite writers are serialized. Either way: one email per person."""
    new_ask(app, q)
    passes, barrier, errors, sent = 4, threading.Barrier(4), [], []

    def run_pass():
        with app.app_context():
            try:
                barrier.wait()
                sent.extend(asks.send_digests(clock.now()))
            except Exception as error:  # noqa: BLE001 - reported below
                db.session.rollback()
                errors.append(repr(error))
            finally:
                db.session.remove()

    racers = [threading.Thread(target=run_pass) for _ in range(passes)]
    for t in racers:
        t.start()
    for t in racers:
        t.join(30)
    assert errors == []
    assert len(sent) == 2  # the mentor and Petra, once each
    mails = smtp_server.wait_for(3, timeout=2.0)
    assert sorted(m["to"][0] for m in mails) == sorted([q.w.mentor.email, q.petra.email])
    with app.app_context():
        assert db.session.scalar(db.select(db.func.count()).select_from(AskDigest)) == 2


def test_racing_posts_cannot_pass_the_open_limit(app, q):
    """Five posts at once by one mentee: the membership row lock makes each count the others, so
    exactly MAX_OPEN_ASKS are stored and the rest are refused in words (PostgreSQL: row locks;
    SQLite: one writer at a time)."""
    racers, barrier, refused, errors = 5, threading.Barrier(5), [], []

    def run_post(n: int) -> None:
        with app.app_context():
            try:
                user = db.session.get(User, q.w.mentee.id)
                program = db.session.get(Membership, q.mira_mid).program
                barrier.wait()
                asks.post(user, program, {"body": f"{QUESTION} ({n})", "topics": [q.topic["Career"]]})
            except ServiceError as error:
                db.session.rollback()
                refused.append(error.message)
            except Exception as error:  # noqa: BLE001 - reported below
                db.session.rollback()
                errors.append(repr(error))
            finally:
                db.session.remove()

    threads_ = [threading.Thread(target=run_post, args=(n,)) for n in range(racers)]
    for t in threads_:
        t.start()
    for t in threads_:
        t.join(30)
    assert errors == []
    assert count(app, Ask) == asks.MAX_OPEN_ASKS
    assert len(refused) == racers - asks.MAX_OPEN_ASKS


def test_the_coordinator_reaches_the_members_questions_from_the_program_page(app, q):
    new_ask(app, q)
    cora = client_of(app, q.w.coordinator)
    page = cora.get(f"/coordinator/programs/{q.w.program.id}").get_data(as_text=True)
    assert f'href="/asks/programs/{q.w.program.id}"' in page
    assert "startup or the bank" in cora.get(f"/asks/programs/{q.w.program.id}").get_data(as_text=True)
