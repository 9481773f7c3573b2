"""The relational database family: CreateRelationalDatabase, GetRelationalDatabase(s), and
the database blueprints and bundles a create may use. What changes a database afterwards
has modules of its own: snapshots, restores and DeleteRelationalDatabase with its final
snapshot (``database_snapshots.py``, ``database_restores.py``), start, stop, reboot and
updates (``database_lifecycle.py``, ``database_updates.py``), parameters, events and logs.

Records as the aws-cli ``create-relational-database`` and ``get-relational-database``
examples show them (docs/service-reference.md §7.3). A new database is ``creating`` before
it is ``available``, through the one transition mechanism (``engine/transitions.py``). Its
master password (given, or generated: §20.4) and what no read shows are kept in
``Resource.private``. While it keeps automated backups its record has
``latestRestorableTime`` (§20.2).
"""

from __future__ import annotations

import functools
import math
import re
import secrets
from collections.abc import Callable
from typing import Any

from lightmock.core.domain import ResourceType
from lightmock.core.exceptions import InvalidInputException
from lightmock.core.ids import new_id
from lightmock.core.quoting import quoted
from lightmock.core.records import Resource
from lightmock.core.wire import Wire, request_tags, wire_time
from lightmock.schema.differences import served_model
from lightmock.service import catalogue, database_events, family
from lightmock.service.context import RequestContext
from lightmock.service.kinds import Family, Kind

_DB_IDENTIFIER = re.compile(r"[A-Za-z][A-Za-z0-9_]*")
_TIME = r"([01]\d|2[0-3]):[0-5]\d"
_DAY = r"(mon|tue|wed|thu|fri|sat|sun):"
_BACKUP_WINDOW = re.compile(f"{_TIME}-{_TIME}")
_MAINTENANCE_WINDOW = re.compile(f"{_DAY}{_TIME}-{_DAY}{_TIME}", re.IGNORECASE)
_DAYS = ("mon", "tue", "wed", "thu", "fri", "sat", "sun")

#: The states a database rests in; the transitional ones (creating, stopping, starting,
#: rebooting, modifying) are written where a transition begins.
AVAILABLE = "available"
STOPPED = "stopped"
#: The master password's versions (model ``RelationalDatabasePasswordVersion``).
CURRENT = "CURRENT"
PREVIOUS = "PREVIOUS"
PENDING = "PENDING"

RELATIONAL_DATABASE = Kind(
    resource_type=ResourceType.RELATIONAL_DATABASE,
    name_member="relationalDatabaseName",
    get=("GetRelationalDatabase", "relationalDatabase"),
    listing=("GetRelationalDatabases", "relationalDatabases"),
    delete="DeleteRelationalDatabase",
    zoned=True,
    alarmable=True,
    transition_seconds=300.0,
)


def _window_minutes(window: str) -> int:
    """The length of a well-formed ``hh24:mi-hh24:mi`` or ``ddd:hh24:mi-ddd:hh24:mi`` window."""

    def minutes(point: str) -> int:
        *day, hour, minute = point.split(":")
        return (_DAYS.index(day[0].lower()) * 1440 if day else 0) + int(hour) * 60 + int(minute)

    start, end = window.split("-")
    return (minutes(end) - minutes(start)) % (7 * 1440 if start.count(":") == 2 else 1440)


def password_problem(password: str, engine: str) -> str | None:
    """What is wrong with a master password for ``engine``: "any printable ASCII character
    except" slash, double quote and at sign, 8 to 41 characters for MySQL, 8 to 128 for
    PostgreSQL (model ``masterUserPassword``), and no spaces (Terraform's rule)."""
    longest = 41 if engine == "mysql" else 128
    printable = all("!" <= char <= "~" and char not in '/"@' for char in password)
    if 8 <= len(password) <= longest and printable:
        return None
    return f"masterUserPassword must be 8 to {longest} printable ASCII characters other than '/', '\"', '@' and space"


#: What a generated password is drawn from: the printable ASCII the rule allows.
_PASSWORD_ALPHABET = "".join(chr(code) for code in range(ord("!"), ord("~") + 1) if chr(code) not in '/"@')


def generate_password() -> str:
    """A strong password as the service generates one when none is given, or on rotation
    (32 characters, as in the aws-cli ``get-relational-database-master-user-password`` example)."""
    return "".join(secrets.choice(_PASSWORD_ALPHABET) for _ in range(32))


