"""What is made from snapshots: CreateInstancesFromSnapshot and CopySnapshot
(docs/service-reference.md §11.3, §11.4). CreateDiskFromSnapshot is the disks' own
(``service/disks.py``).

CreateInstancesFromSnapshot makes instances of the snapshot's blueprint on a bundle the
request names, which "must be equal to or greater in specifications than the bundle of
the original source instance" (aws-cli ``create-instances-from-snapshot`` example); the
source is a manual snapshot (``instanceSnapshotName``) or an automatic one of an instance
(``sourceInstanceName`` with ``restoreDate`` or ``useLatestRestorableAutoSnapshot``, which
are mutually exclusive: model ``CreateInstancesFromSnapshotRequest``). One
``CreateInstancesFromSnapshot`` operation per instance, ``Started`` (the example).

CopySnapshot copies a manual snapshot, or an automatic one as a manual snapshot, from the
``sourceRegion`` into the request's region (model ``CopySnapshot``); it reports one
operation on the copy whose details are ``<source region>:<source name>`` (aws-cli
``copy-snapshot`` examples). The copy is of the source's kind, goes through ``pending``
like any new snapshot, and an automatic snapshot's copy says ``isFromAutoSnapshot``.

Chosen here (docs/limits.md): "greater in specifications" is read as at least the source
bundle's RAM, CPUs and disk; ``attachedDiskMapping`` (new instance name to the new disks
made from the snapshot's disks, each by its original path) makes those disks, of the
original size, attached at the same path, and reports only the instances' operations; only
a finished snapshot is copied or restored.
"""

from __future__ import annotations

from typing import Any

from lightmock.core.domain import ResourceType
from lightmock.core.exceptions import InvalidInputException, OperationFailureException
from lightmock.core.quoting import quoted
from lightmock.core.records import Resource
from lightmock.core.wire import Wire
from lightmock.engine.store import RegionState
from lightmock.service import auto_snapshots, catalogue, disks, family, instances, snapshots
from lightmock.service.context import RequestContext
from lightmock.service.kinds import Family, Kind

_KINDS = {kind.resource_type: kind for kind in (snapshots.INSTANCE_SNAPSHOT, snapshots.DISK_SNAPSHOT)}


def _finished(snapshot: Resource) -> Resource:
    if snapshot.state != snapshots.FINAL[snapshot.resource_type]:
        raise OperationFailureException(
            f"The {snapshot.resource_type} {snapshot.name} is {snapshot.state}; only a finished snapshot can be used",
            code="InvalidSnapshotState",
        )
    return snapshot


def _manual_or_auto(params: dict[str, Any], manual: str, auto: str) -> None:
    """Refuse a request naming both or neither of a manual snapshot and an automatic one's resource."""
    if (params.get(manual) is None) == (params.get(auto) is None):
        raise InvalidInputException(
            f"Name the source with either {manual} (a manual snapshot) or {auto} (with restoreDate or "
            "useLatestRestorableAutoSnapshot, for an automatic snapshot)",
            code="InvalidSource",
        )
    if params.get(manual) is not None and ("restoreDate" in params or "useLatestRestorableAutoSnapshot" in params):
        raise InvalidInputException(
            f"restoreDate and useLatestRestorableAutoSnapshot are for an automatic snapshot, not with {manual}",
            code="InvalidSource",
        )


# -- CreateInstancesFromSnapshot ------------------------------------------------------------


def _source_facts(context: RequestContext, params: dict[str, Any]) -> tuple[Wire, list[Wire]]:
    """The blueprint, bundle and size of the snapshot the request restores, and the disks
    that were attached (each with its ``path`` and ``sizeInGb``)."""
    _manual_or_auto(params, "instanceSnapshotName", "sourceInstanceName")
    if params.get("sourceInstanceName") is not None:
        kinds = (ResourceType.INSTANCE,)
        _, auto = auto_snapshots.chosen(context, context.state, params["sourceInstanceName"], params, kinds)
        return auto.facts, auto.from_attached_disks
    snapshot = _finished(family.find(context, ResourceType.INSTANCE_SNAPSHOT, params["instanceSnapshotName"]))
    body = snapshot.body
    facts = {"blueprintId": body["fromBlueprintId"], "bundleId": body["fromBundleId"], "sizeInGb": body["sizeInGb"]}
    return facts, body["fromAttachedDisks"]


def _mapped_disks(
    context: RequestContext, params: dict[str, Any], attached: list[Wire]
) -> list[tuple[str, str, str, int]]:
    """The disks ``attachedDiskMapping`` asks for, as (instance, new disk name, path, size)
    checked: each key one of the new instances, each path one of the snapshot's disks, each
    name free (§11.3)."""
    sizes = {disk["path"]: int(disk["sizeInGb"]) for disk in attached}
    mapped: list[tuple[str, str, str, int]] = []
    names: list[str] = []
    for instance_name, mappings in params.get("attachedDiskMapping", {}).items():
        if instance_name not in params["instanceNames"]:
            raise InvalidInputException(
                f"attachedDiskMapping names {quoted(instance_name, bare=True)}, which is not one of instanceNames",
                code="InvalidDiskMapping",
            )
        for mapping in mappings:
            path, new_name = mapping.get("originalDiskPath"), mapping.get("newDiskName")
            if path not in sizes or new_name is None:
                raise InvalidInputException(
                    f"attachedDiskMapping for {instance_name}: {quoted(path)} is not a disk of the snapshot "
                    f"(its disks: {', '.join(sorted(sizes)) or 'none'}), or newDiskName is missing",
                    code="InvalidDiskMapping",
                )
            mapped.append((instance_name, new_name, path, sizes[path]))
            names.append(new_name)
    family.check_names_free(context, disks.DISK, names)
    if len(set(names)) != len(names):
        raise InvalidInputException("attachedDiskMapping names a new disk twice", code="NameExists")
    return mapped


