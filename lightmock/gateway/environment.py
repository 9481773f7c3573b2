"""Credentials and region while a mock is active, without handing the process the fake key.

Every botocore session answers ``get_credentials()`` with the mock's fake credentials while
a mock is active, whenever the session was made and whatever it had cached: no client made
inside a mock signs with the user's real key, a machine with no AWS configuration at all
signs at once, and no credential provider runs (so none reaches for the instance metadata
service). Nothing is cached: once the mock stops, every session answers with its own
credentials again, so nothing made inside keeps signing later clients with the fake key.
A Lightsail client made before the mock (holding the user's credentials) signs with the
fake ones too while a mock is active: its signer is handed them per request, and keeps
its own.

The environment itself is left as it is, credentials included (so a mock started and
stopped beside moto's, in any order, cannot leave its key behind in ``os.environ``), except
``AWS_DEFAULT_REGION``, set while active only where the user names no region, and removed
at the stop only if it still holds the value set.
"""

from __future__ import annotations

import os
from typing import Any

import botocore.session
import botocore.signers
from botocore.credentials import Credentials

from lightmock.gateway import activations, aio_response

FAKE_ACCESS_KEY_ID = "AKIALIGHTMOCKTESTING"
FAKE_SECRET_ACCESS_KEY = "lightmock-testing-secret-key"
_FAKE = Credentials(FAKE_ACCESS_KEY_ID, FAKE_SECRET_ACCESS_KEY, method="lightmock")

_set_region: list[str] = []
#: (class, attribute) -> the original, for each wrapper below while it is installed.
_originals: dict[tuple[type, str], Any] = {}


def _get_credentials(self: Any) -> Any:
    """``botocore.session.Session.get_credentials`` while installed: the fake key while a mock is active."""
    if activations.innermost() is not None:
        return _FAKE
    return _originals[botocore.session.Session, "get_credentials"](self)


def _get_auth_instance(self: Any, *args: Any, **kwargs: Any) -> Any:
    """``RequestSigner.get_auth_instance`` while installed: a Lightsail request is signed
    with the fake key while a mock is active (given per request: the signer keeps its own)."""
    if activations.innermost() is not None and self._signing_name == "lightsail":
        if len(args) > 3:
            args = (*args[:3], _FAKE, *args[4:])
        else:
            kwargs["request_credentials"] = _FAKE
    return _originals[botocore.signers.RequestSigner, "get_auth_instance"](self, *args, **kwargs)


def give_credentials(request: Any, signer: Any) -> None:
    """``before-sign.lightsail`` while a mock is active: an aiobotocore signer is handed the
    fake key for this request (botocore's own signer gets it in ``_get_auth_instance``)."""
    if aio_response.is_aiobotocore_signer(signer):
        signing = request.context.setdefault("signing", {})
        signing["request_credentials"] = aio_response.credentials(FAKE_ACCESS_KEY_ID, FAKE_SECRET_ACCESS_KEY)


_WRAPPERS: dict[tuple[type, str], Any] = {
    (botocore.session.Session, "get_credentials"): _get_credentials,
    (botocore.signers.RequestSigner, "get_auth_instance"): _get_auth_instance,
}


def patch(default_region: str) -> None:
    """Fake credentials for every session, and ``default_region`` where the user names none
    (called under ``activations.lock``)."""
    for (owner, name), wrapper in _WRAPPERS.items():
        if owner.__dict__.get(name) is not wrapper:
            _originals[owner, name] = getattr(owner, name)
            setattr(owner, name, wrapper)
    _set_region.clear()
    if "AWS_DEFAULT_REGION" not in os.environ and "AWS_REGION" not in os.environ:
        os.environ["AWS_DEFAULT_REGION"] = default_region
        _set_region.append(default_region)


def restore() -> None:
    """Undo ``patch``, where what it set is still in place (called under ``activations.lock``)."""
    for (owner, name), wrapper in _WRAPPERS.items():
        # Still ours: put the original back. It stays in ``_originals``: a thread of the code
        # under test may be inside the wrapper at this moment, and reads it there.
        if owner.__dict__.get(name) is wrapper:
            setattr(owner, name, _originals[owner, name])
    if _set_region and os.environ.get("AWS_DEFAULT_REGION") == _set_region[0]:
        del os.environ["AWS_DEFAULT_REGION"]
    _set_region.clear()
