"""Database snapshots: CreateRelationalDatabaseSnapshot, GetRelationalDatabaseSnapshot(s),
DeleteRelationalDatabaseSnapshot, and DeleteRelationalDatabase with its final snapshot
(docs/service-reference.md §20.1).

A snapshot is a regional record (location ``all``), with the engine, version, size and the
database it was taken from, ``creating`` and then ``available`` (aws-cli
``get-relational-database-snapshot`` example). CreateRelationalDatabaseSnapshot reports two
operations, ``Started``: one on the snapshot naming the database, one on the database naming
the snapshot (aws-cli ``create-relational-database-snapshot`` example); the delete one
terminal operation, ``Succeeded`` (``delete-relational-database-snapshot``). A snapshot keeps
what a restore needs and no read shows (the master database, user and password) in
``Resource.private``, and keeps its source's name when the source is deleted.

Chosen here (docs/limits.md): a snapshot is taken of an ``available`` or ``stopped``
database (RDS snapshots a stopped DB instance too), and a snapshot still ``creating`` cannot
be deleted; both refusals are ``OperationFailureException``. The database records the backup
in its events ("Backing up Relational Database", "Finished Relational Database backup":
``database_events.py``). DeleteRelationalDatabase takes a final snapshot when
``finalRelationalDatabaseSnapshotName`` is given (not with ``skipFinalSnapshot``, "results in
an error", model); with neither, it deletes without one, although the model says the name is
required when ``skipFinalSnapshot`` is false.
"""

from __future__ import annotations

from typing import Any

from lightmock.core.domain import ResourceType
from lightmock.core.exceptions import InvalidInputException, OperationFailureException
from lightmock.core.ids import new_id
from lightmock.core.records import Resource
from lightmock.core.wire import Wire, request_tags
from lightmock.service import catalogue, database_events, family
from lightmock.service.context import RequestContext
from lightmock.service.databases import AVAILABLE, CURRENT, STOPPED
from lightmock.service.kinds import Family, Kind

RELATIONAL_DATABASE_SNAPSHOT = Kind(
    resource_type=ResourceType.RELATIONAL_DATABASE_SNAPSHOT,
    name_member="relationalDatabaseSnapshotName",
    get=("GetRelationalDatabaseSnapshot", "relationalDatabaseSnapshot"),
    listing=("GetRelationalDatabaseSnapshots", "relationalDatabaseSnapshots"),
    delete="DeleteRelationalDatabaseSnapshot",
    transition_seconds=300.0,
)


def check_snapshot(context: RequestContext, database: Resource, name: str) -> None:
    """Refuse a snapshot of that name of ``database``: the name in use, or the database
    between states."""
    family.check_names_free(context, RELATIONAL_DATABASE_SNAPSHOT, [name])
    if database.state not in (AVAILABLE, STOPPED):
        raise OperationFailureException(
            f"The database {database.name} is {database.state}; a snapshot can be taken of an available "
            "or stopped database",
            code="InvalidResourceState",
        )


def take_snapshot(context: RequestContext, database: Resource, name: str, tags: list[Wire]) -> list[Wire]:
    """Commit a snapshot of ``database`` (checked by ``check_snapshot``) and report it as
    CreateRelationalDatabaseSnapshot does."""
    body = database.body
    snapshot = family.new_record(
        context,
        RELATIONAL_DATABASE_SNAPSHOT,
        name,
        support_code=catalogue.support_code(context.account_id, "ls-" + (new_id() + new_id()).replace("-", "")[:40]),
        tags=tags,
        body={
            "engine": body["engine"],
            "engineVersion": body["engineVersion"],
            "sizeInGb": body["hardware"]["diskSizeInGb"],
            "fromRelationalDatabaseName": database.name,
            "fromRelationalDatabaseArn": database.arn,
            "fromRelationalDatabaseBundleId": body["relationalDatabaseBundleId"],
            "fromRelationalDatabaseBlueprintId": body["relationalDatabaseBlueprintId"],
        },
    )
    snapshot.private = {
        "masterDatabaseName": body["masterDatabaseName"],
        "masterUsername": body["masterUsername"],
        "masterUserPassword": database.private["passwords"][CURRENT][0],
    }
    family.add(context, snapshot)
    database_events.record(database, context.now, "Backing up Relational Database", database_events.BACKUP)

    def finished() -> None:
        at = context.store.clock.time()
        database_events.record(database, at, "Finished Relational Database backup", database_events.BACKUP)

    family.begin_transition(context, snapshot, interim="creating", final=AVAILABLE, then=finished)
    operation = "CreateRelationalDatabaseSnapshot"
    return [
        family.operation_on(context, snapshot, operation, status="Started", details=database.name),
        family.operation_on(context, database, operation, status="Started", details=snapshot.name),
    ]


def create_relational_database_snapshot(context: RequestContext, params: dict[str, Any]) -> Wire:
    database = family.find(context, ResourceType.RELATIONAL_DATABASE, params["relationalDatabaseName"])
    name = params["relationalDatabaseSnapshotName"]
    tags = request_tags(params)
    check_snapshot(context, database, name)
    return {"operations": take_snapshot(context, database, name, tags)}


def _check_snapshot_delete(context: RequestContext, snapshot: Resource, params: dict[str, Any]) -> None:
    if snapshot.state != AVAILABLE:
        raise OperationFailureException(
            f"The database snapshot {snapshot.name} is {snapshot.state}; it can be deleted once it is available",
            code="InvalidResourceState",
        )


def delete_relational_database(context: RequestContext, params: dict[str, Any]) -> Wire:
    """DeleteRelationalDatabase: the final snapshot's operations (when one is named), then the
    deletion's."""
    database = family.find(context, ResourceType.RELATIONAL_DATABASE, params["relationalDatabaseName"])
    final = params.get("finalRelationalDatabaseSnapshotName")
    if final is not None and params.get("skipFinalSnapshot"):
        # "Specifying this parameter and also specifying the skip final snapshot parameter to
        # true results in an error." (model doc)
        raise InvalidInputException(
            "finalRelationalDatabaseSnapshotName cannot be given when skipFinalSnapshot is true",
            code="ValidationError",
        )
    operations: list[Wire] = []
    if final is not None:
        check_snapshot(context, database, final)
        operations = take_snapshot(context, database, final, [])
    deleted: list[Wire] = family.delete(context, database)["operations"]
    return {"operations": operations + deleted}


FAMILY = Family(
    title="Relational database snapshots",
    kinds=(RELATIONAL_DATABASE_SNAPSHOT,),
    operations={
        "CreateRelationalDatabaseSnapshot": create_relational_database_snapshot,
        **family.standard_operations(RELATIONAL_DATABASE_SNAPSHOT, check_delete=_check_snapshot_delete),
        "DeleteRelationalDatabase": delete_relational_database,
    },
)
