"""Attacks on the after-match flows (contact channels, threads, meetings, .ics invitations): what
test_attack_mends.py left. Each mended one failed before its fix; the rest held and stay as regressions."""
import pytest

from mentormatch.extensions import db
from mentormatch.models import Meeting
from tests.web.test_lifecycle_data import frozen  # noqa: F401
from tests.web.test_meetings import THU, as_user, pair, propose  # noqa: F401


@pytest.mark.parametrize("video", ["https://zoom.us/j/1\u202egpj.exe", "https://zoom.us/j/\u200b123",
                                   "https://zoom.us/j/1\u2066x\u2069", "https://zoom.us/j/1\ufeff", "https://zoom.us/j/1\u00ad2"])
def test_a_video_link_with_invisible_characters_is_refused(app, pair, video):  # noqa: F811
    """A right-to-left override or a zero-width character in the link makes the link on the meeting page
    and in the calendar read as another address than the one it opens (the message thread drops them;
    the link kept them)."""
    response = propose(as_user(app, pair.mentee), pair, "mentee", [(THU, "16:00")], video=video)
    assert response.status_code in (200, 422)
    assert "invisible characters" in response.get_data(as_text=True)
    with app.app_context():
        assert db.session.scalar(db.select(db.func.count()).select_from(Meeting)) == 0
