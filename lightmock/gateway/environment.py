"""The process environment while a mock is active: fake credentials, no metadata service.

A client made on a machine with no AWS configuration at all signs at once, and no
credential provider reaches for the instance metadata service. Restored exactly when the
last mock stops.
"""

from __future__ import annotations

import os

FAKE_ENVIRONMENT = {
    "AWS_ACCESS_KEY_ID": "AKIALIGHTMOCKTESTING",
    "AWS_SECRET_ACCESS_KEY": "lightmock-testing-secret-key",
    "AWS_EC2_METADATA_DISABLED": "true",
}
_REMOVED_ENVIRONMENT = ("AWS_SESSION_TOKEN", "AWS_SECURITY_TOKEN")
_saved: dict[str, str | None] = {}


def patch(default_region: str) -> None:
    """Put the fake credentials in, and ``default_region`` where the user names none."""
    _saved.clear()
    for name in (*FAKE_ENVIRONMENT, *_REMOVED_ENVIRONMENT, "AWS_DEFAULT_REGION"):
        _saved[name] = os.environ.get(name)
    os.environ.update(FAKE_ENVIRONMENT)
    for name in _REMOVED_ENVIRONMENT:
        os.environ.pop(name, None)
    if "AWS_DEFAULT_REGION" not in os.environ and "AWS_REGION" not in os.environ:
        os.environ["AWS_DEFAULT_REGION"] = default_region


def restore() -> None:
    """Put back every variable ``patch`` touched, as it was."""
    for name, value in _saved.items():
        if value is None:
            os.environ.pop(name, None)
        else:
            os.environ[name] = value
    _saved.clear()
