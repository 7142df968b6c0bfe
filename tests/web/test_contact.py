"""How to reach me (issue 13, item 1): each person's channels, validated; shown to the other
person of an accepted pairing or micro-request only, on its page and in the acceptance email;
mail between the two carries the other's address as Reply-To once accepted, never before."""
import pytest
from sqlalchemy.exc import IntegrityError

from mentormatch.extensions import db
from mentormatch.models import ContactChannels, MicroRequest, Pairing, User
from mentormatch.services import answers, contact, micro_requests
from tests.conftest import login, post_form
from tests.smtp import SMTP_CONFIG
from tests.web.test_lifecycle_data import (  # noqa: F401
    add_mentee,
    add_pairing,
    add_profile,
    frozen,
    mid,
    send_request,
)

VIDEO = "https://meet.example.org/milo-room"
HANDLE = "@milo:matrix.org"
PHONE = "+44 20 7946 0958"
SHOWN = {"video_url": VIDEO, "show_video": "y", "chat_service": "matrix", "chat_handle": HANDLE, "show_chat": "y",
         "phone": PHONE}  # the phone is filled in but not shown


def _channels(app, user, **values):
    with app.app_context():
        contact.save_channels(db.session.get(User, user.id), values)


def _row(app, user):
    with app.app_context():
        row = contact.channels_of(user.id)
        return None if row is None else {c: getattr(row, c) for c in ("video_url", "show_video", "chat_service",
                                                                        "chat_handle", "show_chat", "phone", "show_phone")}


def _accept(app, model, item_id, mentor):
    with app.app_context():
        answers.accept(db.session.get(model, item_id), db.session.get(User, mentor.id))


@pytest.fixture
def request_world(app, world, frozen):
    """The mentor shows video and chat (not the phone); the mentee shows a phone; one open request."""
    add_profile(app, mid(world, world.mentor))
    _channels(app, world.mentor, **SHOWN)
    _channels(app, world.mentee, phone="+1 (415) 555-0100", show_phone="y")
    world.request_id = send_request(app, world.mentee, world.program.id, mid(world, world.mentor))
    return world


# -- the page --------------------------------------------------------------------------------------

def test_a_mentor_saves_their_channels_through_the_form_and_sees_the_preview(app, client, world):
    login(client, world.mentor)
    response = post_form(client, "/contact/", SHOWN)
    assert response.status_code == 303
    assert _row(app, world.mentor) == {"video_url": VIDEO, "show_video": True, "chat_service": "matrix",
                                       "chat_handle": HANDLE, "show_chat": True, "phone": PHONE, "show_phone": False}
    html = client.get("/contact/").get_data(as_text=True)
    preview = html.split('id="h-preview"')[1]
    assert world.mentor.email in preview and VIDEO in preview and HANDLE in preview and PHONE not in preview


def test_the_page_is_in_the_menu_of_mentees_and_mentors_only(app, world):
    for user, home in ((world.mentee, "/mentee/"), (world.mentor, "/mentor/"), (world.coordinator, "/coordinator/")):
        html = _page(app, user, home).get_data(as_text=True)
        assert ('<a href="/contact/"' in html) == (user.role != "coordinator"), user.role


@pytest.mark.parametrize("data, field", [
    ({"video_url": "javascript:alert(1)"}, "video_url"),
    ({"video_url": "ftp://files.example.org/room"}, "video_url"),
    ({"video_url": "https://"}, "video_url"),
    ({"video_url": "https://localhost/room"}, "video_url"),
    ({"video_url": "https://user:pw@meet.example.org/x"}, "video_url"),
    ({"video_url": "https://meet.example.org/" + "a" * 300}, "video_url"),
    ({"phone": "call me maybe"}, "phone"),
    ({"phone": "12345"}, "phone"),
    ({"phone": "+1 234 567 890 123 456 78"}, "phone"),
    ({"chat_handle": "@mira"}, "chat_service"),
    ({"chat_service": "slack", "chat_handle": "<script>"}, "chat_handle"),
    ({"chat_service": "slack", "chat_handle": "two words"}, "chat_handle"),
    ({"chat_service": "icq", "chat_handle": "@mira"}, "chat_service"),
    ({"show_phone": "y"}, "phone"),
    ({"show_video": "y"}, "video_url"),
    ({"show_chat": "y", "chat_service": "slack"}, "chat_handle"),
])
def test_bad_contact_input_is_refused_next_to_its_field_and_nothing_is_saved(app, client, world, data, field):
    login(client, world.mentee)
    response = post_form(client, "/contact/", data)
    assert response.status_code == 200
    assert f'id="{field}-error"' in response.get_data(as_text=True)
    assert _row(app, world.mentee) is None