def window_problems(params: dict[str, Any]) -> list[str]:
    """What is wrong with the backup and maintenance windows a request names."""
    problems = []
    for member, pattern, form in (
        ("preferredBackupWindow", _BACKUP_WINDOW, "hh24:mi-hh24:mi"),
        ("preferredMaintenanceWindow", _MAINTENANCE_WINDOW, "ddd:hh24:mi-ddd:hh24:mi"),
    ):
        window = params.get(member)
        if window is not None and not (pattern.fullmatch(window) and _window_minutes(window) >= 30):
            problems.append(f"{member} {quoted(window)} must be in the {form} format and at least 30 minutes long")
    return problems


def _check_database_params(params: dict[str, Any], blueprint: catalogue.DatabaseBlueprint) -> None:
    """The documented constraints of CreateRelationalDatabaseRequest (reserved words aside)."""
    mysql = blueprint.engine == "mysql"
    problems: list[str] = []
    database_name = params["masterDatabaseName"]
    if not (_DB_IDENTIFIER.fullmatch(database_name) and len(database_name) <= (64 if mysql else 63)):
        problems.append(
            f"masterDatabaseName {quoted(database_name)} must be 1 to {64 if mysql else 63} letters, digits or "
            "underscores, beginning with a letter"
        )
    username = params["masterUsername"]
    if not (_DB_IDENTIFIER.fullmatch(username) and len(username) <= (16 if mysql else 63)):
        problems.append(
            f"masterUsername {quoted(username)} must be 1 to {16 if mysql else 63} letters, digits or underscores, "
            "beginning with a letter"
        )
    password = params.get("masterUserPassword")
    if password is not None:
        problem = password_problem(password, blueprint.engine)
        if problem is not None:
            problems.append(problem)
    problems += window_problems(params)
    if problems:
        raise InvalidInputException("; ".join(problems), code="ValidationError")


def blueprint_named(blueprint_id: str) -> catalogue.DatabaseBlueprint:
    blueprint = catalogue.DATABASE_BLUEPRINTS.get(blueprint_id)
    if blueprint is None:
        raise InvalidInputException(
            "The specified database blueprint does not exist in this region: " + quoted(blueprint_id, bare=True),
            code="InvalidBlueprint",
        )
    return blueprint


def bundle_named(bundle_id: str) -> catalogue.DatabaseBundle:
    bundle = catalogue.DATABASE_BUNDLES.get(bundle_id)
    if bundle is None:
        raise InvalidInputException(
            "The specified database bundle does not exist in this region: " + quoted(bundle_id, bare=True),
            code="InvalidBundle",
        )
    return bundle


def build_database(
    context: RequestContext,
    name: str,
    *,
    blueprint: catalogue.DatabaseBlueprint,
    bundle: catalogue.DatabaseBundle,
    zone: str,
    master_database_name: str,
    master_username: str,
    password: str,
    params: dict[str, Any],
) -> Resource:
    """A new database record (not stored yet): its windows and accessibility from
    ``params``, its master password kept as the ``CURRENT`` version, automated backups on
    from now (the model: backup retention "defaults to true"; Terraform's provider)."""
    backing_id = "ls-" + (new_id() + new_id()).replace("-", "")[:40]
    host = catalogue.account_code(context.account_id, 12).translate(str.maketrans("0123456789", "ghijklmnop"))
    body: Wire = {
        "relationalDatabaseBlueprintId": blueprint.blueprint_id,
        "relationalDatabaseBundleId": bundle.bundle_id,
        "masterDatabaseName": master_database_name,
        "hardware": {
            "cpuCount": bundle.cpu_count,
            "diskSizeInGb": bundle.disk_size_in_gb,
            "ramSizeInGb": bundle.ram_size_in_gb,
        },
        "backupRetentionEnabled": True,
        "pendingModifiedValues": {},
        "engine": blueprint.engine,
        "engineVersion": blueprint.engine_version,
        "masterUsername": master_username,
        "parameterApplyStatus": "in-sync",
        "preferredBackupWindow": params.get("preferredBackupWindow", "10:01-10:31"),
        "preferredMaintenanceWindow": params.get("preferredMaintenanceWindow", "sat:11:14-sat:11:44"),
        "publiclyAccessible": params.get("publiclyAccessible", False),
        "masterEndpoint": {
            "port": blueprint.port,
            "address": f"{backing_id}.{host}.{context.region}.rds.amazonaws.com",
        },
        "pendingMaintenanceActions": [],
        "caCertificateIdentifier": "rds-ca-rsa2048-g1",
    }
    record = family.new_record(
        context,
        RELATIONAL_DATABASE,
        name,
        zone=zone,
        support_code=catalogue.support_code(context.account_id, backing_id),
        tags=request_tags(params),
        body=body,
    )
    record.private = {"passwords": {CURRENT: (password, context.now)}, "backupsSince": context.now}
    return record


