"""Block storage disks: CreateDisk, GetDisk(s), DeleteDisk, AttachDisk, DetachDisk,
CreateDiskFromSnapshot (docs/service-reference.md §11.1).

Records and operations as the aws-cli examples show them (``create-disk``, ``get-disk``,
``attach-disk``, ``delete-disk``, ``create-disk-from-snapshot``): a disk lives in an
availability zone, its support code names an EBS volume (``<account>/vol-...``), a detached
one is ``available`` with ``attachmentState`` ``detached``, an attached one ``in-use`` with
``attachedTo``, ``path`` and ``attachmentState`` ``attached``; an attach or a detach reports
a pair of operations (one on the disk naming the instance, one on the instance naming the
disk), ``Started``.

The service's rules, with their sources in §11.1: a disk is attached to an instance of its
own availability zone ("can be attached to an Amazon Lightsail instance in the same
Availability Zone", model ``CreateDiskFromSnapshot``); it is deleted only detached ("The disk
must be in the available state (not attached to a Lightsail instance)", API_DeleteDisk);
it is detached only from a stopped instance ("Detaches a stopped block storage disk",
API_DetachDisk; Terraform stops the instance first); deleting an instance detaches its
disks and reports a ``DetachDisk`` pair for each (aws-cli ``delete-instance`` example):
the kind's ``Reference`` to instances.

Chosen here (docs/limits.md): a disk is 8 to 16,384 GB; a path is ``/dev/xvd[b-z]`` or
``/dev/sd[b-z]`` and one disk per path of an instance; a disk made from a snapshot is at
least the snapshot's size; refusals are ``InvalidInputException`` (a state refusal,
``OperationFailureException``, as for instances).
"""

from __future__ import annotations

import re
from typing import Any

from lightmock.core.domain import ResourceType
from lightmock.core.exceptions import InvalidInputException, OperationFailureException
from lightmock.core.ids import new_id
from lightmock.core.quoting import quoted
from lightmock.core.records import Resource, ResourceForm
from lightmock.core.wire import Wire, request_tags
from lightmock.engine.store import RegionState
from lightmock.service import auto_snapshots, family
from lightmock.service.catalogue import support_code
from lightmock.service.context import RequestContext
from lightmock.service.kinds import Family, Kind, Reference

_TYPE = ResourceType.DISK
MIN_GB, MAX_GB = 8, 16384
_PATH = re.compile(r"/dev/(xvd|sd)[b-z]")
AVAILABLE, IN_USE = "available", "in-use"


def _attachment(disk: Resource) -> Wire:
    if disk.attached_to is None:
        return {"isAttached": False, "attachmentState": "detached"}
    return {"attachedTo": disk.attached_to, "isAttached": True, "attachmentState": "attached"}


def _attached(disk: Resource) -> list[str]:
    return [] if disk.attached_to is None else [disk.attached_to]


def _instance_gone(state: RegionState, disk: Resource, instance: Resource) -> None:
    """The instance was deleted: its disk stays, detached and available (§11.1)."""
    _forget_attachment(disk)


DISK = Kind(
    resource_type=_TYPE,
    name_member="diskName",
    get=("GetDisk", "disk"),
    listing=("GetDisks", "disks"),
    delete="DeleteDisk",
    zoned=True,
    form=ResourceForm(derived=_attachment),
    refers_to=(
        Reference(kind=ResourceType.INSTANCE, names=_attached, when_gone=_instance_gone, reported_as="DetachDisk"),
    ),
)


def _forget_attachment(disk: Resource) -> None:
    disk.attached_to = None
    disk.state = AVAILABLE
    disk.body = {key: value for key, value in disk.body.items() if key != "path"}


def check_size(size: int, at_least: int = MIN_GB) -> None:
    if not at_least <= size <= MAX_GB:
        raise InvalidInputException(
            f"The disk size must be from {at_least} to {MAX_GB} GB; got {size}", code="InvalidDiskSize"
        )


def build(context: RequestContext, name: str, zone: str, size: int, params: dict[str, Any]) -> Resource:
    """A new disk record (not stored yet: ``launch``), with the request's tags and add-ons."""
    return family.new_record(
        context,
        DISK,
        name,
        zone=zone,
        support_code=support_code(context.account_id, "vol-" + new_id().replace("-", "")[:17]),
        tags=request_tags(params),
        body={
            "addOns": auto_snapshots.add_on_wire(params.get("addOns", []), _TYPE),
            "sizeInGb": size,
            "isSystemDisk": False,
            # gp2's rule, 3 IOPS a GB and at least 100 (an 8 GB disk has 100: get-disk example).
            "iops": max(100, 3 * size),
        },
    )


def launch(context: RequestContext, disk: Resource, operation_type: str) -> Wire:
    """Store a new disk on its way from ``pending`` to ``available`` and report it."""
    family.add(context, disk)
    family.begin_transition(context, disk, interim="pending", final=AVAILABLE)
    auto_snapshots.start(context, disk)
    return {"operations": [family.operation_on(context, disk, operation_type, status="Started")]}


def _check_new(context: RequestContext, params: dict[str, Any]) -> None:
    family.check_zone(context, params["availabilityZone"])
    family.check_names_free(context, DISK, [params["diskName"]])


def create_disk(context: RequestContext, params: dict[str, Any]) -> Wire:
    _check_new(context, params)
    check_size(params["sizeInGb"])
    disk = build(context, params["diskName"], params["availabilityZone"], params["sizeInGb"], params)
    return launch(context, disk, "CreateDisk")