def test_posted_owner_fields_are_ignored(app, client, world):
    login(client, world.mentee)
    post_form(client, "/contact/", {"phone": PHONE, "show_phone": "y", "user_id": str(world.mentor.id), "id": "99"})
    assert _row(app, world.mentor) is None
    assert _row(app, world.mentee)["phone"] == PHONE


def test_the_database_refuses_a_link_that_is_not_http(app, world):
    with app.app_context():
        db.session.add(ContactChannels(user_id=world.mentee.id, video_url="javascript:alert(1)"))
        with pytest.raises(IntegrityError):
            db.session.commit()
        db.session.rollback()


# -- who sees the channels -------------------------------------------------------------------------

def _page(app, user, url):
    client = app.test_client()
    login(client, user)
    return client.get(url)


def test_nobody_sees_channels_before_the_request_is_accepted(app, request_world):
    w = request_world
    for user in (w.mentee, w.mentor):
        html = _page(app, user, f"/requests/{w.request_id}").get_data(as_text=True)
        assert 'id="h-contact"' not in html and VIDEO not in html and "415" not in html


def test_after_accept_each_side_sees_the_others_shown_channels_only(app, request_world):
    w = request_world
    _accept(app, MicroRequest, w.request_id, w.mentor)
    html = _page(app, w.mentee, f"/requests/{w.request_id}").get_data(as_text=True)
    panel = html.split('id="h-contact"')[1].split("</article>")[0]
    assert w.mentor.email in panel and VIDEO in panel and HANDLE in panel and "Matrix" in panel
    assert PHONE not in html  # the mentor did not switch the phone on
    html = _page(app, w.mentor, f"/requests/{w.request_id}").get_data(as_text=True)
    panel = html.split('id="h-contact"')[1].split("</article>")[0]
    assert w.mentee.email in panel and 'href="tel:+14155550100"' in panel
    assert VIDEO not in panel  # their own channels are not "the other's"


def test_channels_stay_after_done_and_go_when_declined(app, request_world):
    w = request_world
    _accept(app, MicroRequest, w.request_id, w.mentor)
    with app.app_context():
        micro_requests.mark_done(db.session.get(MicroRequest, w.request_id), db.session.get(User, w.mentor.id))
    assert VIDEO in _page(app, w.mentee, f"/requests/{w.request_id}").get_data(as_text=True)
    other_id = send_request(app, w.mentee, w.program.id, mid(w, w.mentor), question="Could you review my CV's first page?")
    with app.app_context():
        answers.decline(db.session.get(MicroRequest, other_id), db.session.get(User, w.mentor.id), "no_capacity")
    assert VIDEO not in _page(app, w.mentee, f"/requests/{other_id}").get_data(as_text=True)


def test_strangers_a_third_mentee_and_coordinators_never_see_the_channels(app, make_user, request_world):
    w = request_world
    _accept(app, MicroRequest, w.request_id, w.mentor)
    third, _ = add_mentee(app, make_user, w, "Theo Third")
    assert _page(app, third, f"/requests/{w.request_id}").status_code == 404
    assert _page(app, w.other_mentee, f"/requests/{w.request_id}").status_code == 404
    assert _page(app, w.other_mentor, f"/requests/{w.request_id}").status_code == 404
    for coordinator in (w.coordinator, w.other_coordinator):
        response = _page(app, coordinator, f"/requests/{w.request_id}")
        assert response.status_code == 403 and VIDEO not in response.get_data(as_text=True)
    # The third mentee's own accepted request with the same mentor shows only what is theirs to see.
    with app.app_context():
        assert contact.panel(db.session.get(MicroRequest, w.request_id), third.id) is None
        assert contact.panel(db.session.get(MicroRequest, w.request_id), w.coordinator.id) is None


