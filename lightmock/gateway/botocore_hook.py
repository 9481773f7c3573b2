"""How botocore's requests reach the mock: the ``before-send.lightsail`` event.

One handler, registered once per botocore session on the narrowest event,
``before-send.lightsail``, stays inert (returns ``None``) while no mock is active, so
other services, and moto's own handler beside it, are untouched. New sessions get it
through botocore's list of built-in handlers, read when a session is created; clients
made before lightmock was imported get it through :func:`patch_client`, and an existing
boto3 default session through its public ``register`` when a mock starts.

Whether a session or client already carries the handler is asked, not probed: a second
handler on the private event ``lightmock-probe`` answers ``True``.
"""

from __future__ import annotations

import sys
from collections.abc import Iterator
from typing import Any

import botocore.handlers
from botocore.awsrequest import AWSResponse

from lightmock.gateway import activations, aio_response

EVENT = "before-send.lightsail"
PROBE_EVENT = "lightmock-probe"
UNIQUE_ID = "lightmock-before-send"


class _Raw:
    """The minimal raw body botocore reads a response from."""

    __slots__ = ("_body",)

    def __init__(self, body: bytes) -> None:
        self._body = body

    def stream(self, **_: Any) -> Iterator[bytes]:
        yield self._body


def before_send(request: Any, **_: Any) -> AWSResponse | None:
    """The ``before-send.lightsail`` handler: the mock's answer, or ``None`` when inert."""
    activation = activations.innermost()
    if activation is None:
        return None
    wire = activation.answer(request.url, request.headers, request.body)
    if aio_response.called_by_aiobotocore(sys._getframe(1)):  # its emitter awaits the response
        return aio_response.response(request.url, wire.status, wire.headers, wire.body)
    return AWSResponse(request.url, wire.status, wire.headers, _Raw(wire.body))


def _probe(**_: Any) -> bool:
    return True


def _has_handler(events: Any) -> bool:
    return any(answer is True for _, answer in events.emit(PROBE_EVENT))


def register(events: Any) -> None:
    """Put the handler on an event emitter (a session's or a client's) unless it is there."""
    if _has_handler(events):
        return
    events.register(EVENT, before_send, unique_id=UNIQUE_ID)
    events.register(PROBE_EVENT, _probe, unique_id=UNIQUE_ID + "-probe")


def patch_client(client: Any) -> Any:
    """Route a client made before lightmock was imported through the mock; returns it."""
    register(client.meta.events)
    return client


# Every botocore session created from now on carries the (inert) handler.
botocore.handlers.BUILTIN_HANDLERS.append((EVENT, before_send))
botocore.handlers.BUILTIN_HANDLERS.append((PROBE_EVENT, _probe))
