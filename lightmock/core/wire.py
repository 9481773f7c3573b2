"""How records go onto the wire: the JSON value type, ARNs, tags and timestamps."""

from __future__ import annotations

import math
from collections.abc import Iterable
from typing import Any

from lightmock.core.exceptions import InvalidInputException

Wire = dict[str, Any]

#: "Each resource can have a maximum of 50 tags. Each tag consists of a key and an optional
#: value. Tag keys must be unique per resource." (TagResource,
#: https://docs.aws.amazon.com/cli/v1/reference/lightsail/tag-resource.html)
MAX_TAGS = 50


def arn(region: str, account_id: str, resource_type: str, resource_id: str) -> str:
    return f"arn:aws:lightsail:{region}:{account_id}:{resource_type}/{resource_id}"


def check_tags(existing: Iterable[Wire], new: Iterable[Wire]) -> list[Wire]:
    """The tags of a resource after ``new`` are added to its ``existing`` ones, or
    ``InvalidInputException`` if that makes more than ``MAX_TAGS``; nothing is changed.

    The one tag rule, for creates and for TagResource alike: keys are unique per resource,
    so a new tag replaces the value of an existing tag of its key (and of an earlier tag of
    the same key in ``new``); the result keeps the order in which keys first appeared. The
    tags are copies: a record never shares the caller's dicts. (A tag without a key is kept
    under the key ``None``: the model does not require one.)
    """
    merged: dict[Any, Wire] = {tag.get("key"): dict(tag) for tag in existing}
    for tag in new:
        merged[tag.get("key")] = dict(tag)
    if len(merged) > MAX_TAGS:
        raise InvalidInputException(
            f"tags: a resource can have at most {MAX_TAGS} tags; this request would give it {len(merged)}",
            code="TagLimitExceeded",
        )
    return list(merged.values())


def request_tags(params: dict[str, Any]) -> list[Wire]:
    """The ``tags`` of a create request, as ``check_tags`` allows them on a new resource."""
    return check_tags((), params.get("tags", ()))


def wire_time(epoch: float) -> float:
    """A timestamp as Lightsail sends it: epoch seconds with a millisecond fraction.

    The nearest millisecond (ties up), by arithmetic rather than ``round(epoch, 3)``,
    whose correctly rounded decimal conversion costs several times as much on every call.
    """
    return math.floor(epoch * 1000.0 + 0.5) / 1000.0
