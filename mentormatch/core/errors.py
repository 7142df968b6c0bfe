"""The one error a use case raises for a rule the user broke."""


class ServiceError(ValueError):
    """A rule the user broke; `field` names the form field to show it next to."""

    def __init__(self, message: str, field: str | None = None):
        super().__init__(message)
        self.message = message
        self.field = field
