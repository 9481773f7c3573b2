"""Identifiers: version-4 UUID strings, as Lightsail uses for request, operation and resource ids.

The standard library's ``uuid.uuid4`` draws every id from the operating system's random
source, so a forked child (a pytest-xdist worker) never repeats its parent's ids, with
no state of our own to reset at fork.
"""

from __future__ import annotations

import uuid

__all__ = ["new_id"]


def new_id() -> str:
    """A fresh version-4 UUID string such as ``uuid.UUID`` parses back."""
    return str(uuid.uuid4())
