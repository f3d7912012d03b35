"""Domain errors: what a service refuses, with a code and the input field it concerns.

Services raise these (or Django's ValidationError); the GraphQL mutation base turns both into
`errors { field message code }` and the pages into form errors, so neither re-states a rule.
"""


class DomainError(Exception):
    code = "INVALID"
    field = None

    def __init__(self, message: str, *, field: str | None = None, code: str | None = None, **extra):
        super().__init__(message)
        self.message = message
        if field is not None:
            self.field = field
        if code is not None:
            self.code = code
        # Extra fields some error types carry (Saleor's `variants`, `addressType`, `row`, ...).
        self.extra = extra


class PermissionDenied(Exception):
    """The requestor lacks a permission the action needs (Saleor's PermissionDenied)."""

    def __init__(self, permissions=(), message: str | None = None):
        self.permissions = tuple(permissions)
        if message is None:
            names = ", ".join(permission.name for permission in self.permissions)
            message = (
                f"You need one of the following permissions: {names}"
                if names
                else "You do not have permission to perform this action"
            )
        super().__init__(message)
        self.message = message


class AuthenticationRequired(PermissionDenied):
    def __init__(self):
        super().__init__(message="You need to be authenticated to perform this action")
