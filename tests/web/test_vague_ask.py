"""The vague-ask hint (issue 13, item 5): one rule set judges the goal form's power question and the
micro-request form. Every ask below is one a mentee could really write; none may be misjudged."""
import pytest

from mentormatch.extensions import db
from mentormatch.models import MicroRequest
from mentormatch.services.people import goal_forms
from tests.conftest import login, post_form
from tests.web.test_lifecycle_data import add_profile, frozen, mid  # noqa: F401

VAGUE = [
    "Can you help me with my career?",
    "Any advice?",
    "Can you be my mentor?",
    "How do I get into tech?",
    "Would you be willing to mentor me?",
    "I'd love to pick your brain sometime.",
    "Do you have any tips for a junior developer?",
    "What should I do next in my career?",
    "How can I break into data science?",
    "I need some general career advice.",
    "Where do I even start with learning to code?",
    "How do I become a better engineer?",
    "Can we hop on a call to chat about my career?",
    "Could you give me some guidance on my career path?",
    "How do I succeed in tech?",
    "Can you tell me everything you know about product management?",
    "Please help me.",
    "Can you help me grow my career?",
    "How do I get started in UX design?",
    "What advice would you give someone starting out?",
    "I'm looking for a mentor to help me navigate my career.",
    "Any thoughts on how I can level up?",
    "How can I be more successful at work?",
    "What skills do I need to learn?",
    "How do I get a job in tech?",
    "Can I ask you a few questions about your career?",
    "I'd like some career advice, please.",
    "How did you get where you are today?",
    "Could we grab a virtual coffee and chat?",
    "What should I learn next?",
    "How do I transition into product management?",
    "Can you help me figure out my career?",
    "I want to grow as a leader, can you help?",
    "Do you have any suggestions for me?",
    "Hi! I’m a self-taught dev and I’d love some general advice. Can you be my mentor?",
    "Hello, I am new here. How should I start?",
]

SPECIFIC = [
    "Could you look at my 5-slide pitch for the data platform migration and tell me which slide loses you?",
    "I have two offers, a platform team at a bank and a start-up's API team: which would you pick for growing "
    "into a staff role?",
    "What did you say in your first conversation with your manager about getting promoted to senior?",
    "Would you review the first page of my CV for a junior data analyst role and tell me what to cut?",
    "Should I learn Kotlin or Swift first if I want to ship one mobile app for my bakery this summer?",
    "My team lead wants me to own on-call next quarter; how did you negotiate fewer pages while learning the system?",
    "Can you read my cover letter for the Mozilla product internship and say if the opening paragraph is too long?",
    "How would you split a 2,000-line Django view into services without breaking the tests we have?",
    "I'm moving from QA to SRE: which two certifications, if any, did hiring managers actually care about?",
    "Is 85k a fair ask for a mid-level frontend role in Lisbon with five years of React?",
    "In a design critique, how do you push back on a VP's suggestion without sounding defensive?",
    "Could you give feedback on the system design doc for our notification service, especially the retry section?",
    "What questions should I ask in a final-round interview with a Series B fintech's CTO next Tuesday?",
    "How do you structure a first 1:1 with a report who is older and more experienced than you?",
    "My portfolio has three case studies; which one should I cut before applying to agency roles?",
    "Would you take 15 minutes to walk me through how you estimate a migration from Postgres 12 to 16?",
    "Can you introduce me to someone on the accessibility team at your company who works on screen-reader testing?",
    "When you switched from agency work to in-house design, what did you wish you had asked about team culture?",
    "How do I tell my manager I want to move to the data team without it sounding like I'm leaving?",
    "Which metrics did you use to show the impact of a developer-experience project to leadership?",
    "I've been asked to present our Q3 roadmap to the board; how long should the deck be and what do you leave out?",
    "Could you review my pull request adding pagination to our API and tell me if the cursor design makes sense?",
    "For a bootcamp grad, is it better to take a support engineer job now or wait three months for a junior dev role?",
    "What's one thing you did in your first 90 days as a new engineering manager that you'd repeat?",
    "How do you decide between writing a unit test and an integration test for a payment webhook handler?",
    "My LinkedIn headline says 'aspiring data scientist'; would you change it before I apply to analyst jobs?",
    "Can you check whether my SQL answer to this take-home exercise would pass your team's bar?",
    "I freeze during live coding; what exactly did you practise before your Google onsite?",
    "How should I answer 'why are you leaving' when my current startup just had layoffs?",
    "Would you look at my salary spreadsheet comparing two offers and tell me what I'm missing on equity?",
    "What's a reasonable scope for a first open-source contribution to the pandas docs?",
    "Is it worth asking for a title change to senior before my annual review in March, or after?",
    "Can you help me decide whether to present the outage postmortem myself or let my lead do it on Friday?",
]


