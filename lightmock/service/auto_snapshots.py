"""Add-ons and automatic snapshots: EnableAddOn, DisableAddOn, GetAutoSnapshots,
DeleteAutoSnapshot, and the daily snapshots the service takes on its own
(docs/service-reference.md §11.5).

The service: "You can pick a time of the day, and Lightsail will automatically take a
snapshot for you each day at the time you chose and always keep your seven most recent
automatic snapshots" (user guide, *Manual and automatic snapshots* FAQ). The time is
``HH:00`` UTC, in hourly increments (model ``AutoSnapshotAddOnRequest.snapshotTimeOfDay``).
Instances and disks have the add-on; ``StopInstanceOnIdle`` is an instance's only
(Lightsail for Research).

How the mock takes them: lazily. Each resource with the add-on has a ``Schedule`` (its
time of day and the instant up to which its snapshots have been taken). Before every call
(the family's ``catch_up``, run by dispatch) the region's book compares the clock with the
earliest instant any schedule is next due, and does nothing if that is still ahead: one
comparison per call. When the clock has passed due instants, the number of days passed is
computed, not looped over, and only the snapshots retention keeps (the last seven) are
made, each stamped with its own due instant. A year of clock for a hundred instances is
seven snapshots each (``benchmarks/bench_auto_snapshots.py``).

Chosen here (docs/limits.md): a snapshot is taken at its time of day exactly (the service
takes it within 45 minutes after); a new time of day counts from the call that sets it, and
no date gets two snapshots; an automatic snapshot records what its resource is when it is
made (blueprint, bundle, attached disks); disabling the add-on keeps the snapshots taken;
deleting the resource deletes them.
"""

from __future__ import annotations

import copy
import math
import time
from dataclasses import dataclass, field
from typing import Any

from lightmock.core.domain import ResourceType
from lightmock.core.exceptions import InvalidInputException, NotFoundException
from lightmock.core.quoting import quoted
from lightmock.core.records import Resource
from lightmock.core.wire import Wire, wire_time
from lightmock.engine.store import RegionState
from lightmock.service import family
from lightmock.service.context import RequestContext
from lightmock.service.kinds import Family

#: The key of the region's book in ``RegionState.family_state``.
_KEY = "auto_snapshots"
#: "always keep your seven most recent automatic snapshots" (user guide FAQ, §11.5).
KEEP = 7
DAY = 86400.0
#: The time of day when a request names none (the service picks one; the mock this).
DEFAULT_TIME = "06:00"
AUTO_SNAPSHOT = "AutoSnapshot"
STOP_ON_IDLE = "StopInstanceOnIdle"
#: The kinds that have add-ons, in the order a name is looked up.
_HOLDERS = (ResourceType.INSTANCE, ResourceType.DISK)


@dataclass(slots=True)
class AutoSnapshot:
    """One automatic snapshot: its date, when it was made, and what it holds (``facts``:
    for an instance its blueprint, bundle and size, for a disk its size)."""

    date: str
    created_at: float
    from_attached_disks: list[Wire]
    facts: Wire

    @property
    def wire(self) -> Wire:
        """As GetAutoSnapshots lists it (aws-cli ``get-auto-snapshots`` example)."""
        return {
            "date": self.date,
            "createdAt": wire_time(self.created_at),
            "status": "Success",
            "fromAttachedDisks": copy.deepcopy(self.from_attached_disks),
        }


@dataclass(slots=True)
class Schedule:
    """A resource's automatic snapshots: when they are taken (``seconds`` after midnight
    UTC, ``None`` once disabled), up to when they have been (``since``), and those kept."""

    resource: Resource
    seconds: float | None
    since: float
    snapshots: dict[str, AutoSnapshot] = field(default_factory=dict)

    def first_due(self) -> float:
        """The first instant after ``since`` at the schedule's time of day (infinite if disabled)."""
        if self.seconds is None:
            return math.inf
        return (math.floor((self.since - self.seconds) / DAY) + 1) * DAY + self.seconds

    def newest_first(self) -> list[AutoSnapshot]:
        return sorted(self.snapshots.values(), key=lambda snapshot: snapshot.date, reverse=True)


