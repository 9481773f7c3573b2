"""Instance and disk snapshots: CreateInstanceSnapshot, GetInstanceSnapshot(s),
DeleteInstanceSnapshot, CreateDiskSnapshot, GetDiskSnapshot(s), DeleteDiskSnapshot
(docs/service-reference.md §11.2).

Records and operations as the aws-cli examples show them (``create-instance-snapshot``,
``get-instance-snapshot``, ``create-disk-snapshot``, ``get-disk-snapshot``,
``delete-*-snapshot``): a snapshot is regional (location ``all``); an instance snapshot
names its instance, blueprint, bundle and size, with the disks attached when it was taken
(``fromAttachedDisks``), and its support code an AMI (``<account>/ami-...``); a disk
snapshot names its disk (or, for a snapshot of an instance's system disk, its instance)
and an EBS snapshot (``snap-...``). A create reports a pair of operations, on the snapshot
and on its source, ``Started``. An instance snapshot goes ``pending`` to ``available``,
a disk snapshot ``pending`` to ``completed`` (model ``InstanceSnapshotState``,
``DiskSnapshotState``), through the one transition mechanism, with ``progress`` ``0%`` then
``100%``. A snapshot outlives its source and keeps its name (its ``Reference``s declare no
``when_gone``).
"""

from __future__ import annotations

from typing import Any

from lightmock.core.domain import ResourceType
from lightmock.core.exceptions import InvalidInputException
from lightmock.core.ids import new_id
from lightmock.core.records import Resource
from lightmock.core.wire import Wire, request_tags
from lightmock.service import auto_snapshots, family
from lightmock.service.catalogue import support_code
from lightmock.service.context import RequestContext
from lightmock.service.kinds import Family, Kind

INSTANCE_SNAPSHOT = Kind(
    resource_type=ResourceType.INSTANCE_SNAPSHOT,
    name_member="instanceSnapshotName",
    get=("GetInstanceSnapshot", "instanceSnapshot"),
    listing=("GetInstanceSnapshots", "instanceSnapshots"),
    delete="DeleteInstanceSnapshot",
    transition_seconds=120.0,
)
DISK_SNAPSHOT = Kind(
    resource_type=ResourceType.DISK_SNAPSHOT,
    name_member="diskSnapshotName",
    get=("GetDiskSnapshot", "diskSnapshot"),
    listing=("GetDiskSnapshots", "diskSnapshots"),
    delete="DeleteDiskSnapshot",
    transition_seconds=120.0,
)

#: The state each kind of snapshot ends in.
FINAL = {ResourceType.INSTANCE_SNAPSHOT: "available", ResourceType.DISK_SNAPSHOT: "completed"}
_BACKING = {ResourceType.INSTANCE_SNAPSHOT: "ami-", ResourceType.DISK_SNAPSHOT: "snap-"}


def new_snapshot(context: RequestContext, kind: Kind, name: str, params: dict[str, Any], body: Wire) -> Resource:
    """A snapshot record of ``kind`` (not stored yet: ``take``); its ``progress`` is ``0%``."""
    backing = _BACKING[kind.resource_type] + new_id().replace("-", "")[:17]
    return family.new_record(
        context,
        kind,
        name,
        support_code=support_code(context.account_id, backing),
        tags=request_tags(params),
        body={"progress": "0%", **body},
    )


def take(context: RequestContext, snapshot: Resource) -> None:
    """Store a snapshot on its way from ``pending`` to its final state (``progress`` ``100%`` there)."""
    family.add(context, snapshot)
    family.begin_transition(
        context,
        snapshot,
        interim="pending",
        final=FINAL[snapshot.resource_type],
        then=lambda: snapshot.update(progress="100%"),
    )


def _pair(context: RequestContext, snapshot: Resource, source: Resource, operation_type: str) -> Wire:
    return {
        "operations": [
            family.operation_on(context, snapshot, operation_type, status="Started", details=source.name),
            family.operation_on(context, source, operation_type, status="Started", details=snapshot.name),
        ]
    }


def instance_snapshot_body(context: RequestContext, instance: Resource) -> Wire:
    """What a snapshot of ``instance`` records of it now (get-instance-snapshot example)."""
    facts = auto_snapshots.facts_of(instance)
    disks = [
        {key: value for key, value in disk.wire.items() if key != "addOns"}
        for disk in auto_snapshots.attached_disks(context.state, instance)
    ]
    return {
        "fromAttachedDisks": disks,
        "fromInstanceName": instance.name,
        "fromInstanceArn": instance.arn,
        "fromBlueprintId": facts["blueprintId"],
        "fromBundleId": facts["bundleId"],
        "isFromAutoSnapshot": False,
        "sizeInGb": facts["sizeInGb"],
    }


def create_instance_snapshot(context: RequestContext, params: dict[str, Any]) -> Wire:
    instance = family.find(context, ResourceType.INSTANCE, params["instanceName"])
    name = params["instanceSnapshotName"]
    family.check_names_free(context, INSTANCE_SNAPSHOT, [name])
    snapshot = new_snapshot(context, INSTANCE_SNAPSHOT, name, params, instance_snapshot_body(context, instance))
    take(context, snapshot)
    return _pair(context, snapshot, instance, "CreateInstanceSnapshot")


def create_disk_snapshot(context: RequestContext, params: dict[str, Any]) -> Wire:
    """Of a disk (``diskName``), or of an instance's system disk (``instanceName``): one of the two."""
    disk_name, instance_name = params.get("diskName"), params.get("instanceName")
    if (disk_name is None) == (instance_name is None):
        raise InvalidInputException(
            "Name either a disk (diskName) or an instance whose system disk to snapshot (instanceName)",
            code="InvalidSource",
        )
    name = params["diskSnapshotName"]
    if disk_name is not None:
        source = family.find(context, ResourceType.DISK, disk_name)
        body: Wire = {"sizeInGb": source.body["sizeInGb"], "fromDiskName": source.name, "fromDiskArn": source.arn}
    else:
        assert instance_name is not None
        source = family.find(context, ResourceType.INSTANCE, instance_name)
        size = auto_snapshots.facts_of(source)["sizeInGb"]
        body = {"sizeInGb": size, "fromInstanceName": source.name, "fromInstanceArn": source.arn}
    family.check_names_free(context, DISK_SNAPSHOT, [name])
    snapshot = new_snapshot(context, DISK_SNAPSHOT, name, params, {**body, "isFromAutoSnapshot": False})
    take(context, snapshot)
    return _pair(context, snapshot, source, "CreateDiskSnapshot")


FAMILY = Family(
    title="Instance and disk snapshots",
    kinds=(INSTANCE_SNAPSHOT, DISK_SNAPSHOT),
    operations={
        "CreateInstanceSnapshot": create_instance_snapshot,
        "CreateDiskSnapshot": create_disk_snapshot,
        **family.standard_operations(INSTANCE_SNAPSHOT),
        **family.standard_operations(DISK_SNAPSHOT),
    },
)
