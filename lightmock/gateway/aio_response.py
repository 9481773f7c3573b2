"""The mock's answer in the form aiobotocore (and so aioboto3) awaits.

aiobotocore sessions register botocore's built-in handlers, lightmock's ``before-send``
hook among them, on their own event emitter, which awaits whatever a handler returns and
then reads the response with ``await http_response.content``. A plain botocore
``AWSResponse`` has bytes there, hence "object bytes can't be used in 'await' expression".
aiobotocore's own ``AioAWSResponse`` (``aiobotocore/awsrequest.py``) makes ``content`` and
``text`` awaitable and fills them from ``await raw.read()``, so the hook answers an
aiobotocore caller with one of those over a raw body whose ``read`` is a coroutine.

Who is calling is read from the caller's frame: the handler is called directly by the
emitter's ``_emit``, whose module is ``aiobotocore.hooks`` for an aiobotocore session and
``botocore.hooks`` otherwise. That holds however and whenever the session was created
(before or after lightmock was imported, before or after a mock started), and it costs a
few frame lookups, only while a mock answers and aiobotocore is loaded. Nothing of
aiobotocore is imported here: :func:`response` imports it only when an aiobotocore emitter
has called, so it is loaded already, and a process without aiobotocore never imports it.
"""

from __future__ import annotations

import functools
import sys
from types import FrameType
from typing import Any

from botocore.awsrequest import AWSResponse

_AIOBOTOCORE = "aiobotocore."
#: The module of aiobotocore's event emitter, loaded by every aiobotocore session.
_EMITTER = "aiobotocore.hooks"


def called_by_aiobotocore(caller: FrameType | None, depth: int = 3) -> bool:
    """Whether aiobotocore's event emitter is ``caller`` (the frame that called the hook)
    or one of the ``depth`` frames above it: the hook is reached through lightmock's
    handler, which botocore's or aiobotocore's emitter calls."""
    if _EMITTER not in sys.modules:  # no aiobotocore session can exist: nothing to look at
        return False
    for _ in range(depth):
        if caller is None:
            return False
        if str(caller.f_globals.get("__name__", "")).startswith(_AIOBOTOCORE):
            return True
        caller = caller.f_back
    return False


class _AsyncRaw:
    """The raw body ``AioAWSResponse`` reads: ``await raw.read()`` gives all of it."""

    __slots__ = ("_body",)

    def __init__(self, body: bytes) -> None:
        self._body = body

    async def read(self) -> bytes:
        return self._body


def response(url: str, status: int, headers: dict[str, str], body: bytes) -> AWSResponse:
    """An ``AioAWSResponse`` carrying the mock's answer."""
    from aiobotocore.awsrequest import AioAWSResponse  # loaded: aiobotocore is the caller

    answer: AWSResponse = AioAWSResponse(url, status, headers, _AsyncRaw(body))
    return answer


def is_aiobotocore_signer(signer: Any) -> bool:
    """Whether a request signer is aiobotocore's (whose ``sign`` awaits its credentials)."""
    return type(signer).__module__.startswith(_AIOBOTOCORE)


@functools.cache
def credentials(access_key: str, secret_key: str) -> Any:
    """Credentials an aiobotocore signer can await (``AioCredentials``); aiobotocore is
    loaded already whenever one of its signers asks."""
    from aiobotocore.credentials import AioCredentials

    return AioCredentials(access_key, secret_key, method="lightmock")
