"""How botocore's requests reach the mock: the ``before-send.lightsail`` event, and the HTTP sender.

Two ways in, one answer (:func:`respond`):

- The fast path: the ``before-send.lightsail`` handler (``bootstrap``), carried by every
  botocore session created after lightmock (or its pytest plugin) was imported, inert
  while no mock is active, so other services and moto's handler beside it are untouched.
- The net under it: while a mock is active, botocore's HTTP sender
  (``URLLib3Session.send``) answers every Lightsail request that reaches it, whichever
  session made it: a default session made before ``import lightmock``, a client made
  before ``start()``. A Lightsail request is one whose ``X-Amz-Target`` names the Lightsail
  API or whose URL is a Lightsail endpoint.

The sender also refuses, active or not, any request signed with the mock's fake access key
that would go out to AWS: a client made inside a mock and used after it fails at once,
saying so, instead of sending the fake key to AWS. That wrapper, once installed, stays
(it costs one header lookup per request); the rest of the time it passes requests on.

Whether a session or client already carries the handler is asked, not probed: a second
handler on the private event ``lightmock-probe`` answers ``True``.
"""

from __future__ import annotations

import re
import sys
from collections.abc import Iterator, Mapping
from typing import Any

import botocore.handlers
import botocore.httpsession
from botocore.awsrequest import AWSResponse

from lightmock.core.exceptions import LightmockUsageError
from lightmock.gateway import activations, aio_response, bootstrap
from lightmock.gateway.bootstrap import EVENT, PROBE_EVENT, SIGN_EVENT, UNIQUE_ID, _probe, before_send, before_sign
from lightmock.gateway.environment import FAKE_ACCESS_KEY_ID
from lightmock.schema.model import target_prefix

#: A Lightsail endpoint, as botocore and raw HTTP callers address it.
LIGHTSAIL_URL = re.compile(r"^https?://lightsail\.[a-z0-9-]+\.amazonaws\.com(\.cn)?(:\d+)?/", re.IGNORECASE)
#: An AWS endpoint: where a request signed with the fake key must never go.
_AWS_URL = re.compile(r"^https?://[^/?#]*\.amazonaws\.com(\.cn)?(:\d+)?(/|$)", re.IGNORECASE)


class _Raw:
    """The minimal raw body botocore reads a response from."""

    __slots__ = ("_body",)

    def __init__(self, body: bytes) -> None:
        self._body = body

    def stream(self, **_: Any) -> Iterator[bytes]:
        yield self._body


def _header(headers: Mapping[str, Any], name: str) -> str | None:
    value = headers.get(name)
    if isinstance(value, bytes):
        return value.decode("latin-1")
    return value if isinstance(value, str) else None


def is_lightsail_request(url: str, headers: Mapping[str, Any]) -> bool:
    """Whether a request is for Lightsail: its ``X-Amz-Target`` says so, or its URL is a Lightsail endpoint."""
    target = _header(headers, "X-Amz-Target")
    if target is not None:
        return target.startswith(target_prefix() + ".")
    return LIGHTSAIL_URL.match(url) is not None


def respond(request: Any) -> AWSResponse | None:
    """The active mock's answer to a botocore request, or ``None`` when no mock is active."""
    activation = activations.innermost()
    if activation is None:
        return None
    wire = activation.answer(request.url, request.headers, request.body)
    if aio_response.called_by_aiobotocore(sys._getframe(1)):  # its emitter awaits the response
        return aio_response.response(request.url, wire.status, wire.headers, wire.body)
    return AWSResponse(request.url, wire.status, wire.headers, _Raw(wire.body))


def refuse_fake_credentials(url: str, headers: Mapping[str, Any]) -> None:
    """Raise if a request about to leave for AWS is signed with the mock's fake access key."""
    authorization = _header(headers, "Authorization") or ""
    if FAKE_ACCESS_KEY_ID not in authorization and FAKE_ACCESS_KEY_ID not in url:
        return
    if _AWS_URL.match(url) is None:
        return  # a local endpoint (localstack, a lightmock server) may take any key
    if activations.innermost() is None:
        raise LightmockUsageError(
            f"this client was made inside a lightsail mock that has ended: its request to {url} is signed "
            "with the mock's fake credentials and was not sent; make clients inside the mock that answers them"
        )
    raise LightmockUsageError(
        f"a request to {url} is signed with lightmock's fake credentials and was not sent: lightmock answers "
        "Lightsail only (use moto's mock_aws beside it for other services)"
    )


_original_send: Any = None


def _send(self: Any, request: Any) -> Any:
    """``URLLib3Session.send`` while lightmock is installed: Lightsail answered while active."""
    if activations.innermost() is not None and is_lightsail_request(request.url, request.headers):
        response = respond(request)
        if response is not None:
            return response
    refuse_fake_credentials(request.url, request.headers)
    return _original_send(self, request)


def install_sender() -> None:
    """Wrap botocore's HTTP sender (once per process; it passes everything on while no mock is active)."""
    global _original_send
    with activations.lock:
        if _original_send is None:
            _original_send = botocore.httpsession.URLLib3Session.send
            botocore.httpsession.URLLib3Session.send = _send


def register(events: Any) -> None:
    """Put the handler on an event emitter (a session's or a client's) unless it is there."""
    if any(answer is True for _, answer in events.emit(PROBE_EVENT)):
        return
    events.register(EVENT, before_send, unique_id=UNIQUE_ID)
    events.register(SIGN_EVENT, before_sign, unique_id=UNIQUE_ID + "-sign")
    events.register(PROBE_EVENT, _probe, unique_id=UNIQUE_ID + "-probe")


def patch_client(client: Any) -> Any:
    """Route a client through the fast path (the mock answers it without this too); returns it."""
    register(client.meta.events)
    return client


bootstrap.add_to(botocore.handlers.BUILTIN_HANDLERS)

__all__ = ["EVENT", "PROBE_EVENT", "before_send", "install_sender", "patch_client", "register", "respond"]
