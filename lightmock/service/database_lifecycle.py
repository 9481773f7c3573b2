"""StopRelationalDatabase, StartRelationalDatabase and RebootRelationalDatabase
(docs/service-reference.md §20.3).

StopRelationalDatabase "Stops a specific database that is currently running", taking a
snapshot first when ``relationalDatabaseSnapshotName`` is given; StartRelationalDatabase
"Starts a specific database from a stopped state"; RebootRelationalDatabase "Restarts a
specific database" (model). Each reports one operation on the database, ``Started``, not
terminal; the reboot's with ``operationDetails`` empty (aws-cli ``stop-relational-database``,
``start-relational-database``, ``reboot-relational-database`` examples). The database moves
``stopping`` to ``stopped``, ``starting`` to ``available``, ``rebooting`` to ``available``
(RDS's DB instance states, **inferred**), through ``family.begin_transition``.

A stopped database produces no metric data, by the one rule a stopped instance follows
(``lifecycle.py``: its ``stopped`` intervals, ``running_samples`` when data is seeded and
``drop_samples_from`` when it stops), and its latest restorable time stops with it
(``databases.restorable_window``). A reboot, or a start, applies the parameter changes
waiting for one (``database_parameters.py``). Each transition applies, when it finishes, the modifications
pending when it began (``database_updates.pending_applier``), and records its event
(``database_events.py``).

Chosen here (docs/limits.md): stopping or rebooting a database that is not ``available``,
or starting one that is not ``stopped``, is an ``OperationFailureException`` naming its
state, and changes nothing. The service starts a database stopped for seven days on its own
(model ``StopRelationalDatabase``); the mock does not.
"""

from __future__ import annotations

import math
from collections.abc import Callable
from typing import Any

from lightmock.core.domain import ResourceType
from lightmock.core.exceptions import OperationFailureException
from lightmock.core.records import Resource
from lightmock.core.wire import Wire
from lightmock.service import (
    database_events,
    database_parameters,
    database_snapshots,
    database_updates,
    family,
    lifecycle,
)
from lightmock.service.context import RequestContext
from lightmock.service.databases import AVAILABLE, STOPPED
from lightmock.service.kinds import Family


def _database(context: RequestContext, params: dict[str, Any], action: str, needed: str) -> Resource:
    database = family.find(context, ResourceType.RELATIONAL_DATABASE, params["relationalDatabaseName"])
    if database.state != needed:
        raise OperationFailureException(
            f"The database {database.name} cannot be {action}: it is {database.state}, and only a {needed} "
            "database can be",
            code="InvalidResourceState",
        )
    return database


def _move(
    context: RequestContext,
    database: Resource,
    interim: str,
    final: str,
    event: tuple[str, str],
    also: Callable[[], None] | None = None,
) -> None:
    """Begin the transition; when it finishes, record ``event`` and apply what was pending."""
    pending = database_updates.pending_applier(context, database)

    def finished() -> None:
        message, category = event
        database_events.record(database, context.store.clock.time(), message, category)
        if also is not None:
            also()
        pending()

    family.begin_transition(context, database, interim=interim, final=final, then=finished)


def stop_relational_database(context: RequestContext, params: dict[str, Any]) -> Wire:
    database = _database(context, params, "stopped", AVAILABLE)
    snapshot = params.get("relationalDatabaseSnapshotName")
    operations: list[Wire] = []
    if snapshot is not None:
        database_snapshots.check_snapshot(context, database, snapshot)
        operations = database_snapshots.take_snapshot(context, database, snapshot, [])
    _move(context, database, "stopping", STOPPED, ("Relational Database stopped", database_events.NOTIFICATION))
    database.stopped.append((context.now, math.inf))
    lifecycle.drop_samples_from(context.state, database, context.now)
    operations.append(family.operation_on(context, database, "StopRelationalDatabase", status="Started"))
    return {"operations": operations}


def start_relational_database(context: RequestContext, params: dict[str, Any]) -> Wire:
    database = _database(context, params, "started", STOPPED)
    _move(
        context,
        database,
        "starting",
        AVAILABLE,
        ("Relational Database started", database_events.NOTIFICATION),
        also=lambda: database_parameters.apply_pending_reboot(database),
    )
    start, _ = database.stopped[-1]
    database.stopped[-1] = (start, context.now)
    return {"operations": [family.operation_on(context, database, "StartRelationalDatabase", status="Started")]}


def reboot_relational_database(context: RequestContext, params: dict[str, Any]) -> Wire:
    database = _database(context, params, "rebooted", AVAILABLE)
    _move(
        context,
        database,
        "rebooting",
        AVAILABLE,
        ("Relational Database restarted", database_events.AVAILABILITY),
        also=lambda: database_parameters.apply_pending_reboot(database),
    )
    return {
        "operations": [family.operation_on(context, database, "RebootRelationalDatabase", status="Started", details="")]
    }


FAMILY = Family(
    title="Relational database lifecycle",
    operations={
        "StopRelationalDatabase": stop_relational_database,
        "StartRelationalDatabase": start_relational_database,
        "RebootRelationalDatabase": reboot_relational_database,
    },
)
