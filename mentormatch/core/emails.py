"""The one email-address rule for every way in: forms, the CLI, CSV import and invitations.

One rule, so an address accepted anywhere can also log in (a coordinator created with the CLI at
a reserved test domain once could not). Addresses are compared lower-cased everywhere.
"""
from email_validator import EmailNotValidError, validate_email
from flask_babel import gettext as _

from .errors import ServiceError

MAX_LENGTH = 254


def normalize(address: str) -> str:
    """The form addresses are stored and looked up in (no validation: for lookups)."""
    return address.strip().lower()


def checked(address: str, field: str = "email") -> str:
    """The normalized address, or a ServiceError naming `field`."""
    address = address.strip()
    try:
        if len(address) > MAX_LENGTH:
            raise EmailNotValidError("too long")
        if not address.isascii():
            # The mail path speaks plain SMTP (no SMTPUTF8): it would encode a non-ASCII address into
            # one nobody receives. Refuse it here rather than accept an address that never gets mail.
            raise ServiceError(_("We can only send mail to addresses written in plain ASCII letters, digits "
                                 "and dots (no accented letters). Use another address."), field)
        return validate_email(address, check_deliverability=False, allow_smtputf8=False).normalized.lower()
    except EmailNotValidError:
        raise ServiceError(_("Enter a valid email address."), field) from None
