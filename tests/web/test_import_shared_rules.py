"""The CSV import checks names, topics and groups by the same rules as the forms (accounts,
services.people.vocabulary), while it keeps writing in bulk."""
from mentormatch.core.security import verify_password
from mentormatch.extensions import db
from mentormatch.models import Program, Term, User
from mentormatch.services import accounts
from mentormatch.services.people import import_csv, vocabulary


def test_imported_topic_names_are_cleaned_like_the_coordinators_list(app, world):
    with app.test_request_context():
        program = db.session.get(Program, world.program.id)
        vocabulary.add_term(program, "topic", "Public speaking")
        import_csv.apply(program, "name,email,role,topics,groups\n"
                                  "Ana Alves,ana.rules@example.org,mentor,Public   speaking;  Data \t science ,Women  in tech\n",
                         None)
        names = {(t.kind, t.name) for t in db.session.scalars(db.select(Term).where(Term.program_id == program.id))}
    assert ("topic", "Data science") in names and ("group", "Women in tech") in names
    assert ("topic", "Public   speaking") not in names  # matched the existing entry, as the form would


def test_an_import_refuses_a_name_the_sign_up_form_refuses(app, world):
    with app.test_request_context():
        preview = import_csv.preview(db.session.get(Program, world.program.id),
                                     "name,email,role\n\u202e\u2066,blank@example.org,mentee\n")
    assert not preview.ok and preview.rows[0].errors == ["The name is empty."]


def test_imported_accounts_have_a_password_nothing_verifies(app, world):
    with app.test_request_context():
        import_csv.apply(db.session.get(Program, world.program.id),
                         "name,email,role\nBo Braga,bo.rules@example.org,mentee\n", None)
        user = db.session.scalar(db.select(User).where(User.email == "bo.rules@example.org"))
        assert user.password_hash.startswith("!") and not verify_password(user.password_hash, "")
        assert accounts.unusable_password_hash() != accounts.unusable_password_hash()
