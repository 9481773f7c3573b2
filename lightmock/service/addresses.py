"""Public addresses the mock hands out: dynamic ones for instances, and static IPs.

IPv4 addresses come from 198.18.0.0/15, reserved for benchmarking (RFC 2544): plausible,
and never a real host. One rule, so that an instance's dynamic address and a static IP look
alike. IPv6 addresses come from 2001:db8::/32, the documentation prefix (RFC 3849), written
as the model's ``Ipv6Address`` pattern wants them: all eight groups, upper case.

One record per address per region, as on AWS, where a public address belongs to one
resource at a time: every address handed out is drawn through ``draw``, which skips the
addresses the region holds (``RegionState.public_ipv4s``) and holds the one it returns. A
record that lets its address go gives it back with ``release`` (an instance stopped,
deleted or given a static IP; a static IP released). An address never given back is only
never reused: the pool has 130,560 addresses.
"""

from __future__ import annotations

import uuid
from collections.abc import Mapping
from typing import Any

from lightmock.core.exceptions import OperationFailureException
from lightmock.core.ids import new_id
from lightmock.engine.store import RegionState

#: How many random draws may fall on held addresses before the pool is searched in order.
_RANDOM_TRIES = 64
_POOL = 2 * 256 * 255  # 198.18.0.0/15 without the addresses ending in .0


def public_ipv4(raw: bytes | None = None) -> str:
    """An address in 198.18.0.0/15 from three bytes (fresh random-looking ones by default)."""
    if raw is None:
        raw = uuid.UUID(new_id()).bytes[-3:]
    return f"198.{18 + raw[0] % 2}.{raw[1]}.{raw[2] or 1}"


def _nth(index: int) -> str:
    high, rest = divmod(index, 256 * 255)
    third, fourth = divmod(rest, 255)
    return f"198.{18 + high}.{third}.{fourth + 1}"


def draw(state: RegionState, raw: bytes | None = None) -> str:
    """An address no record of the region holds (the one ``raw`` gives, if free), now held.

    ``OperationFailureException`` if every address of the pool is held.
    """
    held = state.public_ipv4s
    address = public_ipv4(raw)
    tries = 0
    while address in held:
        tries += 1
        if tries > _RANDOM_TRIES:
            start = uuid.UUID(new_id()).int % _POOL
            free = (_nth((start + step) % _POOL) for step in range(_POOL))
            address = next((candidate for candidate in free if candidate not in held), "")
            if not address:
                raise OperationFailureException(
                    f"No public IPv4 address is free in {state.region}: all {_POOL} are held", code="NoAddressFree"
                )
            break
        address = public_ipv4()
    held.add(address)
    return address


def release(state: RegionState, address: str | None) -> None:
    """Give an address back to the pool (nothing for ``None`` or an address not held)."""
    if address is not None:
        state.public_ipv4s.discard(address)


def release_dynamic(state: RegionState, wire: Mapping[str, Any]) -> None:
    """Give back an instance's dynamic public address, if it has one (not a static IP's,
    which stays with the static IP; nothing for other kinds of record)."""
    if wire.get("isStaticIp") is False:
        release(state, wire.get("publicIpAddress"))


def ipv6_address(raw: bytes | None = None) -> str:
    """An address in 2001:db8::/32 from twelve bytes (fresh random-looking ones by default)."""
    if raw is None:
        raw = uuid.UUID(new_id()).bytes[-12:]
    return ":".join(["2001", "0DB8", *(f"{raw[i]:02X}{raw[i + 1]:02X}" for i in range(0, 12, 2))])
