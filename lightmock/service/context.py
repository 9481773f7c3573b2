"""The request context: what a handler is given besides its parameters."""

from __future__ import annotations

from dataclasses import dataclass

from lightmock.core.domain import ResourceType
from lightmock.core.ids import new_id
from lightmock.core.records import LoggedOperation, built_in_order
from lightmock.core.wire import Wire, arn, wire_time
from lightmock.engine import timeline
from lightmock.engine.store import RegionState, Store
from lightmock.schema.differences import served_model
from lightmock.service.kinds import FamilyTable

#: The operation types the model's ``OperationType`` enum lists.
_OPERATION_TYPES = frozenset(served_model().shape_for("OperationType").enum)

#: The statuses after which an operation changes no more.
_TERMINAL = frozenset({"Succeeded", "Completed", "Failed"})


@dataclass(slots=True)
class RequestContext:
    """What a handler needs: the store, its region's state, the time of the request, and
    the family table (``service/families.py``) for what crosses families. (Made with its
    fields in order, on every call: a keyword call is the slower one.)"""

    store: Store
    state: RegionState
    account_id: str
    region: str
    now: float
    table: FamilyTable

    def region_state(self, region: str) -> RegionState:
        """The state of the same account in another region (CopySnapshot, account-wide reads)."""
        return self.store.region(self.account_id, region)

    def resource_head(self, resource_type: ResourceType, name: str, resource_id: str, zone: str = "all") -> Wire:
        """The members every resource record starts with, in the model's order (the rest,
        such as ``supportCode``, depends on the type)."""
        return {
            "name": name,
            "arn": arn(self.region, self.account_id, resource_type, resource_id),
            "createdAt": wire_time(self.now),
            "location": {"availabilityZone": zone, "regionName": self.region},
            "resourceType": str(resource_type),
        }

    def operation(
        self,
        *,
        resource_name: str,
        resource_type: str,
        operation_type: str | None,
        status: str = "Succeeded",
        availability_zone: str = "all",
        details: str | None = None,
        region_name: str | None = None,
    ) -> Wire:
        """An ``Operation`` record as mutating calls return it (docs/service-reference.md §3.1),
        logged in the region for GetOperation(s).

        The log holds it finished (``Succeeded``, terminal) whatever the call reports: the
        mock carries out every operation before it answers, and a client that waits on
        GetOperation (Terraform does after every create and delete) must see it done.
        ``region_name`` is where the operation's resource lives when that is not the
        request's region (``global`` for a DNS zone: aws-cli ``create-domain`` example).
        """
        now = wire_time(self.now)
        operation_id = new_id()
        record: Wire = {
            "id": operation_id,
            "resourceName": resource_name,
            "resourceType": resource_type,
            "createdAt": now,
            "location": {"availabilityZone": availability_zone, "regionName": region_name or self.region},
            "isTerminal": status in _TERMINAL,
        }
        if details is not None:
            record["operationDetails"] = details
        if operation_type is not None and operation_type in _OPERATION_TYPES:
            # Left out where the service's type is missing from the model's OperationType
            # enum (key pairs, tags: docs/limits.md).
            record["operationType"] = operation_type
        else:
            operation_type = None
        record["status"] = status
        record["statusChangedAt"] = now
        logged = (operation_id, resource_name, resource_type, now, availability_zone, operation_type, details)
        self.state.operations.append(_logged_operation(logged))
        return record


_logged_operation = built_in_order(LoggedOperation)


class settled_context(timeline.settled):
    """Hold the store's lock with everything due done (``timeline.settled``) and give the
    context of a request of ``account_id`` in ``region`` at the clock's time: the one way
    a call, or a handle's change made as a call would make it, gets its context."""

    __slots__ = ("_account_id", "_region", "_table")

    def __init__(self, store: Store, account_id: str, region: str, table: FamilyTable) -> None:
        self._store, self._account_id, self._region, self._table = store, account_id, region, table

    def __enter__(self) -> RequestContext:  # type: ignore[override]  # the context, not the time
        now = timeline.settled.__enter__(self)  # (``super()`` would make an object per call)
        store = self._store
        state = store.region(self._account_id, self._region)
        return RequestContext(store, state, self._account_id, self._region, now, self._table)
