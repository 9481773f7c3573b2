"""The log of one container of a container service: events in time order, found by time
with a binary search.

GetContainerLog reads a window of a log page by page; a page costs what its events cost
(and the events a filter pattern skips), not the length of the log: the window's ends are
two bisections of the sorted times. A log is replaced, never edited, when events are
added (``with_events``), so a page being read keeps the log it started on.
"""

from __future__ import annotations

import bisect
from collections.abc import Iterable
from dataclasses import dataclass, field


@dataclass(frozen=True, slots=True)
class ContainerLog:
    """Events as two parallel lists, ``times`` (epoch seconds, ascending) and ``messages``."""

    times: list[float] = field(default_factory=list)
    messages: list[str] = field(default_factory=list)

    def __len__(self) -> int:
        return len(self.times)

    def with_events(self, events: Iterable[tuple[float, str]]) -> ContainerLog:
        """A new log with ``events`` added in time order (events at the same time keep the
        order they were given in, after those already there)."""
        added = sorted(events, key=lambda event: event[0])
        if not added:
            return self
        if not self.times or added[0][0] >= self.times[-1]:
            return ContainerLog(self.times + [t for t, _ in added], self.messages + [m for _, m in added])
        merged = sorted(
            zip(self.times + [t for t, _ in added], self.messages + [m for _, m in added], strict=True),
            key=lambda event: event[0],
        )
        return ContainerLog([t for t, _ in merged], [m for _, m in merged])

    def window(self, start: float, end: float) -> tuple[int, int]:
        """The positions ``[low, high)`` of the events at ``start`` up to and including ``end``."""
        return bisect.bisect_left(self.times, start), bisect.bisect_right(self.times, end)
