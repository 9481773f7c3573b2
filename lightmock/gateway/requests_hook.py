"""Raw ``requests`` calls to a Lightsail endpoint, answered through ``responses``.

Only Lightsail URLs are answered; every other URL passes through to the network.
"""

from __future__ import annotations

import re
from typing import Any

import responses

from lightmock.gateway import activations

LIGHTSAIL_URL = re.compile(r"^https?://lightsail\.[a-z0-9-]+\.amazonaws\.com(\.cn)?(:\d+)?/", re.IGNORECASE)
_NOT_LIGHTSAIL_URL = re.compile(r"^(?!https?://lightsail\.[a-z0-9-]+\.amazonaws\.com(\.cn)?(:\d+)?/)", re.IGNORECASE)


def _callback(request: Any) -> tuple[int, dict[str, str], bytes]:
    activation = activations.innermost()
    if activation is None:  # pragma: no cover - the requests mock only runs while active
        raise RuntimeError("lightmock's requests mock is running without an active mock")
    wire = activation.answer(request.url, request.headers, request.body)
    return wire.status, wire.headers, wire.body


def start() -> responses.RequestsMock:
    """A started ``responses`` mock that answers Lightsail URLs and passes the rest through."""
    mock = responses.RequestsMock(assert_all_requests_are_fired=False)
    mock.add_passthru(_NOT_LIGHTSAIL_URL)
    mock.add_callback(responses.POST, LIGHTSAIL_URL, callback=_callback)
    mock.start()
    return mock


def stop(mock: responses.RequestsMock) -> None:
    mock.stop(allow_assert=False)
    mock.reset()
