"""GetRelationalDatabaseParameters and UpdateRelationalDatabaseParameters
(docs/service-reference.md §20.6).

GetRelationalDatabaseParameters "Returns all of the runtime parameters offered by the
underlying database software", with "whether changes require a reboot, whether the
parameter is modifiable, the allowed values, and the data types", paged (model); the table
of each engine is ``database_parameter_tables.py``. UpdateRelationalDatabaseParameters:
"Parameters marked with a dynamic apply type are applied immediately. Parameters marked with
a pending-reboot apply type are applied only after the database is rebooted using the reboot
relational database operation" (model).

The rules of a change are Amazon RDS's ModifyDBParameterGroup, which these parameters are
(https://docs.aws.amazon.com/AmazonRDS/latest/APIReference/API_ModifyDBParameterGroup.html):
``applyMethod`` is ``immediate`` or ``pending-reboot``, and a static parameter takes only
``pending-reboot`` ("You can use the immediate value with dynamic parameters only"); a
parameter that is not modifiable is refused; a value must be one of its ``allowedValues``.
lightmock: each refusal is an ``InvalidInputException`` listing every bad parameter, and
nothing changes; ``applyMethod`` defaults to ``immediate`` for a dynamic parameter and
``pending-reboot`` for a static one. The parameter then reads back with its new value and
method; a change waiting for a reboot sets the database's ``parameterApplyStatus`` to
``pending-reboot`` until a reboot (or a stop and start) finishes (``apply_pending_reboot``).
One ``UpdateRelationalDatabaseParameters`` operation, ``Succeeded`` (**inferred**: the change is
recorded at once; no example shows the operation).
"""

from __future__ import annotations

import functools
import re
from typing import Any

from lightmock.core.domain import ResourceType
from lightmock.core.exceptions import InvalidInputException
from lightmock.core.quoting import quoted
from lightmock.core.records import Resource
from lightmock.core.wire import Wire
from lightmock.service import database_events, family, paging
from lightmock.service.context import RequestContext
from lightmock.service.database_parameter_tables import TABLES, Parameter
from lightmock.service.kinds import Family

IMMEDIATE = "immediate"
PENDING_REBOOT = "pending-reboot"
_RANGE = re.compile(r"(-?\d+(?:\.\d+)?)-(-?\d+(?:\.\d+)?)")
_NUMBER = {"integer": re.compile(r"-?\d+"), "float": re.compile(r"-?\d+(\.\d+)?")}


def _overrides(database: Resource) -> dict[str, tuple[str, str]]:
    """The parameters changed on this database: (value, apply method) by name."""
    changed: dict[str, tuple[str, str]] = database.private.get("parameters", {})
    return changed


def _value_problem(parameter: Parameter, value: str) -> str | None:
    allowed = parameter.allowed
    if allowed == ".*":
        return None
    bounds = _RANGE.fullmatch(allowed)
    if bounds is not None:
        pattern = _NUMBER.get(parameter.data_type, _NUMBER["float"])
        if pattern.fullmatch(value) and float(bounds.group(1)) <= float(value) <= float(bounds.group(2)):
            return None
        return f"{quoted(value)} is not a number from {bounds.group(1)} to {bounds.group(2)}"
    choices = allowed.split(",")
    values = value.split(",") if parameter.data_type == "list" else [value]
    if all(item in choices for item in values):
        return None
    return f"{quoted(value)} is not one of its allowed values ({quoted(allowed)})"


def _change(parameter: Parameter | None, request: Wire, index: int) -> tuple[str, str] | str:
    """The (value, method) a requested change makes, or what is wrong with it."""
    where = f"parameters[{index}]"
    name = request.get("parameterName")
    if parameter is None:
        return f"{where}: {quoted(name)} is not a parameter of this database's engine"
    if not parameter.modifiable:
        return f"{where}: the parameter {parameter.name} cannot be modified"
    value = request.get("parameterValue")
    if value is None:
        return f"{where}: parameterValue is required"
    default_method = IMMEDIATE if parameter.apply_type == "dynamic" else PENDING_REBOOT
    method = request.get("applyMethod", default_method)
    if method not in (IMMEDIATE, PENDING_REBOOT):
        return f"{where}: applyMethod must be {IMMEDIATE} or {PENDING_REBOOT}, not {quoted(method)}"
    if method == IMMEDIATE and parameter.apply_type == "static":
        return f"{where}: the static parameter {parameter.name} can only be applied with {PENDING_REBOOT}"
    problem = _value_problem(parameter, value)
    if problem is not None:
        return f"{where}: {parameter.name} {problem}"
    return value, method


@functools.cache
def _listing(engine: str) -> paging.Listing[Parameter]:
    """An engine's parameters in table order (the tables never change: made once)."""
    return paging.in_order(TABLES[engine])


@functools.cache
def _unchanged(engine: str) -> dict[str, Wire]:
    """Each parameter's record while the database keeps the engine's value (made once)."""
    return {parameter.name: parameter.wire(parameter.value, PENDING_REBOOT) for parameter in TABLES[engine]}


def get_relational_database_parameters(context: RequestContext, params: dict[str, Any]) -> Wire:
    database = family.find(context, ResourceType.RELATIONAL_DATABASE, params["relationalDatabaseName"])
    changed = _overrides(database)
    engine = database.body["engine"]
    unchanged = _unchanged(engine)

    def publish(parameter: Parameter) -> Wire:
        change = changed.get(parameter.name)
        if change is None:
            return dict(unchanged[parameter.name])  # a copy of a flat record (text and booleans)
        return parameter.wire(*change)

    return family.page_of(context, "GetRelationalDatabaseParameters", "parameters", params, _listing(engine), publish)


def update_relational_database_parameters(context: RequestContext, params: dict[str, Any]) -> Wire:
    database = family.find(context, ResourceType.RELATIONAL_DATABASE, params["relationalDatabaseName"])
    table = {parameter.name: parameter for parameter in TABLES[database.body["engine"]]}
    changes: dict[str, tuple[str, str]] = {}
    problems: list[str] = []
    for index, request in enumerate(params["parameters"]):
        outcome = _change(table.get(request.get("parameterName", "")), request, index)
        if isinstance(outcome, str):
            problems.append(outcome)
        else:
            changes[request["parameterName"]] = outcome
    if not params["parameters"]:
        problems.append("parameters must name at least one parameter")
    if problems:
        raise InvalidInputException("; ".join(problems), code="ValidationError")
    waiting = set(database.private.get("pendingReboot", ())) | {
        name for name, (_, method) in changes.items() if method == PENDING_REBOOT
    }
    database.private = {
        **database.private,
        "parameters": {**_overrides(database), **changes},
        "pendingReboot": frozenset(waiting),
    }
    if waiting:
        database.update(parameterApplyStatus=PENDING_REBOOT)
    message = "Finished updating Relational Database parameters"
    database_events.record(database, context.now, message, database_events.CONFIGURATION_CHANGE)
    return {"operations": [family.operation_on(context, database, "UpdateRelationalDatabaseParameters")]}


def apply_pending_reboot(database: Resource) -> None:
    """A reboot (or a start) applies the parameter changes that waited for one."""
    if database.private.get("pendingReboot"):
        database.private = {**database.private, "pendingReboot": frozenset()}
        database.update(parameterApplyStatus="in-sync")


FAMILY = Family(
    title="Relational database parameters",
    operations={
        "GetRelationalDatabaseParameters": get_relational_database_parameters,
        "UpdateRelationalDatabaseParameters": update_relational_database_parameters,
    },
)
