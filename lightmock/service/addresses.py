"""Public IPv4 addresses the mock hands out: dynamic ones for instances, and static IPs.

All come from 198.18.0.0/15, reserved for benchmarking (RFC 2544): plausible, and never a
real host. One rule, so that an instance's dynamic address and a static IP look alike.
"""

from __future__ import annotations

import uuid

from lightmock.core.ids import new_id


def public_ipv4(raw: bytes | None = None) -> str:
    """An address in 198.18.0.0/15 from three bytes (fresh random-looking ones by default)."""
    if raw is None:
        raw = uuid.UUID(new_id()).bytes[-3:]
    return f"198.{18 + raw[0] % 2}.{raw[1]}.{raw[2] or 1}"
