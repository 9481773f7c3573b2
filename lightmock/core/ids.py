"""Identifiers: version-4 UUID strings, as Lightsail uses for request, operation and resource ids.

Every mutating call needs two (its operation's and its request's), and ``uuid.uuid4()``
costs about 2 µs: it reads the operating system's random source and builds a ``UUID``
object only to format it. Ids here must be unique and well-formed, not unguessable, so
each process draws 72 random bits once (the first 24 characters, version and variant
included) and numbers its ids in the last 48 bits: a counter, times an odd constant
modulo 2**48. That product is a one-to-one map, so no id repeats within 2**48 of them,
and consecutive ids do not look consecutive. A forked child (pytest-xdist) draws afresh.
"""

from __future__ import annotations

import itertools
import os
import uuid

__all__ = ["new_id"]

#: Odd, hence invertible modulo 2**48: distinct counters give distinct suffixes.
_SPREAD = 0x9E3779B97F4B
_LOW_48 = (1 << 48) - 1

_prefix = ""
_counter = itertools.count(1)


def _draw_prefix() -> None:
    global _prefix, _counter
    _prefix = str(uuid.uuid4())[:24]  # "xxxxxxxx-xxxx-4xxx-yxxx-": version 4, RFC 4122 variant
    _counter = itertools.count(1)


def new_id() -> str:
    """A UUID string such as ``uuid.UUID`` parses back with version 4, unique in this process."""
    return f"{_prefix}{next(_counter) * _SPREAD & _LOW_48:012x}"


_draw_prefix()
os.register_at_fork(after_in_child=_draw_prefix)
