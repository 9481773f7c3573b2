"""How requests reach the mock: botocore's ``before-send`` event, and ``responses``.

One handler, registered once per botocore session on the narrowest event,
``before-send.lightsail``, stays inert (returns ``None``) while no mock is active, so
other services, and moto's own handler beside it, are untouched. New sessions get it
through botocore's list of built-in handlers, read when a session is created; clients
made before lightmock was imported get it through :func:`patch_client`, and an existing
boto3 default session through its public ``register`` when a mock starts.

Whether a session or client already carries the handler is asked, not probed: a second
handler on the private event ``lightmock-probe`` answers ``True``.

The activation stack is process-wide (not per thread): threads started by the code under
test see the mock their test started, as they would see AWS.
"""

from __future__ import annotations

import os
import re
import threading
from collections.abc import Iterator
from dataclasses import dataclass
from typing import Any

import boto3
import botocore.handlers
import responses
from botocore.awsrequest import AWSResponse

from lightmock.service.dispatch import dispatch
from lightmock.gateway.protocol import WireResponse, encode, handle_request
from lightmock.engine.store import Store

EVENT = "before-send.lightsail"
PROBE_EVENT = "lightmock-probe"
UNIQUE_ID = "lightmock-before-send"

#: Raw ``requests`` calls to these URLs are answered by the mock; all others pass through.
LIGHTSAIL_URL = re.compile(r"^https?://lightsail\.[a-z0-9-]+\.amazonaws\.com(\.cn)?(:\d+)?/", re.IGNORECASE)
_NOT_LIGHTSAIL_URL = re.compile(r"^(?!https?://lightsail\.[a-z0-9-]+\.amazonaws\.com(\.cn)?(:\d+)?/)", re.IGNORECASE)

#: Credentials and settings a mock puts in the environment while it is active, so that a
#: client made on a machine with no AWS configuration at all signs at once, and no
#: credential provider reaches for the instance metadata service.
FAKE_ENVIRONMENT = {
    "AWS_ACCESS_KEY_ID": "AKIALIGHTMOCKTESTING",
    "AWS_SECRET_ACCESS_KEY": "lightmock-testing-secret-key",
    "AWS_EC2_METADATA_DISABLED": "true",
}
_REMOVED_ENVIRONMENT = ("AWS_SESSION_TOKEN", "AWS_SECURITY_TOKEN")


@dataclass(frozen=True, slots=True)
class Activation:
    """One active mock as the hook sees it: whose account, which default region, what state."""

    account_id: str
    default_region: str
    store: Store
    #: The ``LightsailMock`` that made this activation (what ``current_mock`` returns).
    handle: Any

    def answer(self, url: str, headers: Any, body: bytes | str | None) -> WireResponse:
        return handle_request(url, headers, body, default_region=self.default_region, dispatcher=self._dispatch)

    def _dispatch(self, region: str, operation: str, params: dict[str, Any]) -> bytes:
        return encode(dispatch(self.store, self.account_id, region, operation, params))


class _Raw:
    """The minimal raw body botocore reads a response from."""

    __slots__ = ("_body",)

    def __init__(self, body: bytes) -> None:
        self._body = body

    def stream(self, **_: Any) -> Iterator[bytes]:
        yield self._body


_lock = threading.Lock()
_stack: list[Activation] = []
_saved_environment: dict[str, str | None] = {}
_requests_mock: responses.RequestsMock | None = None


def innermost() -> Activation | None:
    return _stack[-1] if _stack else None


def before_send(request: Any, **_: Any) -> AWSResponse | None:
    """The ``before-send.lightsail`` handler: the mock's answer, or ``None`` when inert."""
    if not _stack:
        return None
    activation = _stack[-1]
    wire = activation.answer(request.url, request.headers, request.body)
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


def _requests_callback(request: Any) -> tuple[int, dict[str, str], bytes]:
    activation = innermost()
    if activation is None:  # pragma: no cover - the requests mock only runs while active
        raise RuntimeError("lightmock's requests mock is running without an active mock")
    wire = activation.answer(request.url, request.headers, request.body)
    return wire.status, wire.headers, wire.body


def _start_requests_mock() -> responses.RequestsMock:
    mock = responses.RequestsMock(assert_all_requests_are_fired=False)
    mock.add_passthru(_NOT_LIGHTSAIL_URL)
    mock.add_callback(responses.POST, LIGHTSAIL_URL, callback=_requests_callback)
    mock.start()
    return mock


def _patch_environment() -> None:
    _saved_environment.clear()
    for name in (*FAKE_ENVIRONMENT, *_REMOVED_ENVIRONMENT, "AWS_DEFAULT_REGION"):
        _saved_environment[name] = os.environ.get(name)
    os.environ.update(FAKE_ENVIRONMENT)
    for name in _REMOVED_ENVIRONMENT:
        os.environ.pop(name, None)


def _restore_environment() -> None:
    for name, value in _saved_environment.items():
        if value is None:
            os.environ.pop(name, None)
        else:
            os.environ[name] = value
    _saved_environment.clear()


def push(activation: Activation) -> bool:
    """Activate; True when this is the outermost activation (which owns fresh state)."""
    global _requests_mock
    with _lock:
        outermost = not _stack
        if outermost:
            _patch_environment()
            if "AWS_DEFAULT_REGION" not in os.environ and "AWS_REGION" not in os.environ:
                os.environ["AWS_DEFAULT_REGION"] = activation.default_region
            if boto3.DEFAULT_SESSION is not None:
                register(boto3.DEFAULT_SESSION.events)
            _requests_mock = _start_requests_mock()
        _stack.append(activation)
        return outermost


def pop(activation: Activation) -> None:
    """Deactivate ``activation``; the last one out restores everything as it was."""
    global _requests_mock
    with _lock:
        for index in range(len(_stack) - 1, -1, -1):
            if _stack[index] is activation:
                del _stack[index]
                break
        else:
            return
        if not _stack:
            if _requests_mock is not None:
                _requests_mock.stop(allow_assert=False)
                _requests_mock.reset()
                _requests_mock = None
            _restore_environment()


def outermost_store() -> Store | None:
    return _stack[0].store if _stack else None


# Every botocore session created from now on carries the (inert) handler.
botocore.handlers.BUILTIN_HANDLERS.append((EVENT, before_send))
botocore.handlers.BUILTIN_HANDLERS.append((PROBE_EVENT, _probe))
