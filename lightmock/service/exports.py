"""Exports of snapshots to Amazon EC2: ExportSnapshot and GetExportSnapshotRecords
(docs/service-reference.md §11.6).

The service exports a manual instance or disk snapshot to EC2 in the same region ("Exported
instance snapshots appear in Amazon EC2 as Amazon Machine Images (AMIs) ... Exported disk
snapshots appear in Amazon EC2 as Amazon EBS volumes", model ``ExportSnapshot``) and keeps an
``ExportSnapshotRecord``: its name ``ExportSnapshotRecord-<uuid>``, location ``all``, state
``Started`` to ``Succeeded`` (model ``RecordState``), the source's facts in ``sourceInfo``
and the EC2 resource in ``destinationInfo`` (aws-cli ``get-export-snapshot-record``
example). lightmock keeps the records and nothing behind them: there is no EC2 here, and
``destinationInfo.id`` names an image or volume that does not exist.

Chosen here (docs/limits.md): the service names the record, so the kind declares no
``listing`` for the contract suite (which names what it lists); GetExportSnapshotRecords is
its own handler, paged like every listing. ExportSnapshot reports two operations,
``Started``: on the record (details: the snapshot) and on the snapshot (details: the
record); a disk snapshot's destination service is ``Aws::EC2::Volume``; only a finished
snapshot is exported.
"""

from __future__ import annotations

from typing import Any

from lightmock.core.domain import ResourceType
from lightmock.core.exceptions import OperationFailureException
from lightmock.core.ids import new_id
from lightmock.core.records import Resource, ResourceForm
from lightmock.core.wire import Wire, wire_time
from lightmock.service import family, paging, snapshots
from lightmock.service.context import RequestContext
from lightmock.service.kinds import Family, Kind

EXPORT_SNAPSHOT_RECORD = Kind(
    resource_type=ResourceType.EXPORT_SNAPSHOT_RECORD,
    name_member="name",
    taggable=False,
    form=ResourceForm(tags_shown=False),
    transition_seconds=300.0,
)


def _source(context: RequestContext, name: str) -> Resource:
    for resource_type in (ResourceType.INSTANCE_SNAPSHOT, ResourceType.DISK_SNAPSHOT):
        snapshot = context.state.resources[resource_type].get(name)
        if snapshot is not None:
            if snapshot.state != snapshots.FINAL[resource_type]:
                raise OperationFailureException(
                    f"The {resource_type} {name} is {snapshot.state}; only a finished snapshot can be exported",
                    code="InvalidSnapshotState",
                )
            return snapshot
    raise family.not_found("InstanceSnapshot or DiskSnapshot", name)


def _source_info(snapshot: Resource) -> Wire:
    body = snapshot.body
    info: Wire = {
        "resourceType": str(snapshot.resource_type),
        "createdAt": wire_time(snapshot.created_at),
        "name": snapshot.name,
        "arn": snapshot.arn,
    }
    if snapshot.resource_type is ResourceType.INSTANCE_SNAPSHOT:
        system = {"path": "/dev/sda1", "sizeInGb": body["sizeInGb"], "isSystemDisk": True}
        attached = [
            {"name": disk["name"], "path": disk["path"], "sizeInGb": disk["sizeInGb"], "isSystemDisk": False}
            for disk in body.get("fromAttachedDisks", [])
            if "name" in disk
        ]
        info["fromResourceName"] = body["fromInstanceName"]
        info["fromResourceArn"] = body["fromInstanceArn"]
        info["instanceSnapshotInfo"] = {
            "fromBundleId": body["fromBundleId"],
            "fromBlueprintId": body["fromBlueprintId"],
            "fromDiskInfo": [system, *attached],
        }
    else:
        info["fromResourceName"] = body.get("fromDiskName", body.get("fromInstanceName"))
        info["fromResourceArn"] = body.get("fromDiskArn", body.get("fromInstanceArn"))
        info["diskSnapshotInfo"] = {"sizeInGb": body["sizeInGb"]}
    return info


def export_snapshot(context: RequestContext, params: dict[str, Any]) -> Wire:
    snapshot = _source(context, params["sourceSnapshotName"])
    is_image = snapshot.resource_type is ResourceType.INSTANCE_SNAPSHOT
    destination = {
        "id": ("ami-" if is_image else "vol-") + new_id().replace("-", "")[:17],
        "service": "Aws::EC2::Image" if is_image else "Aws::EC2::Volume",
    }
    record = family.new_record(
        context,
        EXPORT_SNAPSHOT_RECORD,
        f"ExportSnapshotRecord-{new_id()}",
        body={"sourceInfo": _source_info(snapshot), "destinationInfo": destination},
    )
    family.add(context, record)
    family.begin_transition(context, record, interim="Started", final="Succeeded")
    return {
        "operations": [
            family.operation_on(context, record, "ExportSnapshot", status="Started", details=snapshot.name),
            family.operation_on(context, snapshot, "ExportSnapshot", status="Started", details=record.name),
        ]
    }


def get_export_snapshot_records(context: RequestContext, params: dict[str, Any]) -> Wire:
    listed = paging.indexed(context.state.resources[ResourceType.EXPORT_SNAPSHOT_RECORD])
    return family.page_of(
        context, "GetExportSnapshotRecords", "exportSnapshotRecords", params, listed, family.published
    )


FAMILY = Family(
    title="Snapshot exports",
    kinds=(EXPORT_SNAPSHOT_RECORD,),
    operations={"ExportSnapshot": export_snapshot, "GetExportSnapshotRecords": get_export_snapshot_records},
)
