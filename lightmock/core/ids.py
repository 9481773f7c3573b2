"""Identifiers: version-4 UUID strings, as Lightsail uses for request, operation and resource ids.

Every call draws one (its request id), a mutating call two or more, so an id costs as
little as it can: 74 random bits drawn once per process (``random``, and again in a
forked child, so that a pytest-xdist worker or any forked process never repeats its
parent's ids) with the version-4 and RFC 4122 variant bits set, then a counter in the
last group, times an odd constant modulo 2**48: a one-to-one map, so no id repeats within
2**48 of them, and consecutive ids do not look consecutive. Each id is a version-4 UUID
string such as ``uuid.UUID`` parses back; the ids need to be unique, not unguessable.
(Drawing 128 bits per id cost a few microseconds of every call inside a boto3 call: the
generator's state is cold there; docs/performance.md.)
"""

from __future__ import annotations

import itertools
import os
import random

__all__ = ["new_id"]

#: Odd, hence invertible modulo 2**48: distinct counts give distinct last groups.
_SPREAD = 0x9E3779B97F4B
_LOW_48 = (1 << 48) - 1

_prefix = ""
_counter: itertools.count[int] = itertools.count(1)


def _draw_prefix() -> None:
    """A fresh random prefix (the first four groups) and counter: at import, and in a forked child."""
    global _prefix, _counter
    bits = random.getrandbits(64)
    version_4 = 0x4000 | (bits >> 48) & 0x0FFF  # the third group: version 4 and 12 random bits
    variant = 0x8000 | (bits >> 34) & 0x3FFF  # the fourth group: variant 10 and 14 random bits
    _prefix = f"{random.getrandbits(32):08x}-{bits & 0xFFFF:04x}-{version_4:04x}-{variant:04x}-"
    _counter = itertools.count(1)


_draw_prefix()
os.register_at_fork(after_in_child=_draw_prefix)


def new_id() -> str:
    """A fresh version-4 UUID string such as ``uuid.UUID`` parses back."""
    return f"{_prefix}{next(_counter) * _SPREAD & _LOW_48:012x}"
