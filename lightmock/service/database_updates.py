"""UpdateRelationalDatabase, and the modifications a database holds pending
(docs/service-reference.md §20.4).

"Updates are applied immediately, or in cases where the updates could result in an outage,
are applied during the database's predefined maintenance window" (model
``UpdateRelationalDatabase``); ``applyImmediately``: "When true, applies changes
immediately. When false, applies changes during the preferred maintenance window" (default
false); enabling or disabling backup retention "can result in an outage". The pending ones
show in ``pendingModifiedValues``, whose shape holds ``masterUserPassword``,
``engineVersion`` and ``backupRetentionEnabled`` (model
``PendingModifiedRelationalDatabaseValues``). Terraform's provider sends
``applyImmediately`` and then waits for ``backupRetentionEnabled`` and ``publiclyAccessible``
to read back as set, and for the state to pass ``modifying`` to ``available`` (its
``database.go`` and ``wait.go``; its acceptance tests set ``apply_immediately = true``).

lightmock: the database is ``modifying``, then ``available`` (``family.begin_transition``),
and the change is applied when that transition finishes. What the pending shape can show
(backup retention, a new master password, a new major version) waits, unless
``applyImmediately``, in ``pendingModifiedValues``, the password as ``****`` (RDS's way,
**inferred**); the rest (accessibility, windows, the CA certificate) is applied with the
update. A pending modification is applied when the next transition of the database
finishes (a reboot, a stop or start, another update), not at the maintenance window
(docs/limits.md). Both password members, or both backup members, or a blueprint of another
engine or an older version, are ``InvalidInputException``; a database that is not
``available`` is ``OperationFailureException``.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from lightmock.core.domain import ResourceType
from lightmock.core.exceptions import InvalidInputException, OperationFailureException
from lightmock.core.quoting import quoted
from lightmock.core.records import Resource
from lightmock.core.wire import Wire
from lightmock.service import catalogue, database_events, database_passwords, family
from lightmock.service.context import RequestContext
from lightmock.service.databases import (
    AVAILABLE,
    blueprint_named,
    generate_password,
    password_problem,
    window_problems,
)
from lightmock.service.kinds import Family

#: The certificate authorities an RDS database can use today
#: (https://docs.aws.amazon.com/AmazonRDS/latest/UserGuide/UsingWithRDS.SSL.html).
CA_CERTIFICATES = ("rds-ca-rsa2048-g1", "rds-ca-rsa4096-g1", "rds-ca-ecc384-g1")

#: What an update applies with itself, whatever ``applyImmediately`` says.
_IMMEDIATE = ("publiclyAccessible", "preferredBackupWindow", "preferredMaintenanceWindow", "caCertificateIdentifier")


def pending_of(database: Resource) -> Wire:
    """The modifications a database holds pending: ``backupRetentionEnabled``, ``blueprint``
    (a new major version), ``masterUserPassword`` (True: the ``PENDING`` password)."""
    pending: Wire = database.private.get("pending", {})
    return pending


def _show_pending(database: Resource, pending: Wire) -> None:
    shown: Wire = {}
    if pending.get("masterUserPassword"):
        shown["masterUserPassword"] = "****"
    if "blueprint" in pending:
        shown["engineVersion"] = catalogue.DATABASE_BLUEPRINTS[pending["blueprint"]].engine_version
    if "backupRetentionEnabled" in pending:
        shown["backupRetentionEnabled"] = pending["backupRetentionEnabled"]
    database.private = {**database.private, "pending": pending}
    database.update(pendingModifiedValues=shown)


def _apply(database: Resource, changes: Wire, at: float) -> None:
    """Apply modifications (of the kinds ``pending_of`` lists) to a database, with their events."""
    if "backupRetentionEnabled" in changes:
        enabled = changes["backupRetentionEnabled"]
        if enabled != database.body["backupRetentionEnabled"]:
            database.update(backupRetentionEnabled=enabled)
            database.private = {**database.private, "backupsSince": at if enabled else None}
            state = "enabled" if enabled else "disabled"
            message = f"Automatic backups for this Relational Database have been {state}"
            database_events.record(database, at, message, database_events.CONFIGURATION_CHANGE)
    if "blueprint" in changes:
        blueprint = catalogue.DATABASE_BLUEPRINTS[changes["blueprint"]]
        database.update(relationalDatabaseBlueprintId=blueprint.blueprint_id, engineVersion=blueprint.engine_version)
    if changes.get("masterUserPassword") and database_passwords.apply_pending(database):
        database_events.record(database, at, "Reset master credentials", database_events.CONFIGURATION_CHANGE)


def pending_applier(context: RequestContext, database: Resource) -> Callable[[], None]:
    """What a transition beginning now applies when it finishes: the modifications pending
    now (those a newer call replaced meanwhile stay pending)."""
    held = dict(pending_of(database))

    def apply() -> None:
        if not held:
            return
        _apply(database, held, context.store.clock.time())
        left = {key: value for key, value in pending_of(database).items() if held.get(key, not value) != value}
        _show_pending(database, left)

    return apply


def _check(database: Resource, params: dict[str, Any]) -> list[str]:
    problems = window_problems(params)
    password = params.get("masterUserPassword")
    if password is not None:
        if params.get("rotateMasterUserPassword"):
            problems.append("masterUserPassword and rotateMasterUserPassword cannot both be given")
        problem = password_problem(password, database.body["engine"])
        if problem is not None:
            problems.append(problem)
    if params.get("enableBackupRetention") and params.get("disableBackupRetention"):
        problems.append("enableBackupRetention and disableBackupRetention cannot both be true")
    certificate = params.get("caCertificateIdentifier")
    if certificate is not None and certificate not in CA_CERTIFICATES:
        problems.append(f"caCertificateIdentifier {quoted(certificate)} is not one of {', '.join(CA_CERTIFICATES)}")
    if "relationalDatabaseBlueprintId" in params:
        blueprint = blueprint_named(params["relationalDatabaseBlueprintId"])
        current = catalogue.DATABASE_BLUEPRINTS[database.body["relationalDatabaseBlueprintId"]]
        if blueprint.engine != current.engine or _major(blueprint.engine_version) <= _major(current.engine_version):
            problems.append(
                f"relationalDatabaseBlueprintId {blueprint.blueprint_id} is not a later major version of "
                f"{current.blueprint_id} ({current.engine} {current.engine_version})"
            )
    return problems


def _major(version: str) -> tuple[int, ...]:
    """The major version: ``8.0`` of MySQL's ``8.0.39``, ``16`` of PostgreSQL's ``16.4``."""
    parts = tuple(int(part) for part in version.split("."))
    return parts[:2] if parts[0] < 10 else parts[:1]


def update_relational_database(context: RequestContext, params: dict[str, Any]) -> Wire:
    database = family.find(context, ResourceType.RELATIONAL_DATABASE, params["relationalDatabaseName"])
    if database.state != AVAILABLE:
        raise OperationFailureException(
            f"The database {database.name} is {database.state}; only an available database can be updated",
            code="InvalidResourceState",
        )
    problems = _check(database, params)
    if problems:
        raise InvalidInputException("; ".join(problems), code="ValidationError")

    immediate = {member: params[member] for member in _IMMEDIATE if member in params}
    deferred: Wire = {}
    if params.get("enableBackupRetention"):
        deferred["backupRetentionEnabled"] = True
    if params.get("disableBackupRetention"):
        deferred["backupRetentionEnabled"] = False
    if "relationalDatabaseBlueprintId" in params:
        deferred["blueprint"] = params["relationalDatabaseBlueprintId"]
    password = params.get("masterUserPassword")
    if password is None and params.get("rotateMasterUserPassword"):
        password = generate_password()
    earlier = pending_applier(context, database)
    if password is not None:
        database_passwords.set_pending(database, password, context.now)
        deferred["masterUserPassword"] = True
    with_update: Wire = {}
    if params.get("applyImmediately"):
        with_update = deferred
    elif deferred:
        _show_pending(database, {**pending_of(database), **deferred})

    def finished() -> None:
        at = context.store.clock.time()
        if immediate:
            database.update(**immediate)
        earlier()
        if with_update:
            _apply(database, with_update, at)
            left = {key: value for key, value in pending_of(database).items() if key not in with_update}
            _show_pending(database, left)
        message = "Finished applying modification to Relational Database"
        database_events.record(database, at, message, database_events.CONFIGURATION_CHANGE)

    family.begin_transition(context, database, interim="modifying", final=AVAILABLE, then=finished)
    return {"operations": [family.operation_on(context, database, "UpdateRelationalDatabase", status="Started")]}


FAMILY = Family(
    title="Relational database updates",
    operations={"UpdateRelationalDatabase": update_relational_database},
)
