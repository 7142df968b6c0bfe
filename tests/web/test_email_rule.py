"""One email rule for every way in: the forms, the CLI, CSV import and coordinator invitations."""
import pytest

from mentormatch.core import emails
from mentormatch.extensions import db
from mentormatch.models import Invitation, User
from mentormatch.services import ServiceError
from tests.conftest import login, post_form
from tests.web.test_csv_import import upload

# Reserved or special-use domains (RFC 6761 and friends) and plain garbage.
REFUSED = ["boss@mentormatch.test", "boss@localhost", "boss@printer.local", "boss@x.invalid", "not-an-email",
           "a" * 250 + "@example.org"]


@pytest.mark.parametrize("address", REFUSED)
def test_the_rule_refuses_reserved_domains_and_garbage(address):
    with pytest.raises(ServiceError) as refused:
        emails.checked(address)
    assert refused.value.field == "email"


def test_the_rule_normalizes_what_it_accepts():
    assert emails.checked("  Ana.Silva@Example.ORG ") == "ana.silva@example.org"


@pytest.mark.parametrize("address", REFUSED[:2])
def test_csv_import_refuses_what_login_refuses(app, client, world, address):
    login(client, world.coordinator)
    html = upload(client, world.program.id, f"Name,Email,Role\nBo Boss,{address},mentee\n").get_data(as_text=True)
    assert f"“{address}” is not an email address." in html and "1 with errors" in html


@pytest.mark.parametrize("address", REFUSED[:2])
def test_a_coordinator_invitation_refuses_what_login_refuses(app, client, world, address):
    login(client, world.coordinator)
    response = post_form(client, f"/coordinator/programs/{world.program.id}/coordinators", {"email": address},
                         page=f"/coordinator/programs/{world.program.id}", follow_redirects=True)
    assert "Enter a valid email address" in response.get_data(as_text=True)
    with app.app_context():
        assert db.session.scalar(db.select(db.func.count(Invitation.id))) == 0
        from mentormatch.services import programs

        with pytest.raises(ServiceError):  # the service holds the rule too, not only the form
            programs.invite_coordinator(db.session.get(User, world.coordinator.id), address, None)


@pytest.mark.parametrize("address", ["jösé.ünï@example.org", "ana@bücher.example"])
def test_the_rule_refuses_addresses_plain_smtp_would_mangle(address):
    """Finding 8: such an address was accepted, then mailed as `=?utf-8?b?…?=@example.org`."""
    with pytest.raises(ServiceError) as refused:
        emails.checked(address)
    assert refused.value.field == "email" and "plain ASCII" in refused.value.message
