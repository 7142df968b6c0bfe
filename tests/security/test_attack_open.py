"""Attacks on data rights (issue 17) that BREAK today: each test fails until the product is fixed.
The ones that hold live in test_attack_data_rights.py."""
from mentormatch.extensions import db
from mentormatch.models import OutboxMessage, ProgramCoordinator, User
from mentormatch.services import reminders
from tests.conftest import login, post_form
from tests.web.test_data_rights import _due, _link, _post
from tests.web.test_lifecycle_data import frozen  # noqa: F401


def _ask_and_confirm(app, user) -> None:
    client = app.test_client()
    login(client, user)
    assert _post(client, "/account/delete").status_code == 303
    assert post_form(app.test_client(), _link(app, user.email, "Confirm: delete"), {}).status_code == 200
    assert _due(app, user.id) is not None


def test_two_co_coordinators_deleting_together_leave_the_program_with_no_coordinator(
        app, world, make_user, frozen):  # noqa: F811
    """Each asks while the other is still there, so the "sole coordinator" check (made only at the
    request, services/data_rights/deletion.request) passes for both; erase_due removes both."""
    second = make_user("coordinator", "Cleo Second")
    with app.app_context():
        db.session.add(ProgramCoordinator(program_id=world.program.id, user_id=second.id))
        db.session.commit()
    _ask_and_confirm(app, world.coordinator)
    _ask_and_confirm(app, second)
    frozen.advance(days=8)
    with app.app_context():
        reminders.run()
        left = db.session.scalar(db.select(db.func.count()).select_from(ProgramCoordinator).where(
            ProgramCoordinator.program_id == world.program.id))
    assert left >= 1, "the program was left with no coordinator at all"


def test_an_old_confirm_link_deletes_again_after_the_person_pressed_undo(app, world, frozen):  # noqa: F811
    """Undo means "keep my account"; the confirm mail's link (valid 2 days) re-arms the deletion
    because user_for_token only refuses a confirm link while a deletion is already due."""
    mentee = world.mentee
    client = app.test_client()
    login(client, mentee)
    _post(client, "/account/delete")
    confirm = _link(app, mentee.email, "Confirm: delete")
    post_form(app.test_client(), confirm, {})
    assert _post(client, "/account/delete/undo").status_code == 303 and _due(app, mentee.id) is None
    frozen.advance(hours=1)
    replay = app.test_client().get(confirm)
    assert replay.status_code == 404, "the confirm link still works after undo"


def test_erasing_a_short_name_deletes_other_peoples_unsent_mail(app, world, make_user, make_program, frozen):  # noqa: F811
    """erase.erase_user deletes every outbox row whose body/subject CONTAINS the name (a LIKE, and
    unescaped): a member called "Ann" takes a stranger's pending "Annual ..." mail with them."""
    ann = make_user("mentee", "Ann")
    make_program(world.other_coordinator, "Ann's program", [ann])
    with app.app_context():
        db.session.add(OutboxMessage(program_id=world.other_program.id, to=world.other_mentee.email,
                                     subject="Annual check-in", body="Annual check-in for Other program."))
        db.session.commit()
    _ask_and_confirm(app, ann)
    frozen.advance(days=8)
    with app.app_context():
        reminders.run()
        assert db.session.get(User, ann.id).erased_at is not None
        kept = db.session.scalars(db.select(OutboxMessage).where(OutboxMessage.to == world.other_mentee.email)).all()
    assert [m.subject for m in kept] == ["Annual check-in"], "a stranger's mail was deleted with Ann's account"


def test_erasing_a_name_with_a_percent_sign_deletes_the_whole_outbox(app, world, make_user, make_program, frozen):  # noqa: F811
    """The same LIKE without escaping: a name of "%" matches every message of every program."""
    joker = make_user("mentee", "%")
    make_program(world.other_coordinator, "Joker's program", [joker])
    with app.app_context():
        db.session.add(OutboxMessage(program_id=world.other_program.id, to=world.other_mentee.email,
                                     subject="Your meeting", body="See you on Tuesday."))
        db.session.commit()
    _ask_and_confirm(app, joker)
    frozen.advance(days=8)
    with app.app_context():
        reminders.run()
        kept = db.session.scalars(db.select(OutboxMessage).where(OutboxMessage.to == world.other_mentee.email)).all()
    assert [m.subject for m in kept] == ["Your meeting"], "the whole outbox went with an account named '%'"
