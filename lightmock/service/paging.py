"""Pages of list results, with opaque tokens that survive changes between pages.

Items are listed in a fixed order and a token says "after the item with key k", not
"from position p": a loop over pages then sees no item twice and misses none that exists
throughout, whatever is created or deleted between pages. Keys are (creation time, name):
the clock never moves back and names are unique per region, so keys are unique and new
items sort last. The last page carries no ``nextPageToken`` at all (an empty token has sent
SDK loops round forever: aws-sdk-java-v2 pull 931).

A page of alarms, instances, load balancers or databases costs O(page size + log n), not
O(n log n): their sorted listing is kept with their ``Registry`` until an item is added or
removed (:func:`indexed`), and a token is found in it by binary search on its key. The
smaller listings (static IPs, key pairs) are sorted per call (:func:`listing`), and the
operation log is listed newest first by position, through a view that copies nothing
(:func:`newest_first`).

Tokens are signed. A token is ``<payload>.<tag>``: the payload (base64url JSON of the
operation and the key) and an HMAC-SHA256 tag under a key made when the process starts.
Anything the mock did not issue (other text, a changed payload, another operation's
token) is an ``InvalidInputException`` before any of it is parsed, so no crafted token
(400-digit numbers, deep nesting, NaN times, wrong types) reaches the parser or the
comparison; the payload is then still checked against a fixed schema.
"""

from __future__ import annotations

import base64
import binascii
import bisect
import hashlib
import hmac
import json
import math
import re
import secrets
from collections.abc import Callable, Iterable
from dataclasses import dataclass
from typing import Any, Generic, Protocol, TypeVar

from lightmock.core.exceptions import InvalidInputException
from lightmock.core.quoting import quoted
from lightmock.core.registry import Registry
from lightmock.core.wire import Wire

SortKey = tuple[float, str]
T = TypeVar("T")

#: A payload of an operation's name and a 255-character name fits well within this.
_MAX_TOKEN = 2048
_TAG_BYTES = 16
_TOKEN = re.compile(r"([A-Za-z0-9_\-]+)\.([A-Za-z0-9_\-]{22})")
_SECRET = secrets.token_bytes(32)


class Listed(Protocol):
    """What a list call pages over by (creation time, name): an alarm or a resource."""

    @property
    def created_at(self) -> float: ...
    @property
    def name(self) -> str: ...


L = TypeVar("L", bound=Listed)


def sort_key(item: Listed) -> SortKey:
    """Where ``item`` stands in every listing: (creation time, name)."""
    return (item.created_at, item.name)


T_co = TypeVar("T_co", covariant=True)


class Indexed(Protocol[T_co]):
    """What a page reads of a listing: its length and an item by index (a list, or a view)."""

    def __len__(self) -> int: ...
    def __getitem__(self, index: int, /) -> T_co: ...


@dataclass(frozen=True, slots=True)
class Listing(Generic[T]):
    """Items in listing order and their keys, for a binary search."""

    keys: Indexed[SortKey]
    items: Indexed[T]


def listing(things: Iterable[L]) -> Listing[L]:
    """``things`` in listing order."""
    ordered = sorted(things, key=sort_key)
    return Listing([sort_key(thing) for thing in ordered], ordered)


def kept(registry: Registry[Any, Any], key: str, build: Callable[[], T]) -> T:
    """What ``build`` derives from ``registry``, kept under ``key`` (``Registry.derived``) and
    built again only once its membership has changed (its ``generation``)."""
    cached = registry.derived.get(key)
    if cached is not None and cached[0] == registry.generation:
        result: T = cached[1]
        return result
    result = build()
    registry.derived[key] = (registry.generation, result)
    return result


def indexed(registry: Registry[str, L]) -> Listing[L]:
    """The listing of a registry's items, sorted once per change of its membership."""
    return kept(registry, "listing", lambda: listing(registry.values()))


def in_order(records: Iterable[T]) -> Listing[T]:
    """Records listed in the order given (the catalogue's): the key is the position."""
    items = list(records)
    return Listing([(float(index), "") for index in range(len(items))], items)