def test_a_round_pairing_shows_the_channels_on_both_pair_pages_once_active(app, world, frozen):
    add_profile(app, mid(world, world.mentor))
    _channels(app, world.mentor, **SHOWN)
    _channels(app, world.mentee, chat_service="slack", chat_handle="@mira", show_chat="y")
    pairing_id = add_pairing(app, world.program.id, mid(world, world.mentee), mid(world, world.mentor))
    with app.app_context():
        assert contact.panel(db.session.get(Pairing, pairing_id), world.mentee.id) is None  # proposed
    _accept(app, Pairing, pairing_id, world.mentor)
    html = _page(app, world.mentee, f"/mentee/pairings/{pairing_id}").get_data(as_text=True)
    assert 'id="h-contact"' in html and VIDEO in html and HANDLE in html
    html = _page(app, world.mentor, f"/mentor/programs/{world.program.id}/mentees/{mid(world, world.mentee)}"
                 ).get_data(as_text=True)
    assert 'id="h-contact"' in html and "@mira" in html and world.mentee.email in html
    assert _page(app, world.other_mentor, f"/mentor/programs/{world.program.id}/mentees/{mid(world, world.mentee)}"
                 ).status_code == 404


# -- mail ------------------------------------------------------------------------------------------

@pytest.mark.parametrize("app", [SMTP_CONFIG], indirect=True)
def test_acceptance_mail_lists_the_channels_and_replies_go_to_the_mentor(app, smtp_server, request_world):
    w = request_world
    smtp_server.clear()
    _accept(app, MicroRequest, w.request_id, w.mentor)
    smtp_server.wait_for(2)
    [message] = smtp_server.to(w.mentee.email)
    assert message["reply_to"] == w.mentor.email
    body = message["body"]
    assert f"How to reach {w.mentor.name}:" in body and VIDEO in body and f"Matrix: {HANDLE}" in body
    assert f"Email: {w.mentor.email}" in body and PHONE not in body


@pytest.mark.parametrize("app", [SMTP_CONFIG], indirect=True)
def test_round_acceptance_mail_carries_the_mentors_channels_and_reply_to(app, smtp_server, world, frozen):
    add_profile(app, mid(world, world.mentor))
    _channels(app, world.mentor, **SHOWN)
    pairing_id = add_pairing(app, world.program.id, mid(world, world.mentee), mid(world, world.mentor))
    smtp_server.clear()
    _accept(app, Pairing, pairing_id, world.mentor)
    smtp_server.wait_for(2)
    [message] = smtp_server.to(world.mentee.email)
    assert message["reply_to"] == world.mentor.email and VIDEO in message["body"]


@pytest.mark.parametrize("app", [SMTP_CONFIG], indirect=True)
def test_mail_before_accept_has_no_reply_to_and_no_channels(app, smtp_server, request_world):
    w = request_world
    smtp_server.clear()
    with app.app_context():
        answers.ask_info(db.session.get(MicroRequest, w.request_id), db.session.get(User, w.mentor.id),
                         "Which deck do you mean, the May one?")
    [asked] = smtp_server.wait_for(1)
    assert asked["to"] == [w.mentee.email] and asked["reply_to"] is None
    assert w.mentor.email not in asked["body"] and VIDEO not in asked["body"]


@pytest.mark.parametrize("app", [SMTP_CONFIG], indirect=True)
def test_a_thank_you_after_accept_replies_to_the_mentee(app, smtp_server, request_world):
    w = request_world
    _accept(app, MicroRequest, w.request_id, w.mentor)
    smtp_server.wait_for(2)
    smtp_server.clear()
    client = app.test_client()
    login(client, w.mentee)
    response = post_form(client, f"/requests/{w.request_id}/followup", {"kind": "thanks", "body": "Thank you, it helped!"})
    assert response.status_code == 303
    [thanks] = smtp_server.wait_for(1)
    assert thanks["to"] == [w.mentor.email] and thanks["reply_to"] == w.mentee.email


@pytest.mark.parametrize("app", [SMTP_CONFIG], indirect=True)
@pytest.mark.parametrize("kind", ["request", "pairing"])
def test_the_mentor_gets_an_acceptance_mail_with_the_mentees_channels_and_reply_to(app, smtp_server, request_world,
                                                                                    kind):
    w = request_world
    if kind == "request":
        model, item_id = MicroRequest, w.request_id
    else:
        model, item_id = Pairing, add_pairing(app, w.program.id, mid(w, w.mentee), mid(w, w.mentor))
    smtp_server.clear()
    _accept(app, model, item_id, w.mentor)
    [to_mentor] = [m for m in smtp_server.wait_for(2) if m["to"] == [w.mentor.email]]
    assert to_mentor["reply_to"] == w.mentee.email
    body = to_mentor["body"]
    assert f"How to reach {w.mentee.name}:" in body and "+1 (415) 555-0100" in body
    assert f"Email: {w.mentee.email}" in body and PHONE not in body and VIDEO not in body
