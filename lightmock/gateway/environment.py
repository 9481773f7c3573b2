"""The process environment while a mock is active: fake credentials, no metadata service, a fresh default session.

A client made on a machine with no AWS configuration at all signs at once, and no
credential provider reaches for the instance metadata service. boto3's default session
caches the credentials it first resolved, so it is set aside while a mock is active (as
moto does): inside, ``boto3.client()`` makes a new default session that signs with the
fake key, never with the user's real one; after, the user's own session (or none) is
back, and nothing made inside keeps signing later clients with the fake key. Everything
is restored exactly when the last mock stops.
"""

from __future__ import annotations

import os
from typing import Any

import boto3

FAKE_ACCESS_KEY_ID = "AKIALIGHTMOCKTESTING"
FAKE_ENVIRONMENT = {
    "AWS_ACCESS_KEY_ID": FAKE_ACCESS_KEY_ID,
    "AWS_SECRET_ACCESS_KEY": "lightmock-testing-secret-key",
    "AWS_EC2_METADATA_DISABLED": "true",
}
_REMOVED_ENVIRONMENT = ("AWS_SESSION_TOKEN", "AWS_SECURITY_TOKEN")
_saved: dict[str, str | None] = {}
_saved_session: list[Any] = []


def patch(default_region: str) -> None:
    """Put the fake credentials in, ``default_region`` where the user names none; set boto3's default session aside."""
    _saved.clear()
    for name in (*FAKE_ENVIRONMENT, *_REMOVED_ENVIRONMENT, "AWS_DEFAULT_REGION"):
        _saved[name] = os.environ.get(name)
    os.environ.update(FAKE_ENVIRONMENT)
    for name in _REMOVED_ENVIRONMENT:
        os.environ.pop(name, None)
    if "AWS_DEFAULT_REGION" not in os.environ and "AWS_REGION" not in os.environ:
        os.environ["AWS_DEFAULT_REGION"] = default_region
    _saved_session[:] = [boto3.DEFAULT_SESSION]
    boto3.DEFAULT_SESSION = None


def restore() -> None:
    """Put back every variable ``patch`` touched, as it was, and the user's default session."""
    for name, value in _saved.items():
        if value is None:
            os.environ.pop(name, None)
        else:
            os.environ[name] = value
    _saved.clear()
    if _saved_session:
        boto3.DEFAULT_SESSION = _saved_session.pop()
