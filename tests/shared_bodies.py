"""A guard for the rule reads rely on: a stored record's values are never edited in place.

``Resource.wire`` gives a read its own top level around the body's values, which it shares
with the store (``lightmock/core/records.py``). That is safe while nothing edits a body, or
a list or object inside one, in place: a change replaces the body (``Resource.update``),
and a handler adds to or takes from the top level of what it returns only. This module
checks it: ``fingerprints`` takes every body of a store, with its tags and head (the
members that never change, shared alike), as JSON text, and ``edited_in_place`` names
those whose text has changed since, although the objects are the same. The suite runs it
around every call (``conftest``), so an operation that breaks the rule fails whichever
test reaches it.
"""

from __future__ import annotations

from typing import Any

import orjson

from lightmock.engine.store import Store

#: Above this many resources a store is not fingerprinted (the scale tests' stores): two
#: JSON writes of every body per call would make them slow, and they add no operation.
MAX_FINGERPRINTED = 300

#: (whose, the values held: the body, the tags and the head, their JSON text then).
Fingerprints = list[tuple[str, tuple[dict[str, Any], list[Any], dict[str, Any]], bytes]]


def fingerprints(store: Store) -> Fingerprints:
    """Every record's body, tags and head in ``store``, with their JSON text; empty above ``MAX_FINGERPRINTED``."""
    with store.lock:
        resources = [
            resource
            for state in store.regions.values()
            for table in state.resources.values()
            for resource in table.values()
        ]
        if len(resources) > MAX_FINGERPRINTED:
            return []
        return [
            (f"{resource.resource_type} {resource.name}", held, orjson.dumps(held))
            for resource in resources
            for held in [(resource.body, resource.tags, resource.head)]
        ]


def edited_in_place(before: Fingerprints) -> list[str]:
    """The resources whose body, tags or head, as they were fingerprinted, no longer read the same."""
    return [name for name, held, text in before if orjson.dumps(held) != text]
