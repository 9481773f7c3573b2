"""How records go onto the wire: the JSON value type, ARNs, tags and timestamps."""

from __future__ import annotations

import math
from typing import Any

Wire = dict[str, Any]


def arn(region: str, account_id: str, resource_type: str, resource_id: str) -> str:
    return f"arn:aws:lightsail:{region}:{account_id}:{resource_type}/{resource_id}"


def request_tags(params: dict[str, Any]) -> list[Wire]:
    """The ``tags`` of a create request, copied: a record never shares the caller's dicts."""
    return [dict(tag) for tag in params.get("tags", [])]


def wire_time(epoch: float) -> float:
    """A timestamp as Lightsail sends it: epoch seconds with a millisecond fraction.

    The nearest millisecond (ties up), by arithmetic rather than ``round(epoch, 3)``,
    whose correctly rounded decimal conversion costs several times as much on every call.
    """
    return math.floor(epoch * 1000.0 + 0.5) / 1000.0
