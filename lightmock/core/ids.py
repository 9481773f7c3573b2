"""Identifiers: version-4 UUID strings, as Lightsail uses for request, operation and resource ids.

``uuid.UUID(int=random.getrandbits(128), version=4)`` rather than ``uuid.uuid4()``: the
same kind of id (the version and variant bits set by ``uuid.UUID``), from the ``random``
module's generator instead of a system call, which makes an id a third cheaper on every
call (two per mutating call). The ids need to be unique, not unguessable. ``random``
reseeds its generator in a forked child (CPython does so at fork), so a pytest-xdist worker
never repeats its parent's ids, with no state of our own to reset.
"""

from __future__ import annotations

import random
import uuid

__all__ = ["new_id"]

_bits = random.getrandbits
_UUID = uuid.UUID


def new_id() -> str:
    """A fresh version-4 UUID string such as ``uuid.UUID`` parses back."""
    return str(_UUID(int=_bits(128), version=4))
