"""Pages of list results, with opaque tokens that survive changes between pages.

Items are listed in a fixed order and a token says "after the item with key k", not
"from position p": a loop over pages then sees no item twice and misses none that exists
throughout, whatever is created or deleted between pages. Keys are (creation time, name):
the clock never moves back and names are unique per region, so keys are unique and new
items sort last. A token that is not ours, or is another operation's, is an
``InvalidInputException``; the last page carries no ``nextPageToken`` at all (an empty
token has sent SDK loops round forever: aws-sdk-java-v2 pull 931).
"""

from __future__ import annotations

import base64
import binascii
import json
import re
from collections.abc import Callable, Iterable, Sequence
from typing import Any, Protocol

from lightmock.core.exceptions import InvalidInputException
from lightmock.core.wire import Wire

SortKey = tuple[float, str]

_TOKEN = re.compile(r"[A-Za-z0-9_\-]+={0,2}")


class Listed(Protocol):
    """What a list call pages over: an alarm or a resource."""

    @property
    def created_at(self) -> float: ...
    @property
    def name(self) -> str: ...
    @property
    def wire(self) -> Wire: ...


def sort_key(item: Listed) -> SortKey:
    """Where ``item`` stands in every listing: (creation time, name)."""
    return (item.created_at, item.name)


def listing(things: Iterable[Listed]) -> list[tuple[SortKey, Wire]]:
    """``things`` in listing order, each with its key, as ``page`` takes them."""
    return [(sort_key(thing), thing.wire) for thing in sorted(things, key=sort_key)]


def encode_token(operation: str, key: SortKey) -> str:
    text = json.dumps({"op": operation, "after": [key[0], key[1]]}, separators=(",", ":"))
    return base64.urlsafe_b64encode(text.encode()).decode("ascii")


def _invalid(operation: str, token: str) -> InvalidInputException:
    return InvalidInputException(f"The page token is not valid for {operation}: {token!r}", code="InvalidPageToken")


def decode_token(operation: str, token: str) -> SortKey:
    if not _TOKEN.fullmatch(token):
        raise _invalid(operation, token)
    try:
        data = json.loads(base64.urlsafe_b64decode(token.encode("ascii")))
    except (binascii.Error, UnicodeDecodeError, ValueError):
        raise _invalid(operation, token) from None
    match data:
        case {"op": str(op), "after": [int() | float() as after_time, str(after_name)]} if (
            op == operation and not isinstance(after_time, bool)
        ):
            return float(after_time), after_name
    raise _invalid(operation, token)


def page(
    items: Sequence[tuple[SortKey, Wire]],
    *,
    operation: str,
    member: str,
    params: dict[str, Any],
    page_size: int,
    publish: Callable[[Wire], Wire] = lambda wire: wire,
) -> Wire:
    """One page of ``items`` (sorted by key) under ``member``, and a token unless it is the last."""
    token = params.get("pageToken")
    if token:  # An empty token asks for the first page, as no token does.
        after = decode_token(operation, token)
        items = [item for item in items if item[0] > after]
    chosen = items[:page_size]
    body: Wire = {member: [publish(wire) for _, wire in chosen]}
    if len(items) > page_size:
        body["nextPageToken"] = encode_token(operation, chosen[-1][0])
    return body