@dataclass(frozen=True, slots=True)
class _Backwards(Generic[T]):
    """``pick(positions[size - 1 - index])``: the first ``size`` positions, last first,
    each read when asked for, so that nothing is copied."""

    positions: Indexed[int]
    size: int
    pick: Callable[[int], T]

    def __len__(self) -> int:
        return self.size

    def __getitem__(self, index: int, /) -> T:
        if index < 0:
            index += self.size
        if not 0 <= index < self.size:
            raise IndexError(index)
        return self.pick(self.positions[self.size - 1 - index])


def _position_key(position: int) -> SortKey:
    return (-float(position), "")


def newest_first(records: Indexed[T], positions: Indexed[int]) -> Listing[T]:
    """``records[p]`` for each of ``positions`` (ascending), newest (highest) first, keyed
    so that a token says "older than this one": records logged between pages come before
    it, so a loop over pages neither repeats nor skips one.

    A view of the log as it is now (its length is read once), not a copy: a page costs a
    binary search over the keys and its own records, whatever the length of the log.
    """
    size = len(positions)
    return Listing(_Backwards(positions, size, _position_key), _Backwards(positions, size, records.__getitem__))


def _b64(data: bytes) -> str:
    return base64.urlsafe_b64encode(data).rstrip(b"=").decode("ascii")


def _tag(payload: str) -> str:
    return _b64(hmac.new(_SECRET, payload.encode("ascii"), hashlib.sha256).digest()[:_TAG_BYTES])


def encode_token(operation: str, key: SortKey) -> str:
    text = json.dumps({"op": operation, "after": [float(key[0]), key[1]]}, separators=(",", ":"))
    payload = _b64(text.encode())
    return f"{payload}.{_tag(payload)}"


def _invalid(operation: str, token: str) -> InvalidInputException:
    return InvalidInputException(
        f"The page token is not valid for {operation}: {quoted(token)}", code="InvalidPageToken"
    )


def decode_token(operation: str, token: str) -> SortKey:
    """The key a token of ``operation`` was issued after; ``InvalidInputException`` for
    anything else."""
    match = _TOKEN.fullmatch(token) if len(token) <= _MAX_TOKEN else None
    if match is None or not hmac.compare_digest(_tag(match.group(1)), match.group(2)):
        raise _invalid(operation, token)
    payload = match.group(1)
    try:
        data = json.loads(base64.urlsafe_b64decode(payload + "=" * (-len(payload) % 4)))
    except (binascii.Error, UnicodeDecodeError, ValueError):  # pragma: no cover - we signed it
        raise _invalid(operation, token) from None
    match data:
        case {"op": str(op), "after": [float(after_time), str(after_name)]} if (
            len(data) == 2 and op == operation and math.isfinite(after_time)
        ):
            return after_time, after_name
    raise _invalid(operation, token)


def page(
    listed: Listing[T],
    *,
    operation: str,
    member: str,
    params: dict[str, Any],
    page_size: int,
    publish: Callable[[T], Any],
    keep: Callable[[T], bool] | None = None,
) -> Wire:
    """One page of ``listed`` under ``member`` (those ``keep`` accepts), each item as
    ``publish`` gives it, and a token unless it is the last page."""
    keys, items = listed.keys, listed.items
    token = params.get("pageToken")
    start = 0
    if token:  # An empty token asks for the first page, as no token does.
        start = bisect.bisect_right(keys, decode_token(operation, token))
    if keep is None:
        chosen = list(range(start, min(start + page_size + 1, len(items))))
    else:
        chosen = []
        for index in range(start, len(items)):
            if keep(items[index]):
                chosen.append(index)
                if len(chosen) > page_size:
                    break
    more = len(chosen) > page_size
    chosen = chosen[:page_size]
    body: Wire = {member: [publish(items[index]) for index in chosen]}
    if more:
        body["nextPageToken"] = encode_token(operation, keys[chosen[-1]])
    return body