def _source_size(context: RequestContext, params: dict[str, Any]) -> int:
    """The size of the snapshot a CreateDiskFromSnapshot names: a disk snapshot by name, or
    an automatic snapshot of ``sourceDiskName`` (§11.1)."""
    by_name, source_disk = params.get("diskSnapshotName"), params.get("sourceDiskName")
    if (by_name is None) == (source_disk is None):
        raise InvalidInputException(
            "Name the source with either diskSnapshotName or sourceDiskName (with restoreDate or "
            "useLatestRestorableAutoSnapshot)",
            code="InvalidSource",
        )
    if source_disk is not None:
        _, auto = auto_snapshots.chosen(context, context.state, source_disk, params, (_TYPE,))
        return int(auto.facts["sizeInGb"])
    assert by_name is not None
    snapshot = family.find(context, ResourceType.DISK_SNAPSHOT, by_name)
    if snapshot.state != "completed":
        raise OperationFailureException(
            f"The disk snapshot {snapshot.name} is {snapshot.state}; a disk can be made only from a completed one",
            code="InvalidSnapshotState",
        )
    return int(snapshot.body["sizeInGb"])


def create_disk_from_snapshot(context: RequestContext, params: dict[str, Any]) -> Wire:
    _check_new(context, params)
    check_size(params["sizeInGb"], max(MIN_GB, _source_size(context, params)))
    disk = build(context, params["diskName"], params["availabilityZone"], params["sizeInGb"], params)
    return launch(context, disk, "CreateDiskFromSnapshot")


def _pair(context: RequestContext, disk: Resource, instance: Resource, operation_type: str) -> list[Wire]:
    return [
        family.operation_on(context, disk, operation_type, status="Started", details=instance.name),
        family.operation_on(context, instance, operation_type, status="Started", details=disk.name),
    ]


def _instance_disks(state: RegionState, instance: Resource) -> None:
    """Bring the instance's ``hardware.disks`` up to date: its system disk, then its attached disks."""
    hardware = instance.body["hardware"]
    system = [disk for disk in hardware["disks"] if disk.get("isSystemDisk")]
    attached = [
        {key: value for key, value in disk.wire.items() if key not in ("tags", "addOns")}
        for disk in auto_snapshots.attached_disks(state, instance)
    ]
    instance.update(hardware={**hardware, "disks": [*system, *attached]})


def attach_disk(context: RequestContext, params: dict[str, Any]) -> Wire:
    disk = family.find(context, _TYPE, params["diskName"])
    instance = family.find(context, ResourceType.INSTANCE, params["instanceName"])
    path = params["diskPath"]
    if disk.attached_to is not None:
        raise InvalidInputException(
            f"The disk {disk.name} is already attached to the instance {disk.attached_to}; detach it first",
            code="AlreadyAttached",
        )
    if disk.state != AVAILABLE:
        raise OperationFailureException(f"The disk {disk.name} is {disk.state}, not available", code="InvalidDiskState")
    if disk.zone != instance.zone:
        raise InvalidInputException(
            f"The disk {disk.name} is in {disk.zone} and the instance {instance.name} in {instance.zone}; "
            "a disk is attached to an instance of its own availability zone",
            code="AvailabilityZoneMismatch",
        )
    if not _PATH.fullmatch(path):
        raise InvalidInputException(
            f"The disk path must be /dev/xvdb to /dev/xvdz (or /dev/sdb to /dev/sdz): {quoted(path)}",
            code="InvalidDiskPath",
        )
    if any(other.body.get("path") == path for other in auto_snapshots.attached_disks(context.state, instance)):
        raise InvalidInputException(f"The instance {instance.name} already has a disk at {path}", code="DiskPathInUse")
    attach(context.state, disk, instance, path)
    return {"operations": _pair(context, disk, instance, "AttachDisk")}


def attach(state: RegionState, disk: Resource, instance: Resource, path: str) -> None:
    """Commit an attachment the caller has checked: the disk ``in-use`` at ``path``, and in
    the instance's ``hardware.disks``."""
    disk.attached_to = instance.name
    disk.state = IN_USE
    disk.update(path=path)
    _instance_disks(state, instance)


def detach_disk(context: RequestContext, params: dict[str, Any]) -> Wire:
    disk = family.find(context, _TYPE, params["diskName"])
    if disk.attached_to is None:
        raise InvalidInputException(f"The disk {disk.name} is not attached to an instance", code="NotAttached")
    instance = family.find(context, ResourceType.INSTANCE, disk.attached_to)
    if instance.state != "stopped":
        raise OperationFailureException(
            f"The disk {disk.name} can be detached only from a stopped instance; {instance.name} is {instance.state}",
            code="InvalidInstanceState",
        )
    _forget_attachment(disk)
    _instance_disks(context.state, instance)
    return {"operations": _pair(context, disk, instance, "DetachDisk")}


def _check_delete(context: RequestContext, disk: Resource, params: dict[str, Any]) -> None:
    if disk.attached_to is not None:
        raise InvalidInputException(
            f"The disk {disk.name} is attached to the instance {disk.attached_to}; "
            "a disk must be available (not attached) to be deleted",
            code="DiskInUse",
        )
    auto_snapshots.check_deletable(context, disk, params)


FAMILY = Family(
    title="Disks",
    kinds=(DISK,),
    operations={
        "CreateDisk": create_disk,
        "CreateDiskFromSnapshot": create_disk_from_snapshot,
        "AttachDisk": attach_disk,
        "DetachDisk": detach_disk,
        **family.standard_operations(DISK, check_delete=_check_delete),
    },
)
