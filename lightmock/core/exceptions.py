"""Every error lightmock raises, and why each exists.

Hierarchy::

    Exception
    ├── LightsailError                     an error the *service* returns; becomes an HTTP error
    │   ├── InvalidInputException          400  input breaks a validation rule
    │   ├── OperationFailureException      400  the operation could not be carried out
    │   ├── AccessDeniedException          403
    │   ├── UnauthenticatedException       401
    │   ├── NotFoundException              404  no such resource
    │   ├── AccountSetupInProgressException 428
    │   ├── RegionSetupInProgressException 428
    │   ├── ServiceException               500  botocore retries it
    │   └── (injected common AWS errors, see ``error_class``)
    ├── NotImplementedError
    │   └── UnsupportedOperation           an operation lightmock does not implement
    └── AssertionError
        └── LightmockUsageError            the mock itself was misused by test code

The status codes are the ``httpError`` traits of the Smithy model (botocore's JSON model
carries none): see ``docs/service-reference.md`` section 2.1. ``UnsupportedOperation`` is raised
in the caller's thread, never turned into a response: a test must fail loudly rather than
pass against an answer the real service would not give.
"""

from __future__ import annotations


class LightsailError(Exception):
    """An error as the Lightsail service returns it: ``__type``, ``message`` and ``code``."""

    error_type: str = "ServiceException"
    status: int = 500

    def __init__(self, message: str, *, code: str | None = None) -> None:
        super().__init__(message)
        self.message = message
        self.code = code

    def body(self) -> dict[str, str]:
        """The JSON error body as Lightsail sends it (members absent rather than null)."""
        body = {"__type": self.error_type, "message": self.message}
        if self.code is not None:
            body["code"] = self.code
        return body


class InvalidInputException(LightsailError):
    error_type = "InvalidInputException"
    status = 400


class OperationFailureException(LightsailError):
    error_type = "OperationFailureException"
    status = 400


class AccessDeniedException(LightsailError):
    error_type = "AccessDeniedException"
    status = 403


class UnauthenticatedException(LightsailError):
    error_type = "UnauthenticatedException"
    status = 401


class NotFoundException(LightsailError):
    error_type = "NotFoundException"
    status = 404


class AccountSetupInProgressException(LightsailError):
    error_type = "AccountSetupInProgressException"
    status = 428


class RegionSetupInProgressException(LightsailError):
    error_type = "RegionSetupInProgressException"
    status = 428


class ServiceException(LightsailError):
    error_type = "ServiceException"
    status = 500


_MODELED: tuple[type[LightsailError], ...] = (
    InvalidInputException,
    OperationFailureException,
    AccessDeniedException,
    UnauthenticatedException,
    NotFoundException,
    AccountSetupInProgressException,
    RegionSetupInProgressException,
    ServiceException,
)

#: Errors every AWS JSON service may return besides its modeled ones, with the status the
#: AWS Common Errors page gives. botocore's retry logic keys on these codes and statuses.
COMMON_ERROR_STATUS: dict[str, int] = {
    "ThrottlingException": 400,
    "Throttling": 400,
    "TooManyRequestsException": 429,
    "RequestLimitExceeded": 400,
    "InternalFailure": 500,
    "ServiceUnavailable": 503,
    "ServiceUnavailableException": 503,
    "RequestTimeout": 408,
    "RequestTimeoutException": 408,
    "ValidationError": 400,
    "IncompleteSignature": 400,
    "InvalidClientTokenId": 403,
    "ExpiredTokenException": 400,
    "UnrecognizedClientException": 400,
}

MODELED_ERRORS: dict[str, type[LightsailError]] = {cls.error_type: cls for cls in _MODELED}


def error_class(name: str) -> type[LightsailError]:
    """The class for a modeled Lightsail error or a common AWS error, by its wire name."""
    if name in MODELED_ERRORS:
        return MODELED_ERRORS[name]
    if name in COMMON_ERROR_STATUS:
        return type(name, (LightsailError,), {"error_type": name, "status": COMMON_ERROR_STATUS[name]})
    known = sorted([*MODELED_ERRORS, *COMMON_ERROR_STATUS])
    raise LightmockUsageError(f"unknown error {name!r}; choose one of: {', '.join(known)}")


class UnsupportedOperation(NotImplementedError):
    """A Lightsail operation lightmock does not implement was called while a mock is active.

    Raised instead of answering, so a test never passes against an invented success and
    never reaches AWS. Its ``error_type`` is the code ``LightsailMock.calls`` records it with
    and ``lightmock server`` answers its 501 with.
    """

    error_type: str = "UnsupportedOperation"

    def __init__(self, operation: str) -> None:
        super().__init__(
            f"lightmock does not implement the Lightsail operation {operation!r}; "
            "see docs/operations.md for the operations it does implement"
        )
        self.operation = operation


class LightmockUsageError(AssertionError):
    """Test code used the mock wrongly (no active mock, bad seed data, the clock moved back).

    An ``AssertionError`` so that pytest reports it as a failed test, not as an error in
    the code under test.
    """


class SerializationException(LightsailError):
    """The body is not a JSON object in UTF-8 (what AWS JSON services call it)."""

    error_type = "SerializationException"
    status = 400


class UnknownOperationException(LightsailError):
    """``X-Amz-Target`` is missing or names no Lightsail operation."""

    error_type = "UnknownOperationException"
    status = 400
