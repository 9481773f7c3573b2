"""Raw ``requests`` calls to a Lightsail endpoint, answered by the mock through an adapter.

While a mock is active, ``requests.Session.get_adapter`` hands out lightmock's adapter for
Lightsail URLs and the usual one for every other URL. No global ``responses`` mock: URLs
the user's own ``responses.RequestsMock`` (or moto's) answers keep being answered by it,
since those patch ``HTTPAdapter.send``, which lightmock never touches, and starting and
stopping beside them in any order leaves nothing patched. Lightmock's own patch is undone
only if it is still the one in place; otherwise it stays, passing everything on, inert.
"""

from __future__ import annotations

import io
from typing import Any

import requests
import requests.adapters
from requests.structures import CaseInsensitiveDict

from lightmock.gateway import activations
from lightmock.gateway.botocore_hook import LIGHTSAIL_URL


class LightsailAdapter(requests.adapters.BaseAdapter):
    """A transport adapter whose every answer is the active mock's."""

    def send(self, request: requests.PreparedRequest, *args: Any, **kwargs: Any) -> requests.Response:
        activation = activations.innermost()
        if activation is None:  # the mock ended between get_adapter and send: as if it never answered
            return requests.adapters.HTTPAdapter().send(request, *args, **kwargs)
        url = request.url or ""
        body = request.body if isinstance(request.body, bytes | str) else None  # requests prepares bytes or text
        wire = activation.answer(url, request.headers, body)
        response = requests.Response()
        response.status_code = wire.status
        response.headers = CaseInsensitiveDict(wire.headers)
        response.raw = io.BytesIO(wire.body)
        response.url = url
        response.request = request
        response.encoding = "utf-8"
        return response

    def close(self) -> None:
        """Nothing to close: no connections are made."""


_ADAPTER = LightsailAdapter()
_original_get_adapter: Any = None


def _get_adapter(self: requests.Session, url: str) -> requests.adapters.BaseAdapter:
    if activations.innermost() is not None and LIGHTSAIL_URL.match(url):
        return _ADAPTER
    adapter: requests.adapters.BaseAdapter = _original_get_adapter(self, url)
    return adapter


def start() -> None:
    """Answer Lightsail URLs from now on (called under ``activations.lock``)."""
    global _original_get_adapter
    if requests.Session.__dict__.get("get_adapter") is not _get_adapter:
        _original_get_adapter = requests.Session.get_adapter
        requests.Session.get_adapter = _get_adapter  # type: ignore[method-assign]


def stop() -> None:
    """Undo ``start`` if lightmock's patch is still the one in place (called under ``activations.lock``).

    The saved original is kept, not cleared: a thread of the code under test may be inside
    ``_get_adapter`` at this moment, and reads it there."""
    if requests.Session.__dict__.get("get_adapter") is _get_adapter:
        requests.Session.get_adapter = _original_get_adapter  # type: ignore[method-assign]
