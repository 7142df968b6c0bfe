"""One video-link rule (core/fields.video_link) for a person's contact channel and a meeting's link:
both refuse the same links, each next to its own field, and accept the same ones."""
from datetime import time

import pytest

from mentormatch.core import fields
from mentormatch.extensions import db
from mentormatch.models import Meeting, Pairing, User
from mentormatch.services import ServiceError, contact, meetings
from tests.web.test_meetings import THU, pair  # noqa: F401

BAD = ["javascript:alert(1)", "ftp://files.example.org/room", "https://", "https://localhost/room",
       "https://user:pw@meet.example.org/x", "https://zoom.us@evil.example/j/1", "https://meet.example.org/a b",
       "https://meet.example.org/" + "a" * 300]
GOOD = ["https://meet.example.org/mira-milo", "http://jitsi.example.net/Room42", "https://zoom.us/j/123?pwd=abc"]


@pytest.mark.parametrize("link", BAD)
def test_both_places_refuse_the_same_bad_link_next_to_their_field(app, pair, link):  # noqa: F811
    w = pair
    with app.app_context():
        with pytest.raises(ServiceError) as on_contact:
            contact.save_channels(db.session.get(User, w.mentor.id), {"video_url": link, "show_video": "y"})
        assert on_contact.value.field == "video_url"
        db.session.rollback()
        with pytest.raises(ServiceError) as on_meeting:
            meetings.propose(db.session.get(Pairing, w.pairing_id), db.session.get(User, w.mentor.id),
                             [(1, THU, time(16, 0))], 30, link)
        assert on_meeting.value.field == "video_link"
        assert str(on_meeting.value) == str(on_contact.value)
        db.session.rollback()
        assert db.session.scalar(db.select(db.func.count()).select_from(Meeting)) == 0


@pytest.mark.parametrize("link", GOOD)
def test_both_places_accept_the_same_good_link(app, pair, link):  # noqa: F811
    w = pair
    assert fields.video_link(f"  {link} ", "x") == link
    with app.app_context():
        contact.save_channels(db.session.get(User, w.mentor.id), {"video_url": link, "show_video": "y"})
        meeting = meetings.propose(db.session.get(Pairing, w.pairing_id), db.session.get(User, w.mentor.id),
                                   [(1, THU, time(16, 0))], 30, link)
        assert meeting.video_link == link
