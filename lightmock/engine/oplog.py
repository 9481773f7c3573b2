"""A region's log of operations: every Operation record returned, by id and in order.

GetOperation finds one record by its id; GetOperations lists them newest first, a page
at a time, and GetOperationsForResource lists those of one resource the same way. A
dict by id alone (as the log once was) made every listing copy the whole log before it
could take a page of it: 9.5 ms a page at 40,000 operations against 3.5 ms at 1,000. The
log only grows (an operation, once returned, stays), so it keeps each record's position
too, and each resource name's positions, both appended to as records arrive: a page is
then a binary search and its own records, whatever the length of the log
(``paging.newest_first``).
"""

from __future__ import annotations

from lightmock.core.records import LoggedOperation

__all__ = ["OperationLog"]


class OperationLog:
    """The records in the order they were logged (position 0 the oldest), by id, and the
    positions of each resource name's records."""

    __slots__ = ("_by_id", "_by_resource", "_records")

    def __init__(self) -> None:
        self._records: list[LoggedOperation] = []
        self._by_id: dict[str, LoggedOperation] = {}
        self._by_resource: dict[str, list[int]] = {}

    def __len__(self) -> int:
        return len(self._records)

    def __getitem__(self, position: int) -> LoggedOperation:
        """The record logged at ``position`` (0 the oldest)."""
        return self._records[position]

    def append(self, record: LoggedOperation) -> None:
        """Log ``record`` as the newest."""
        position = len(self._records)
        self._records.append(record)
        self._by_id[record.id] = record
        self._by_resource.setdefault(record.resource_name, []).append(position)

    def get(self, operation_id: str) -> LoggedOperation | None:
        """The record of that id, or None."""
        return self._by_id.get(operation_id)

    def positions_of(self, resource_name: str) -> list[int]:
        """The positions of the records of ``resource_name``, ascending (the log's own
        list: read it, do not change it)."""
        return self._by_resource.get(resource_name, _NONE)


#: The positions of a resource name that has no record.
_NONE: list[int] = []
