"""CSV import: preview with per-row errors in words, then all or nothing."""
import io
import re

from mentormatch.extensions import db
from mentormatch.models import GoalForm, Membership, MentorProfile, User
from mentormatch.security import verify_password
from tests.conftest import csrf_from, login, post_form

GOOD = ("Name,Email,Role,Topics,Years,Languages,Time zone,Capacity\n"
        "Rita Reis,rita@example.org,mentor,python; sql,9,pt;en,Europe/Lisbon,2\n"
        "Sam Silva,sam@example.org,mentee,python,2,pt,America/Sao_Paulo,\n")
BAD = GOOD + ("No Email,not-an-email,mentee,python,2,en,UTC,\n"
              "Bad Zone,zone@example.org,mentor,python,99,english,Mars/Base,\n")


def upload(client, program_id, text, confirm=False):
    url = f"/coordinator/programs/{program_id}/import"
    token = csrf_from(client.get(url).get_data(as_text=True))
    data = {"csrf_token": token}
    if confirm:
        data.update(csv_text=text, confirm="1")
    else:
        data["file"] = (io.BytesIO(text.encode()), "people.csv")
    return client.post(url, data=data, content_type="multipart/form-data")


def count(app, model):
    with app.app_context():
        return db.session.scalar(db.select(db.func.count()).select_from(model))


def test_bad_rows_are_listed_in_words_and_nothing_is_imported(app, client, world):
    login(client, world.coordinator)
    users_before = count(app, User)
    html = upload(client, world.program.id, BAD).get_data(as_text=True)
    assert "2 with errors" in html
    assert "“not-an-email” is not an email address." in html
    assert "Years must be a number from 0 to 60" in html and "“Mars/Base” is not a time zone name" in html
    assert "Languages are two-letter codes" in html
    assert "Import 4 people" not in html
    # Posting the confirmation anyway (a crafted request) still applies nothing.
    html = upload(client, world.program.id, BAD, confirm=True).get_data(as_text=True)
    assert "Nothing was imported" in html
    assert count(app, User) == users_before and count(app, MentorProfile) == 0 and count(app, GoalForm) == 0


def test_good_file_creates_accounts_profiles_and_invitations(app, client, world):
    login(client, world.coordinator)
    html = upload(client, world.program.id, GOOD).get_data(as_text=True)
    assert "Import 2 people" in html and "rita@example.org" in html
    r = upload(client, world.program.id, GOOD, confirm=True)
    assert r.status_code == 303
    with app.app_context():
        rita = db.session.scalar(db.select(User).where(User.email == "rita@example.org"))
        assert rita.role == "mentor" and not verify_password(rita.password_hash, "")
        assert rita.password_hash.startswith("!")  # unusable until they set one
        profile = db.session.scalar(db.select(MentorProfile).join(Membership).where(Membership.user_id == rita.id))
        assert profile.timezone == "Europe/Lisbon" and profile.languages == ["pt", "en"] and len(profile.topics) == 2
        assert db.session.scalar(db.select(Membership.program_id).where(Membership.user_id == rita.id)) == world.program.id
    outbox = app.extensions["mailman"].outbox
    assert sorted(m.to[0] for m in outbox) == ["rita@example.org", "sam@example.org"]
    # The invitation carries a working set-your-password link.
    link = re.search(r"http://localhost(/auth/reset/\S+)", outbox[0].body).group(1)
    assert post_form(app.test_client(), link, {"password": "my own passphrase"}).status_code == 303


def test_an_email_of_another_role_is_refused(app, client, world):
    login(client, world.coordinator)
    text = f"name,email,role\nMilo,{world.mentor.email},mentee\n"
    html = upload(client, world.program.id, text).get_data(as_text=True)
    assert "already has a mentor account" in html


def test_missing_required_column_is_reported_next_to_the_file_field(app, client, world):
    login(client, world.coordinator)
    html = upload(client, world.program.id, "name,topics\nX,python\n").get_data(as_text=True)
    assert 'id="file-error"' in html and "needs these columns: email, role" in html


def test_script_in_a_csv_cell_comes_back_escaped(app, client, world):
    login(client, world.coordinator)
    html = upload(client, world.program.id, "name,email,role\n<script>alert(1)</script>,x@example.org,mentee\n").get_data(as_text=True)
    assert "<script>alert(1)</script>" not in html and "&lt;script&gt;" in html


def test_another_programs_coordinator_cannot_import_into_this_program(app, client, world):
    login(client, world.other_coordinator)
    assert client.get(f"/coordinator/programs/{world.program.id}/import").status_code == 404
