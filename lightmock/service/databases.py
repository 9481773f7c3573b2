"""The relational database family: CreateRelationalDatabase, GetRelationalDatabase(s),
DeleteRelationalDatabase, and the database blueprints and bundles a create may use.

Records as the aws-cli ``create-relational-database`` and ``get-relational-database``
examples show them (docs/service-reference.md §7.3). A new database is ``creating`` before
it is ``available``, through the one transition mechanism (``engine/transitions.py``).
"""

from __future__ import annotations

import functools
import re
from typing import Any

from lightmock.core.domain import ResourceType
from lightmock.core.exceptions import InvalidInputException
from lightmock.core.ids import new_id
from lightmock.core.quoting import quoted
from lightmock.core.records import Resource
from lightmock.core.wire import Wire, request_tags
from lightmock.schema.differences import served_model
from lightmock.service import catalogue, family
from lightmock.service.context import RequestContext
from lightmock.service.kinds import Family, Kind

_DB_IDENTIFIER = re.compile(r"[A-Za-z][A-Za-z0-9_]*")
_TIME = r"([01]\d|2[0-3]):[0-5]\d"
_DAY = r"(mon|tue|wed|thu|fri|sat|sun):"
_BACKUP_WINDOW = re.compile(f"{_TIME}-{_TIME}")
_MAINTENANCE_WINDOW = re.compile(f"{_DAY}{_TIME}-{_DAY}{_TIME}", re.IGNORECASE)
_DAYS = ("mon", "tue", "wed", "thu", "fri", "sat", "sun")

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
        longest = 41 if mysql else 128
        printable = all("!" <= char <= "~" and char not in '/"@' for char in password)
        if not (8 <= len(password) <= longest and printable):
            problems.append(
                f"masterUserPassword must be 8 to {longest} printable ASCII characters other than '/', '\"', '@' "
                "and space"
            )
    for member, pattern, form in (
        ("preferredBackupWindow", _BACKUP_WINDOW, "hh24:mi-hh24:mi"),
        ("preferredMaintenanceWindow", _MAINTENANCE_WINDOW, "ddd:hh24:mi-ddd:hh24:mi"),
    ):
        window = params.get(member)
        if window is not None and not (pattern.fullmatch(window) and _window_minutes(window) >= 30):
            problems.append(f"{member} {quoted(window)} must be in the {form} format and at least 30 minutes long")
    if problems:
        raise InvalidInputException("; ".join(problems), code="ValidationError")


def create_relational_database(context: RequestContext, params: dict[str, Any]) -> Wire:
    name = params["relationalDatabaseName"]
    blueprint = catalogue.DATABASE_BLUEPRINTS.get(params["relationalDatabaseBlueprintId"])
    if blueprint is None:
        raise InvalidInputException(
            "The specified database blueprint does not exist in this region: "
            + quoted(params["relationalDatabaseBlueprintId"], bare=True),
            code="InvalidBlueprint",
        )
    bundle = catalogue.DATABASE_BUNDLES.get(params["relationalDatabaseBundleId"])
    if bundle is None:
        raise InvalidInputException(
            "The specified database bundle does not exist in this region: "
            + quoted(params["relationalDatabaseBundleId"], bare=True),
            code="InvalidBundle",
        )
    zone = params.get("availabilityZone", f"{context.region}a")
    family.check_zone(context, zone)
    _check_database_params(params, blueprint)
    family.check_names_free(context, RELATIONAL_DATABASE, [name])

    backing_id = "ls-" + (new_id() + new_id()).replace("-", "")[:40]
    host = catalogue.account_code(context.account_id, 12).translate(str.maketrans("0123456789", "ghijklmnop"))
    body: Wire = {
        "relationalDatabaseBlueprintId": blueprint.blueprint_id,
        "relationalDatabaseBundleId": bundle.bundle_id,
        "masterDatabaseName": params["masterDatabaseName"],
        "hardware": {
            "cpuCount": bundle.cpu_count,
            "diskSizeInGb": bundle.disk_size_in_gb,
            "ramSizeInGb": bundle.ram_size_in_gb,
        },
        "backupRetentionEnabled": True,
        "pendingModifiedValues": {},
        "engine": blueprint.engine,
        "engineVersion": blueprint.engine_version,
        "masterUsername": params["masterUsername"],
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
    family.add(context, record)
    family.begin_transition(context, record, interim="creating", final="available")
    return {"operations": [family.operation_on(context, record, "CreateRelationalDatabase", status="Started")]}


def _check_delete(context: RequestContext, resource: Resource, params: dict[str, Any]) -> None:
    if params.get("skipFinalSnapshot") and "finalRelationalDatabaseSnapshotName" in params:
        # "Specifying this parameter and also specifying the skip final snapshot parameter to
        # true results in an error." (model doc). Snapshots themselves are not modelled.
        raise InvalidInputException(
            "finalRelationalDatabaseSnapshotName cannot be given when skipFinalSnapshot is true",
            code="ValidationError",
        )


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
        **family.standard_operations(RELATIONAL_DATABASE, check_delete=_check_delete),
        "GetRelationalDatabaseBlueprints": get_relational_database_blueprints,
        "GetRelationalDatabaseBundles": get_relational_database_bundles,
    },
)