@dataclass(slots=True)
class Book:
    """The schedules of one region, and the earliest instant any of them is next due."""

    schedules: dict[tuple[ResourceType, str], Schedule] = field(default_factory=dict)
    next_due: float = math.inf

    def recompute(self) -> None:
        self.next_due = min((schedule.first_due() for schedule in self.schedules.values()), default=math.inf)


def _book(state: RegionState) -> Book:
    book = state.family_state.get(_KEY)
    if book is None:
        book = state.family_state[_KEY] = Book()
    assert isinstance(book, Book)
    return book


def _date(epoch: float) -> str:
    return time.strftime("%Y-%m-%d", time.gmtime(epoch))


def attached_disks(state: RegionState, instance: Resource) -> list[Resource]:
    """The disks attached to an instance, by path."""
    disks = (disk for disk in state.resources[ResourceType.DISK].values() if disk.attached_to == instance.name)
    return sorted(disks, key=lambda disk: str(disk.body.get("path", "")))


def facts_of(resource: Resource) -> Wire:
    """What a snapshot of ``resource`` holds: an instance's blueprint, bundle and system
    disk size; a disk's size."""
    if resource.resource_type is ResourceType.DISK:
        return {"sizeInGb": resource.body["sizeInGb"]}
    system = resource.body["hardware"]["disks"][0]
    return {
        "blueprintId": resource.body["blueprintId"],
        "bundleId": resource.body["bundleId"],
        "sizeInGb": system["sizeInGb"],
    }


