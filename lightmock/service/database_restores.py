"""CreateRelationalDatabaseFromSnapshot: a new database from a snapshot, or from a database's
automated backups at a point in time (docs/service-reference.md §20.2).

The request names either ``relationalDatabaseSnapshotName`` or
``sourceRelationalDatabaseName``; a restore from a source takes ``restoreTime`` ("Must be
before the latest restorable time for the database. Cannot be specified if the use latest
restorable time parameter is true") or ``useLatestRestorableTime`` (model
``CreateRelationalDatabaseFromSnapshotRequest``). "When creating a new database from a
snapshot, you cannot choose a bundle that is smaller than the bundle of the source
database" (model ``relationalDatabaseBundleId``; aws-cli
``create-relational-database-from-snapshot`` example: "equal to or greater in
specifications"). One ``CreateRelationalDatabaseFromSnapshot`` operation, ``Started``, on the
new database (the example).

The new database has the source's engine, version, master database, user and password
(the data restored), the bundle asked for or the source's, fresh windows and endpoint, and
``publiclyAccessible`` as asked (default false). Chosen here (docs/limits.md): a restore
time outside ``[earliest, latest]`` restorable time (``databases.restorable_window``: the
7-day retention, not before backups were last enabled, at most ``latestRestorableTime``) is
an ``InvalidInputException``, as is naming both sources or neither, or a point in time with a
snapshot; a source that keeps no automated backups, or a snapshot still ``creating``, is an
``OperationFailureException``.
"""

from __future__ import annotations

from datetime import UTC, datetime
from typing import Any

from lightmock.core.domain import ResourceType
from lightmock.core.exceptions import InvalidInputException, OperationFailureException
from lightmock.core.records import Resource
from lightmock.core.wire import Wire
from lightmock.service import catalogue, database_events, family
from lightmock.service.context import RequestContext
from lightmock.service.databases import (
    AVAILABLE,
    CURRENT,
    RELATIONAL_DATABASE,
    build_database,
    bundle_named,
    restorable_window,
)
from lightmock.service.kinds import Family


def _refuse(message: str) -> InvalidInputException:
    return InvalidInputException(message, code="ValidationError")


def _iso(epoch: float) -> str:
    return datetime.fromtimestamp(epoch, UTC).strftime("%Y-%m-%dT%H:%M:%SZ")


def _from_snapshot(context: RequestContext, params: dict[str, Any]) -> tuple[Wire, str]:
    """What the new database takes from the snapshot named, and the event that says so."""
    if "restoreTime" in params or params.get("useLatestRestorableTime"):
        raise _refuse(
            "restoreTime and useLatestRestorableTime restore from a source database "
            "(sourceRelationalDatabaseName), not from a snapshot"
        )
    snapshot = family.find(context, ResourceType.RELATIONAL_DATABASE_SNAPSHOT, params["relationalDatabaseSnapshotName"])
    if snapshot.state != AVAILABLE:
        raise OperationFailureException(
            f"The database snapshot {snapshot.name} is {snapshot.state}; a database can be created from it "
            "once it is available",
            code="InvalidResourceState",
        )
    origin = {
        "blueprint": snapshot.body["fromRelationalDatabaseBlueprintId"],
        "bundle": snapshot.body["fromRelationalDatabaseBundleId"],
        "engineVersion": snapshot.body["engineVersion"],
        **snapshot.private,
    }
    return origin, f"Restored from snapshot {snapshot.name}"


def _from_source(context: RequestContext, params: dict[str, Any]) -> tuple[Wire, str]:
    """What the new database takes from the source database at the point in time asked for."""
    source: Resource = family.find(context, ResourceType.RELATIONAL_DATABASE, params["sourceRelationalDatabaseName"])
    use_latest = params.get("useLatestRestorableTime", False)
    restore_time = params.get("restoreTime")
    if restore_time is not None and use_latest:
        raise _refuse("restoreTime cannot be specified if useLatestRestorableTime is true")
    if restore_time is None and not use_latest:
        raise _refuse("A restore from sourceRelationalDatabaseName needs restoreTime or useLatestRestorableTime")
    window = restorable_window(source, context.now)
    if window is None:
        raise OperationFailureException(
            f"The database {source.name} keeps no automated backups (backup retention is disabled), so it "
            "cannot be restored to a point in time",
            code="BackupRetentionDisabled",
        )
    earliest, latest = window
    at = latest if use_latest else float(params["restoreTime"])
    if not earliest <= at <= latest:
        raise InvalidInputException(
            f"restoreTime {_iso(at)} is outside the restorable times of {source.name}: from {_iso(earliest)} "
            f"to its latest restorable time {_iso(latest)}",
            code="InvalidRestoreTime",
        )
    body = source.body
    origin = {
        "blueprint": body["relationalDatabaseBlueprintId"],
        "bundle": body["relationalDatabaseBundleId"],
        "engineVersion": body["engineVersion"],
        "masterDatabaseName": body["masterDatabaseName"],
        "masterUsername": body["masterUsername"],
        "masterUserPassword": source.private["passwords"][CURRENT][0],
    }
    return origin, f"Restored from Relational Database {source.name} to {_iso(at)}"


def create_relational_database_from_snapshot(context: RequestContext, params: dict[str, Any]) -> Wire:
    name = params["relationalDatabaseName"]
    by_snapshot = "relationalDatabaseSnapshotName" in params
    if by_snapshot == ("sourceRelationalDatabaseName" in params):
        raise _refuse("Specify one of relationalDatabaseSnapshotName and sourceRelationalDatabaseName")
    origin, message = _from_snapshot(context, params) if by_snapshot else _from_source(context, params)
    smallest = catalogue.DATABASE_BUNDLES[origin["bundle"]]
    bundle = bundle_named(params.get("relationalDatabaseBundleId", smallest.bundle_id))
    if bundle.disk_size_in_gb < smallest.disk_size_in_gb or bundle.ram_size_in_gb < smallest.ram_size_in_gb:
        raise _refuse(
            f"The bundle {bundle.bundle_id} is smaller than the bundle of the source database "
            f"({smallest.bundle_id}); choose one equal to or greater in specifications"
        )
    zone = params.get("availabilityZone", f"{context.region}a")
    family.check_zone(context, zone)
    family.check_names_free(context, RELATIONAL_DATABASE, [name])
    record = build_database(
        context,
        name,
        blueprint=catalogue.DATABASE_BLUEPRINTS[origin["blueprint"]],
        bundle=bundle,
        zone=zone,
        master_database_name=origin["masterDatabaseName"],
        master_username=origin["masterUsername"],
        password=origin["masterUserPassword"],
        params=params,
    )
    record.update(engineVersion=origin["engineVersion"])
    family.add(context, record)

    def restored() -> None:
        database_events.record(record, context.store.clock.time(), message, database_events.RESTORATION)

    family.begin_transition(context, record, interim="creating", final=AVAILABLE, then=restored)
    return {
        "operations": [family.operation_on(context, record, "CreateRelationalDatabaseFromSnapshot", status="Started")]
    }


FAMILY = Family(
    title="Relational database restores",
    operations={"CreateRelationalDatabaseFromSnapshot": create_relational_database_from_snapshot},
)
