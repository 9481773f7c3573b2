"""A dict that counts its changes, so that what is derived from it can be kept until it changes.

The alarms and resources of a region are kept in ``Registry`` objects. The list calls page
through them in a fixed order (``service/paging.py``); sorting every item on every page
made each page cost O(n log n) of the total. With ``generation`` bumped on every change of
membership, the sorted listing is built once and reused by every page until an item is
added or removed, and a page then costs a binary search and its own items.
"""

from __future__ import annotations

from typing import Any, TypeVar

K = TypeVar("K")
V = TypeVar("V")


class Registry(dict[K, V]):
    """A ``dict`` whose ``generation`` changes whenever a key is set or removed.

    ``derived`` holds whatever a reader computed from it, tagged with the generation it
    was computed at (see ``paging.indexed``); the registry itself never reads it.
    """

    __slots__ = ("derived", "generation")

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.generation = 0
        self.derived: dict[str, tuple[int, Any]] = {}

    def __setitem__(self, key: K, value: V) -> None:
        super().__setitem__(key, value)
        self.generation += 1

    def __delitem__(self, key: K) -> None:
        super().__delitem__(key)
        self.generation += 1

    def pop(self, key: K, *default: Any) -> Any:
        self.generation += 1
        return super().pop(key, *default)

    def popitem(self) -> tuple[K, V]:
        self.generation += 1
        return super().popitem()

    def setdefault(self, key: K, default: Any = None) -> Any:
        self.generation += 1
        return super().setdefault(key, default)

    def update(self, *args: Any, **kwargs: Any) -> None:
        super().update(*args, **kwargs)
        self.generation += 1

    def __ior__(self, other: Any) -> Registry[K, V]:  # type: ignore[override,misc]
        self.update(other)
        return self

    def clear(self) -> None:
        super().clear()
        self.generation += 1

    def __reduce__(self) -> Any:
        """Copies (``copy.deepcopy``, pickling) are plain registries of the same items."""
        return (type(self), (dict(self),))