def _take(state: RegionState, schedule: Schedule, now: float) -> None:
    """Make the snapshots due in ``(since, now]`` that retention keeps, then keep the newest seven."""
    first = schedule.first_due()
    if first > now:
        return
    due = int((now - first) // DAY) + 1
    resource = schedule.resource
    disks = (
        [{"path": disk.body["path"], "sizeInGb": disk.body["sizeInGb"]} for disk in attached_disks(state, resource)]
        if resource.resource_type is ResourceType.INSTANCE
        else []
    )
    facts = facts_of(resource)
    for index in range(max(0, due - KEEP), due):
        at = first + index * DAY
        date = _date(at)
        if date not in schedule.snapshots:  # never two on one date (a time changed mid-day)
            schedule.snapshots[date] = AutoSnapshot(date, at, copy.deepcopy(disks), dict(facts))
    for date in sorted(schedule.snapshots)[:-KEEP]:
        del schedule.snapshots[date]
    schedule.since = now


def settle(state: RegionState, now: float) -> None:
    """Take every automatic snapshot of the region due by ``now`` (nothing, at the cost of
    one comparison, when none is); forget the schedules of deleted resources."""
    book = state.family_state.get(_KEY)
    if book is None or now < book.next_due:
        return
    for key, schedule in list(book.schedules.items()):
        if schedule.resource.gone:
            del book.schedules[key]
        else:
            _take(state, schedule, now)
    book.recompute()


def catch_up(context: RequestContext) -> None:
    settle(context.state, context.now)


def schedule_of(state: RegionState, resource: Resource) -> Schedule | None:
    """The resource's schedule (none for a deleted one's namesake)."""
    book = state.family_state.get(_KEY)
    if book is None:
        return None
    schedule: Schedule | None = book.schedules.get((resource.resource_type, resource.name))
    if schedule is None or schedule.resource is not resource:
        return None
    return schedule


# -- add-ons --------------------------------------------------------------------------------


def _seconds(time_of_day: str) -> float:
    hours, minutes = time_of_day.split(":")
    return float(int(hours) * 3600 + int(minutes) * 60)


def add_on_wire(requests: list[Wire], resource_type: ResourceType = ResourceType.INSTANCE) -> list[Wire]:
    """The ``addOns`` of a record from the ``AddOnRequest``s of a create or EnableAddOn,
    refusing what the service refuses: a time not on the hour, an add-on the kind lacks."""
    add_ons: dict[str, Wire] = {}
    for request in requests:
        if request["addOnType"] == AUTO_SNAPSHOT:
            time_of_day = request.get("autoSnapshotAddOnRequest", {}).get("snapshotTimeOfDay", DEFAULT_TIME)
            if not time_of_day.endswith(":00"):
                raise InvalidInputException(
                    f"The snapshot time of day must be in HH:00 format, in an hourly increment: {quoted(time_of_day)}",
                    code="InvalidSnapshotTimeOfDay",
                )
            add_ons[AUTO_SNAPSHOT] = {
                "name": AUTO_SNAPSHOT,
                "status": "Enabled",
                "snapshotTimeOfDay": time_of_day,
                "nextSnapshotTimeOfDay": time_of_day,
            }
        else:
            if resource_type is not ResourceType.INSTANCE:
                raise InvalidInputException(
                    f"The {STOP_ON_IDLE} add-on is for instances only, not a {resource_type}", code="InvalidAddOn"
                )
            add_on: Wire = {"name": STOP_ON_IDLE, "status": "Enabled"}
            add_on.update(request.get("stopInstanceOnIdleRequest", {}))
            add_ons[STOP_ON_IDLE] = add_on
    return list(add_ons.values())


def _auto_snapshot_time(resource: Resource) -> float | None:
    for add_on in resource.body.get("addOns", ()):
        if add_on["name"] == AUTO_SNAPSHOT:
            return _seconds(add_on["snapshotTimeOfDay"])
    return None


def start(context: RequestContext, resource: Resource) -> None:
    """Begin (or re-time) the resource's automatic snapshots as its ``addOns`` say, from now."""
    seconds = _auto_snapshot_time(resource)
    schedule = schedule_of(context.state, resource)
    if schedule is None and seconds is None:
        return  # no add-on, no book: a region without schedules pays nothing per call
    book = _book(context.state)
    if schedule is None:
        schedule = Schedule(resource, seconds, context.now)
        book.schedules[(resource.resource_type, resource.name)] = schedule
    else:
        _take(context.state, schedule, context.now)
        schedule.seconds, schedule.since = seconds, context.now
    book.recompute()


def check_deletable(context: RequestContext, resource: Resource, params: dict[str, Any]) -> None:
    """Refuse to delete a resource with add-ons unless ``forceDeleteAddOns`` (the service's
    message: terraform-provider-aws#20650, §11.5)."""
    if resource.body.get("addOns") and not params.get("forceDeleteAddOns"):
        kind = resource.resource_type
        raise InvalidInputException(
            f"You cannot delete the {kind} {resource.name} with addons. Specify the forceDeleteAddons parameter "
            f"to delete the {kind} and its associated addons.",
            code="AddOnsEnabled",
        )


def find_holder(context: RequestContext, name: str, kinds: tuple[ResourceType, ...] = _HOLDERS) -> Resource:
    """The instance or disk of that name (instances first), or ``NotFoundException``."""
    for resource_type in kinds:
        resource = context.state.resources[resource_type].get(name)
        if resource is not None:
            return resource
    raise family.not_found(" or ".join(str(kind) for kind in kinds), name)


def enable_add_on(context: RequestContext, params: dict[str, Any]) -> Wire:
    resource = find_holder(context, params["resourceName"])
    (added,) = add_on_wire([params["addOnRequest"]], resource.resource_type)
    kept = [add_on for add_on in resource.body.get("addOns", []) if add_on["name"] != added["name"]]
    resource.update(addOns=[*kept, added])
    start(context, resource)
    return {"operations": [family.operation_on(context, resource, "EnableAddOn", details=added["name"])]}


def disable_add_on(context: RequestContext, params: dict[str, Any]) -> Wire:
    resource = find_holder(context, params["resourceName"])
    name = params["addOnType"]
    add_ons = resource.body.get("addOns", [])
    if not any(add_on["name"] == name for add_on in add_ons):
        raise InvalidInputException(
            f"The {name} add-on is not enabled for the {resource.resource_type} {resource.name}", code="NotEnabled"
        )
    resource.update(addOns=[add_on for add_on in add_ons if add_on["name"] != name])
    if name == AUTO_SNAPSHOT:
        start(context, resource)
    return {"operations": [family.operation_on(context, resource, "DisableAddOn", details=name)]}


# -- automatic snapshots --------------------------------------------------------------------


def get_auto_snapshots(context: RequestContext, params: dict[str, Any]) -> Wire:
    resource = find_holder(context, params["resourceName"])
    schedule = schedule_of(context.state, resource)
    listed = [] if schedule is None else [snapshot.wire for snapshot in schedule.newest_first()]
    return {"resourceName": resource.name, "resourceType": str(resource.resource_type), "autoSnapshots": listed}


def _missing(resource: Resource, date: str) -> NotFoundException:
    return NotFoundException(
        f"The automatic snapshot of {resource.name} for the date {quoted(date, bare=True)} does not exist",
        code="DoesNotExist",
    )


def chosen(
    context: RequestContext,
    state: RegionState,
    name: str,
    params: dict[str, Any],
    kinds: tuple[ResourceType, ...] = _HOLDERS,
) -> tuple[Resource, AutoSnapshot]:
    """The automatic snapshot a restore or copy names: ``name``'s of ``restoreDate``, or its
    latest with ``useLatestRestorableAutoSnapshot`` (exactly one of the two), in ``state``'s region."""
    restore_date = params.get("restoreDate")
    latest = bool(params.get("useLatestRestorableAutoSnapshot"))
    if (restore_date is None) == (not latest):
        raise InvalidInputException(
            "Name the automatic snapshot with either restoreDate or useLatestRestorableAutoSnapshot "
            "(they are mutually exclusive, and one is needed)",
            code="InvalidAutoSnapshotChoice",
        )
    settle(state, context.now)
    resource = None
    for resource_type in kinds:
        resource = state.resources[resource_type].get(name)
        if resource is not None:
            break
    if resource is None:
        raise family.not_found(" or ".join(str(kind) for kind in kinds), name)
    schedule = schedule_of(state, resource)
    snapshots = [] if schedule is None else schedule.newest_first()
    if latest:
        if not snapshots:
            message = f"The {resource.resource_type} {name} has no automatic snapshot"
            raise NotFoundException(message, code="DoesNotExist")
        return resource, snapshots[0]
    assert restore_date is not None
    for snapshot in snapshots:
        if snapshot.date == restore_date:
            return resource, snapshot
    raise _missing(resource, restore_date)


def delete_auto_snapshot(context: RequestContext, params: dict[str, Any]) -> Wire:
    resource = find_holder(context, params["resourceName"])
    date = params["date"]
    schedule = schedule_of(context.state, resource)
    if schedule is None or date not in schedule.snapshots:
        raise _missing(resource, date)
    del schedule.snapshots[date]
    # As the aws-cli ``delete-auto-snapshot`` example reports it: the region as the zone.
    operation = context.operation(
        resource_name=resource.name,
        resource_type=resource.resource_type,
        operation_type="DeleteAutoSnapshot",
        availability_zone=context.region,
        details=f"DeleteAutoSnapshot-{date}",
    )
    return {"operations": [operation]}


FAMILY = Family(
    title="Add-ons and automatic snapshots",
    operations={
        "EnableAddOn": enable_add_on,
        "DisableAddOn": disable_add_on,
        "GetAutoSnapshots": get_auto_snapshots,
        "DeleteAutoSnapshot": delete_auto_snapshot,
    },
    catch_up=catch_up,
)