def _check_bundle_fits(facts: Wire, bundle_id: str) -> None:
    bundle = catalogue.BUNDLES[bundle_id]
    source = catalogue.BUNDLES.get(facts["bundleId"])
    smaller = bundle.disk_size_in_gb < facts["sizeInGb"] or (
        source is not None and (bundle.ram_size_in_gb < source.ram_size_in_gb or bundle.cpu_count < source.cpu_count)
    )
    if smaller:
        raise InvalidInputException(
            f"The bundle {quoted(bundle_id, bare=True)} is smaller than the snapshot's bundle {facts['bundleId']}: "
            "the bundle must be equal to or greater in specifications than the source instance's",
            code="InvalidBundle",
        )


def create_instances_from_snapshot(context: RequestContext, params: dict[str, Any]) -> Wire:
    names: list[str] = params["instanceNames"]
    instances.check_names(names)
    instances.check_bundle(params["bundleId"])
    family.check_zone(context, params["availabilityZone"])
    facts, attached = _source_facts(context, params)
    _check_bundle_fits(facts, params["bundleId"])
    family.check_names_free(context, instances.INSTANCE, names)
    mapped = _mapped_disks(context, params, attached)
    request = {**params, "blueprintId": facts["blueprintId"]}
    built = [instances.build(context, name, request) for name in names]
    zone = params["availabilityZone"]
    new_disks = [(instance, disks.build(context, name, zone, size, {}), path) for instance, name, path, size in mapped]
    reported = instances.launch(context, built, "CreateInstancesFromSnapshot")
    by_name = {instance.name: instance for instance in built}
    for instance_name, disk, path in new_disks:
        disks.launch(context, disk, "CreateDisk")
        disks.attach(context.state, disk, by_name[instance_name], path)
    return reported


# -- CopySnapshot ---------------------------------------------------------------------------


def _manual_source(state: RegionState, name: str) -> Resource:
    for resource_type in _KINDS:
        snapshot = state.resources[resource_type].get(name)
        if snapshot is not None:
            return _finished(snapshot)
    raise family.not_found("InstanceSnapshot or DiskSnapshot", name)


def _from_auto(context: RequestContext, state: RegionState, params: dict[str, Any]) -> tuple[Kind, str, Wire]:
    """The kind, source name and body of a copy of an automatic snapshot."""
    resource, auto = auto_snapshots.chosen(context, state, params["sourceResourceName"], params)
    if resource.resource_type is ResourceType.DISK:
        body: Wire = {"sizeInGb": auto.facts["sizeInGb"], "fromDiskName": resource.name, "fromDiskArn": resource.arn}
        return snapshots.DISK_SNAPSHOT, resource.name, {**body, "isFromAutoSnapshot": True}
    disks = [{**disk, "isSystemDisk": False} for disk in auto.from_attached_disks]
    body = {
        "fromAttachedDisks": disks,
        "fromInstanceName": resource.name,
        "fromInstanceArn": resource.arn,
        "fromBlueprintId": auto.facts["blueprintId"],
        "fromBundleId": auto.facts["bundleId"],
        "isFromAutoSnapshot": True,
        "sizeInGb": auto.facts["sizeInGb"],
    }
    return snapshots.INSTANCE_SNAPSHOT, resource.name, body


def copy_snapshot(context: RequestContext, params: dict[str, Any]) -> Wire:
    source_region = params["sourceRegion"]
    state = context.state if source_region == context.region else context.region_state(source_region)
    _manual_or_auto(params, "sourceSnapshotName", "sourceResourceName")
    if params.get("sourceSnapshotName") is not None:
        source = _manual_source(state, params["sourceSnapshotName"])
        kind, source_name = _KINDS[source.resource_type], source.name
        body = {key: value for key, value in source.body.items() if key != "progress"}
    else:
        kind, source_name, body = _from_auto(context, state, params)
    name = params["targetSnapshotName"]
    family.check_names_free(context, kind, [name])
    copy = snapshots.new_snapshot(context, kind, name, {}, body)
    snapshots.take(context, copy)
    details = f"{source_region}:{source_name}"
    return {"operations": [family.operation_on(context, copy, "CopySnapshot", status="Started", details=details)]}


FAMILY = Family(
    title="Restoring and copying snapshots",
    operations={
        "CreateInstancesFromSnapshot": create_instances_from_snapshot,
        "CopySnapshot": copy_snapshot,
    },
)