def create_relational_database(context: RequestContext, params: dict[str, Any]) -> Wire:
    name = params["relationalDatabaseName"]
    blueprint = blueprint_named(params["relationalDatabaseBlueprintId"])
    bundle = bundle_named(params["relationalDatabaseBundleId"])
    zone = params.get("availabilityZone", f"{context.region}a")
    family.check_zone(context, zone)
    _check_database_params(params, blueprint)
    family.check_names_free(context, RELATIONAL_DATABASE, [name])
    record = build_database(
        context,
        name,
        blueprint=blueprint,
        bundle=bundle,
        zone=zone,
        master_database_name=params["masterDatabaseName"],
        master_username=params["masterUsername"],
        password=params.get("masterUserPassword") or generate_password(),
        params=params,
    )
    family.add(context, record)

    def created() -> None:
        at = context.store.clock.time()
        database_events.record(record, at, "Relational Database created", database_events.CREATION)

    family.begin_transition(context, record, interim="creating", final=AVAILABLE, then=created)
    return {"operations": [family.operation_on(context, record, "CreateRelationalDatabase", status="Started")]}


# -- point-in-time restore ------------------------------------------------------------------

#: Automated backups are kept 7 days (inferred: Lightsail keeps "your seven most recent
#: automatic snapshots" of instances and disks; docs/service-reference.md §20.2), and the
#: latest restorable time trails now by five minutes (Amazon RDS, on which the databases
#: run, uploads transaction logs every five minutes and restores to within that:
#: https://docs.aws.amazon.com/AmazonRDS/latest/UserGuide/USER_PIT.html).
BACKUP_RETENTION_SECONDS = 7 * 86400.0
RESTORE_LAG_SECONDS = 300.0


def restorable_window(database: Resource, now: float) -> tuple[float, float] | None:
    """The times a database can be restored to (``[earliest, latest]``), or ``None`` when
    it keeps no automated backups. A stopped database's data stops changing when it stops."""
    since = database.private.get("backupsSince")
    if not database.body["backupRetentionEnabled"] or since is None:
        return None
    until = now
    if database.stopped and math.isinf(database.stopped[-1][1]):
        until = min(until, database.stopped[-1][0])
    earliest = max(since, now - BACKUP_RETENTION_SECONDS)
    return earliest, max(earliest, until - RESTORE_LAG_SECONDS)


def _publisher(now: float) -> Callable[[Resource], Wire]:
    """How a read hands out a database at ``now``: with ``latestRestorableTime`` while it
    keeps automated backups (model ``RelationalDatabase``; the aws-cli
    ``get-relational-database`` example, whose database keeps none, has no such member)."""

    def publish(resource: Resource) -> Wire:
        record = resource.wire
        window = restorable_window(resource, now)
        if window is not None:
            record["latestRestorableTime"] = wire_time(window[1])
        return record

    return publish


def get_relational_database(context: RequestContext, params: dict[str, Any]) -> Wire:
    resource = family.find(context, ResourceType.RELATIONAL_DATABASE, params["relationalDatabaseName"])
    return {"relationalDatabase": _publisher(context.now)(resource)}


def get_relational_databases(context: RequestContext, params: dict[str, Any]) -> Wire:
    return family.list_handler(RELATIONAL_DATABASE, _publisher(context.now))(context, params)


@functools.cache
def _model_database_engines() -> frozenset[str]:
    return frozenset(served_model().shape_for("RelationalDatabaseEngine").enum)


def get_relational_database_blueprints(context: RequestContext, params: dict[str, Any]) -> Wire:
    engines = _model_database_engines()
    records = (blueprint.wire(engines) for blueprint in catalogue.DATABASE_BLUEPRINTS.values())
    return family.list_catalogue(context, "GetRelationalDatabaseBlueprints", "blueprints", params, records)


def get_relational_database_bundles(context: RequestContext, params: dict[str, Any]) -> Wire:
    records = (bundle.wire() for bundle in catalogue.DATABASE_BUNDLES.values())
    return family.list_catalogue(context, "GetRelationalDatabaseBundles", "bundles", params, records)


FAMILY = Family(
    title="Relational databases",
    kinds=(RELATIONAL_DATABASE,),
    operations={
        "CreateRelationalDatabase": create_relational_database,
        "GetRelationalDatabase": get_relational_database,
        "GetRelationalDatabases": get_relational_databases,
        "GetRelationalDatabaseBlueprints": get_relational_database_blueprints,
        "GetRelationalDatabaseBundles": get_relational_database_bundles,
    },
)
