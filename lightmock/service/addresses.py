"""Public addresses the mock hands out: dynamic ones for instances, and static IPs.

IPv4 addresses come from 198.18.0.0/15, reserved for benchmarking (RFC 2544): plausible,
and never a real host. One rule, so that an instance's dynamic address and a static IP look
alike. IPv6 addresses come from 2001:db8::/32, the documentation prefix (RFC 3849), written
as the model's ``Ipv6Address`` pattern wants them: all eight groups, upper case.
"""

from __future__ import annotations

import uuid

from lightmock.core.ids import new_id


def public_ipv4(raw: bytes | None = None) -> str:
    """An address in 198.18.0.0/15 from three bytes (fresh random-looking ones by default)."""
    if raw is None:
        raw = uuid.UUID(new_id()).bytes[-3:]
    return f"198.{18 + raw[0] % 2}.{raw[1]}.{raw[2] or 1}"


def ipv6_address(raw: bytes | None = None) -> str:
    """An address in 2001:db8::/32 from twelve bytes (fresh random-looking ones by default)."""
    if raw is None:
        raw = uuid.UUID(new_id()).bytes[-12:]
    return ":".join(["2001", "0DB8", *(f"{raw[i]:02X}{raw[i + 1]:02X}" for i in range(0, 12, 2))])