def test_the_table_is_big_enough():
    assert len(VAGUE) >= 30 and len(SPECIFIC) >= 30


@pytest.mark.parametrize("ask", VAGUE)
def test_a_vague_ask_gets_the_hint(ask):
    assert goal_forms.vague_ask_hint(ask) is not None


@pytest.mark.parametrize("ask", SPECIFIC)
def test_a_specific_ask_gets_no_hint(ask):
    assert goal_forms.vague_ask_hint(ask) is None


def test_the_open_ask_hint_is_the_one_for_big_asks_and_short_ones_ask_for_detail():
    assert goal_forms.vague_ask_hint("Can you help me with my career?") == goal_forms.VAGUE_HINT
    assert goal_forms.vague_ask_hint("Quick question about Kafka") == goal_forms.SHORT_HINT
    assert goal_forms.vague_ask_hint("   ") is None


# -- on the micro-request form -------------------------------------------------------------------

def _ask_url(w):
    return f"/requests/programs/{w.program.id}/mentors/{mid(w, w.mentor)}/ask"


def test_the_request_form_checks_the_question_as_the_mentee_types(app, client, world, frozen):
    add_profile(app, mid(world, world.mentor))
    login(client, world.mentee)
    html = client.get(_ask_url(world)).get_data(as_text=True)
    assert 'hx-post="/requests/hint"' in html
    vague = post_form(client, "/requests/hint", {"question": "Can you be my mentor?"}, page=_ask_url(world),
                      headers={"HX-Request": "true"}).get_data(as_text=True)
    assert goal_forms.VAGUE_HINT in vague and 'id="question-feedback"' in vague
    specific = post_form(client, "/requests/hint", {"question": SPECIFIC[0]}, page=_ask_url(world),
                         headers={"HX-Request": "true"}).get_data(as_text=True)
    assert goal_forms.VAGUE_HINT not in specific and 'id="question-feedback"' in specific


def test_without_javascript_a_vague_request_is_sent_and_the_hint_comes_with_the_confirmation(app, client, world,
                                                                                             frozen):
    add_profile(app, mid(world, world.mentor))
    login(client, world.mentee)
    response = post_form(client, _ask_url(world), {"question": "Can you help me with my career?", "kind": "call15"},
                         follow_redirects=True)
    html = response.get_data(as_text=True)
    assert response.status_code == 200 and goal_forms.VAGUE_HINT in html  # a hint, not a refusal
    with app.app_context():
        req = db.session.scalar(db.select(MicroRequest))
        assert req.question == "Can you help me with my career?"
        edit = client.get(f"/requests/{req.id}/edit").get_data(as_text=True)
    assert goal_forms.VAGUE_HINT in edit  # and on the edit form, where it can be fixed


def test_a_specific_request_gets_no_hint(app, client, world, frozen):
    add_profile(app, mid(world, world.mentor))
    login(client, world.mentee)
    html = post_form(client, _ask_url(world), {"question": SPECIFIC[3], "kind": "feedback"},
                     follow_redirects=True).get_data(as_text=True)
    assert goal_forms.VAGUE_HINT not in html and goal_forms.SHORT_HINT not in html
