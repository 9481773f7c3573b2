"""Hypothesis strategies built from the Lightsail service model: valid requests, and broken ones.

``requests(operation)`` walks the operation's input shape as the service enforces it (the
installed model with ``lightmock.schema.differences`` applied: a period above the model's
maximum is valid, so an out-of-range one is below 60) and draws a request it accepts.
``HINTS`` steers some members, by name, towards values that exist in the state the fuzz tests
seed (``SEEDED``) or in the mock's catalogue, so that valid requests get past "not found" into
the handlers' deep paths. ``broken_requests(operation)`` draws a valid request and breaks it
in exactly one way (a ``Breakage``) at one place where the served model constrains it.
``encode_body`` turns a request into the bytes sent on the wire, including the nesting too
deep to build as a Python value.
"""

from __future__ import annotations

import copy
import enum
import json
import re
from collections.abc import Iterator
from dataclasses import dataclass
from datetime import UTC, datetime
from typing import Any

from botocore.model import ListShape, MapShape, Shape, StructureShape
from hypothesis import reject
from hypothesis import strategies as st

from lightmock.core.domain import METRICS_BY_RESOURCE_TYPE, MetricStatistic, ResourceType
from lightmock.schema.differences import served_operation_model
from lightmock.schema.validation import RESOURCE_NAME_SHAPE

#: The frozen time of every fuzz example; metric-data hints are spread around it.
NOW = datetime(2026, 11, 28, 8, 0, tzinfo=UTC)
_NOW_EPOCH = NOW.timestamp()


@dataclass(frozen=True, slots=True)
class Seeded:
    """The names the fuzz tests create before each example."""

    instance: str = "web-1"
    load_balancer: str = "lb-1"
    database: str = "db-1"
    alarms: tuple[str, ...] = ("cpu-high", "cpu-low")
    email: str = "ops@example.com"


SEEDED = Seeded()

_RESOURCES = [SEEDED.instance, SEEDED.load_balancer, SEEDED.database]
_NEAR_NOW = st.integers(-3 * 86_400, 600).map(lambda offset: _NOW_EPOCH + offset)

#: Values worth trying for members of these names, besides anything else their shape allows
#: (a list is sampled, and an enum member keeps only the values its enum has).
HINTS: dict[str, list[Any] | st.SearchStrategy[Any]] = {
    "instanceName": st.sampled_from([SEEDED.instance]),
    "loadBalancerName": st.sampled_from([SEEDED.load_balancer]),
    "relationalDatabaseName": st.sampled_from([SEEDED.database]),
    "monitoredResourceName": st.sampled_from(_RESOURCES),
    "alarmName": st.sampled_from([*SEEDED.alarms, "new-alarm"]),
    "instanceNames": st.lists(st.sampled_from(["web-2", "web-3", SEEDED.instance]), min_size=1, max_size=3),
    "availabilityZone": st.sampled_from(["us-east-1a", "us-east-1b", "us-west-2a"]),
    "blueprintId": st.sampled_from(["ubuntu_22_04", "amazon_linux_2023", "wordpress"]),
    "bundleId": st.sampled_from(["nano_3_0", "micro_3_0"]),
    "relationalDatabaseBlueprintId": st.sampled_from(["mysql_8_0", "postgres_16"]),
    "relationalDatabaseBundleId": st.sampled_from(["micro_2_0", "small_2_0"]),
    "masterDatabaseName": st.sampled_from(["app"]),
    "masterUsername": st.sampled_from(["admin"]),
    "masterUserPassword": st.sampled_from(["correct-horse-1"]),
    "contactEndpoint": st.sampled_from([SEEDED.email, "+12065550100", "not an address"]),
    "instancePort": st.sampled_from([80, 8080]),
    "evaluationPeriods": st.integers(-2, 300),
    "datapointsToAlarm": st.integers(-2, 300),
    "period": st.sampled_from([60, 300, 3600, 90]),
    "startTime": _NEAR_NOW,
    "endTime": _NEAR_NOW,
    "unit": ["Percent", "Count", "Bytes", "Seconds"],
    "metricName": ["CPUUtilization", "NetworkIn", "RequestCount", "HealthyHostCount", "DatabaseConnections"],
    # A list, so that values shorter than a token shape's ``min`` are left out (GetSetupHistory's is 24).
    "pageToken": ["bGlnaHRtb2NrOmFsYXJtczox", "", "=="],
}


class Breakage(enum.StrEnum):
    """One way to break a request; each applies where the model sets the rule it breaks."""

    WRONG_TYPE = "wrong type"
    OUT_OF_RANGE = "out of range"
    TOO_LONG = "too long"
    BAD_PATTERN = "bad pattern"
    UNKNOWN_ENUM = "unknown enum value"
    MISSING_REQUIRED = "missing required member"
    NULL_REQUIRED = "null required member"
    UNKNOWN_MEMBER = "unknown extra member"
    DEEP_NESTING = "deep nesting"
    HUGE_LIST = "huge list"


#: A huge list of valid members is still a valid request; every other breakage is not.
MAY_SUCCEED = frozenset({Breakage.HUGE_LIST})

Path = tuple[str | int, ...]


@dataclass(frozen=True, slots=True)
class Nested:
    """A value nested ``depth`` levels deep in JSON arrays or objects, written out only by ``encode_body``."""

    depth: int
    objects: bool


@dataclass(frozen=True, slots=True)
class Broken:
    """A request broken in one way, and where."""

    breakage: Breakage
    path: Path
    #: The type of the shape broken (``structure`` for a missing or an extra member).
    shape_type: str
    params: dict[str, Any]


# -- valid values -----------------------------------------------------------------------------------------


def _pattern(shape: Shape) -> str | None:
    pattern = shape.metadata.get("pattern")
    return pattern if isinstance(pattern, str) else None


def _resource_names() -> st.SearchStrategy[str]:
    # The model's pattern (\w[\w\-]*\w, ASCII), within the service's 255 characters.
    return st.from_regex(re.compile(r"[A-Za-z0-9_][A-Za-z0-9_\-]{0,40}[A-Za-z0-9_]", re.ASCII), fullmatch=True)


def _strings(shape: Shape) -> st.SearchStrategy[str]:
    if shape.enum:
        return st.sampled_from(list(shape.enum))
    if shape.name == RESOURCE_NAME_SHAPE:
        return _resource_names()
    minimum = shape.metadata.get("min", 0)
    maximum = shape.metadata.get("max")
    pattern = _pattern(shape)
    if pattern is not None:
        strings = st.from_regex(re.compile(pattern, re.ASCII), fullmatch=True)
        return strings.filter(lambda s: minimum <= len(s) <= (maximum if maximum is not None else 256))
    return st.text(min_size=minimum, max_size=min(maximum if maximum is not None else 40, 40))


def _integers(shape: Shape) -> st.SearchStrategy[int]:
    return st.integers(shape.metadata.get("min", -(2**31)), shape.metadata.get("max", 2**31 - 1))


def values(shape: Shape, member: str | None = None) -> st.SearchStrategy[Any]:
    """Values the model accepts for ``shape``; a hinted ``member`` draws its hints half the time."""
    generic = _values(shape)
    hint = HINTS.get(member) if member is not None else None
    if isinstance(hint, list):
        hinted = [
            value
            for value in hint
            if (not shape.enum or value in shape.enum)
            and not (isinstance(value, str) and len(value) < shape.metadata.get("min", 0))
        ]
        hint = st.sampled_from(hinted) if hinted else None
    # Three branches in four draw the hint: hypothesis picks among one_of's branches evenly.
    return st.one_of(hint, hint, hint, generic) if hint is not None else generic


def _member(shape: Shape, name: str) -> st.SearchStrategy[Any]:
    # Deferred: built on first draw, so that a recursive shape cannot recurse here.
    return st.deferred(lambda: values(shape, name))


def _values(shape: Shape) -> st.SearchStrategy[Any]:
    kind = shape.type_name
    if isinstance(shape, StructureShape):
        required = set(shape.required_members)
        members = {name: _member(member, name) for name, member in shape.members.items()}
        return st.fixed_dictionaries(
            {name: strategy for name, strategy in members.items() if name in required},
            optional={name: strategy for name, strategy in members.items() if name not in required},
        )
    if isinstance(shape, ListShape):
        minimum = shape.metadata.get("min", 0)
        maximum = min(shape.metadata.get("max", 4), 4)
        return st.lists(values(shape.member), min_size=minimum, max_size=max(minimum, maximum))
    if isinstance(shape, MapShape):
        return st.dictionaries(_values(shape.key), _values(shape.value), max_size=3)
    if kind == "string":
        return _strings(shape)
    if kind in ("integer", "long"):
        return _integers(shape)
    if kind in ("double", "float"):
        return st.floats(allow_nan=False, allow_infinity=False) | st.integers(-1000, 1000)
    if kind == "boolean":
        return st.booleans()
    if kind == "timestamp":
        return st.floats(0, 4e9) | st.integers(0, 4_000_000_000)
    raise NotImplementedError(f"no strategy for {kind} shapes ({shape.name})")


@st.composite
def _coherent_alarm(draw: st.DrawFn) -> dict[str, Any]:
    resource, metric = draw(st.sampled_from(_ALARMABLE))
    periods = draw(st.integers(1, 5))
    request: dict[str, Any] = {
        "alarmName": draw(st.sampled_from([*SEEDED.alarms, "new-alarm", "other-alarm"])),
        "monitoredResourceName": resource,
        "metricName": metric,
        "evaluationPeriods": periods,
        "notificationTriggers": draw(st.sampled_from([["ALARM"], ["ALARM", "OK"], ["INSUFFICIENT_DATA", "ALARM"]])),
    }
    if draw(st.booleans()):
        request["datapointsToAlarm"] = draw(st.integers(1, periods))
    return request


@st.composite
def _coherent_metric_query(draw: st.DrawFn, resource_type: ResourceType, name_member: str, name: str) -> dict[str, Any]:
    metric = draw(st.sampled_from(sorted(METRICS_BY_RESOURCE_TYPE[resource_type].values(), key=lambda m: m.name)))
    period = draw(st.sampled_from([60, 300, 3600]))
    end = _NOW_EPOCH - draw(st.integers(-5, 20)) * period
    return {
        name_member: name,
        "metricName": metric.name,
        "unit": metric.unit,
        "period": period,
        "startTime": end - draw(st.integers(1, 1440)) * period,
        "endTime": end,
        "statistics": draw(st.lists(st.sampled_from(list(MetricStatistic)), min_size=1, max_size=5)),
    }


_ALARMABLE = [
    (name, metric.name)
    for resource_type, name in [
        (ResourceType.INSTANCE, SEEDED.instance),
        (ResourceType.LOAD_BALANCER, SEEDED.load_balancer),
        (ResourceType.RELATIONAL_DATABASE, SEEDED.database),
    ]
    for metric in METRICS_BY_RESOURCE_TYPE[resource_type].values()
    if metric.alarmable
]

#: Members that only succeed together (a resource and one of its metrics, a period and a
#: range of at most 1,440 of them), laid over a generated request half the time.
COHERENT: dict[str, st.SearchStrategy[dict[str, Any]]] = {
    "PutAlarm": _coherent_alarm(),
    "GetInstanceMetricData": _coherent_metric_query(ResourceType.INSTANCE, "instanceName", SEEDED.instance),
    "GetLoadBalancerMetricData": _coherent_metric_query(
        ResourceType.LOAD_BALANCER, "loadBalancerName", SEEDED.load_balancer
    ),
    "GetRelationalDatabaseMetricData": _coherent_metric_query(
        ResourceType.RELATIONAL_DATABASE, "relationalDatabaseName", SEEDED.database
    ),
}


def requests(operation: str) -> st.SearchStrategy[dict[str, Any]]:
    """Requests of ``operation`` that the served model accepts (not necessarily the handler)."""
    shape = served_operation_model(operation).input_shape
    if shape is None:
        return st.just({})
    generated = values(shape)
    coherent = COHERENT.get(operation)
    if coherent is None:
        return generated
    return st.one_of(generated, st.builds(lambda base, overlay: {**base, **overlay}, generated, coherent))


# -- breaking a request -----------------------------------------------------------------------------------


def sites(shape: Shape, value: Any, path: Path = ()) -> Iterator[tuple[Path, Shape]]:
    """Every place of a valid request, with its shape (the request itself first)."""
    yield path, shape
    if isinstance(shape, StructureShape) and isinstance(value, dict):
        for name, item in value.items():
            yield from sites(shape.members[name], item, (*path, name))
    elif isinstance(shape, ListShape) and isinstance(value, list):
        for index, item in enumerate(value):
            yield from sites(shape.member, item, (*path, index))


def applicable(shape: Shape, path: Path) -> list[Breakage]:
    """The breakages that make a value of ``shape`` at ``path`` invalid."""
    kinds: list[Breakage] = []
    if path:
        kinds += [Breakage.WRONG_TYPE, Breakage.DEEP_NESTING]
    if isinstance(shape, StructureShape):
        kinds.append(Breakage.UNKNOWN_MEMBER)
        if shape.required_members:
            kinds += [Breakage.MISSING_REQUIRED, Breakage.NULL_REQUIRED]
    elif isinstance(shape, ListShape):
        kinds.append(Breakage.HUGE_LIST)
    elif shape.type_name == "string":
        if shape.enum:
            kinds.append(Breakage.UNKNOWN_ENUM)
        elif shape.name == RESOURCE_NAME_SHAPE or _pattern(shape) is not None:
            kinds.append(Breakage.BAD_PATTERN)
        if shape.name == RESOURCE_NAME_SHAPE or "max" in shape.metadata:
            kinds.append(Breakage.TOO_LONG)
    elif shape.type_name in ("integer", "long"):
        if "min" in shape.metadata or "max" in shape.metadata:
            kinds.append(Breakage.OUT_OF_RANGE)
    elif shape.type_name in ("double", "float", "timestamp"):
        kinds.append(Breakage.OUT_OF_RANGE)  # not a finite number
    return kinds


def _wrong_types(shape: Shape) -> st.SearchStrategy[Any]:
    kind = shape.type_name
    numeric = ("integer", "long", "double", "float", "timestamp")
    options: list[st.SearchStrategy[Any]] = []
    if kind != "list":
        options.append(st.lists(st.integers(), max_size=2))
    if kind not in ("structure", "map"):
        options.append(st.dictionaries(st.text(max_size=3), st.integers(), max_size=2))
    if kind != "boolean":
        options.append(st.booleans())
    if kind not in ("string", "blob"):
        options.append(st.text(max_size=10))
    if kind not in numeric:
        options.append(st.integers() | st.floats(allow_nan=False))
    if kind in ("integer", "long"):
        options.append(st.floats(allow_nan=False, allow_infinity=False).filter(lambda x: not x.is_integer()))
    return st.one_of(*options)


def _out_of_range(shape: Shape) -> st.SearchStrategy[Any]:
    if shape.type_name in ("integer", "long"):
        below = [st.integers(max_value=shape.metadata["min"] - 1)] if "min" in shape.metadata else []
        above = [st.integers(min_value=shape.metadata["max"] + 1)] if "max" in shape.metadata else []
        return st.one_of(*below, *above)
    # Doubles and timestamps: not finite, or an integer literal too large for a double.
    return st.sampled_from([float("nan"), float("inf"), float("-inf"), 10**400, -(10**309)])


def _too_long(shape: Shape) -> st.SearchStrategy[str]:
    maximum = 255 if shape.name == RESOURCE_NAME_SHAPE else shape.metadata["max"]
    return st.integers(maximum + 1, maximum + 5000).map(lambda n: "a" * n)


def _bad_pattern(shape: Shape) -> st.SearchStrategy[str]:
    if shape.name == RESOURCE_NAME_SHAPE:
        # What the service refuses: too short, or a character other than alphanumerics, -, _ and .
        return st.one_of(
            st.text(max_size=1),
            st.tuples(st.text(max_size=5), st.sampled_from(list(" !@#/:*é\n\x00")), st.text(max_size=5)).map(
                lambda t: "a" + "".join(t) + "b"
            ),
        )
    pattern = re.compile(_pattern(shape) or "", re.ASCII)
    return st.text(max_size=12).filter(lambda s: pattern.fullmatch(s) is None)


def _unknown_enum(shape: Shape) -> st.SearchStrategy[str]:
    known = set(shape.enum)
    return st.one_of(st.text(max_size=20), st.sampled_from([e.lower() for e in shape.enum])).filter(
        lambda s: s not in known
    )


def _get(value: Any, path: Path) -> Any:
    for key in path:
        value = value[key]
    return value


def _set(params: dict[str, Any], path: Path, new: Any) -> dict[str, Any]:
    result = copy.deepcopy(params)
    _get(result, path[:-1])[path[-1]] = new
    return result


@st.composite
def _break(draw: st.DrawFn, operation: str, params: dict[str, Any], kinds: frozenset[Breakage] | None) -> Broken:
    shape = served_operation_model(operation).input_shape
    assert shape is not None
    candidates = [
        (path, site_shape, kind)
        for path, site_shape in sites(shape, params)
        for kind in applicable(site_shape, path)
        if kinds is None or kind in kinds
    ]
    if not candidates:
        reject()  # this request has no place to break that way; another will
    path, site_shape, kind = draw(st.sampled_from(candidates))
    if kind is Breakage.UNKNOWN_MEMBER:
        assert isinstance(site_shape, StructureShape)
        name = draw(st.text(min_size=1, max_size=12).filter(lambda n: n not in site_shape.members))
        target = copy.deepcopy(params)
        _get(target, path)[name] = draw(st.one_of(st.integers(), st.text(max_size=5), st.none()))
        return Broken(kind, (*path, name), site_shape.type_name, target)
    if kind in (Breakage.MISSING_REQUIRED, Breakage.NULL_REQUIRED):
        assert isinstance(site_shape, StructureShape)
        name = draw(st.sampled_from(list(site_shape.required_members)))
        target = copy.deepcopy(params)
        if kind is Breakage.MISSING_REQUIRED:
            del _get(target, path)[name]
        else:
            _get(target, path)[name] = None
        return Broken(kind, (*path, name), site_shape.type_name, target)
    if kind is Breakage.HUGE_LIST:
        assert isinstance(site_shape, ListShape)
        item = draw(values(site_shape.member))
        size = draw(st.sampled_from([1_000, 10_000, 50_000]))
        return Broken(kind, path, site_shape.type_name, _set(params, path, [item] * size))
    new: Any
    if kind is Breakage.WRONG_TYPE:
        new = draw(_wrong_types(site_shape))
    elif kind is Breakage.DEEP_NESTING:
        new = Nested(draw(st.integers(2, 200) | st.just(1_000)), draw(st.booleans()))
    elif kind is Breakage.OUT_OF_RANGE:
        new = draw(_out_of_range(site_shape))
    elif kind is Breakage.TOO_LONG:
        new = draw(_too_long(site_shape))
    elif kind is Breakage.BAD_PATTERN:
        new = draw(_bad_pattern(site_shape))
    else:
        new = draw(_unknown_enum(site_shape))
    return Broken(kind, path, site_shape.type_name, _set(params, path, new))


def has_sites(operation: str, kinds: frozenset[Breakage] | None = None) -> bool:
    """Whether some request of ``operation`` can be broken in one of ``kinds`` (any, if None)."""
    shape = served_operation_model(operation).input_shape
    if shape is None:
        return False
    return any(
        kinds is None or kind in kinds for path, site in _shape_sites(shape, ()) for kind in applicable(site, path)
    )


def _shape_sites(shape: Shape, path: Path, seen: frozenset[str] = frozenset()) -> Iterator[tuple[Path, Shape]]:
    yield path, shape
    if shape.name in seen:
        return
    if isinstance(shape, StructureShape):
        for name, member in shape.members.items():
            yield from _shape_sites(member, (*path, name), seen | {shape.name})
    elif isinstance(shape, ListShape):
        yield from _shape_sites(shape.member, (*path, 0), seen | {shape.name})


def broken_requests(operation: str, kinds: frozenset[Breakage] | None = None) -> st.SearchStrategy[Broken]:
    """Requests of ``operation`` broken in one way (among ``kinds``, if given) at one place."""
    return requests(operation).flatmap(lambda params: _break(operation, params, kinds))


# -- the wire -----------------------------------------------------------------------------------------------


def _nested_text(nested: Nested) -> str:
    if nested.objects:
        return '{"a":' * nested.depth + "1" + "}" * nested.depth
    return "[" * nested.depth + "]" * nested.depth


def encode_body(params: Any) -> bytes:
    """The JSON body of a request; ``Nested`` placeholders are written out as raw text."""
    placeholders: dict[str, str] = {}

    def hold(value: Any) -> Any:
        if isinstance(value, Nested):
            token = f"\x00nested-{len(placeholders)}\x00"
            placeholders[json.dumps(token)] = _nested_text(value)
            return token
        if isinstance(value, dict):
            return {key: hold(item) for key, item in value.items()}
        if isinstance(value, list):
            return [hold(item) for item in value]
        return value

    text = json.dumps(hold(params))
    for token, raw in placeholders.items():
        text = text.replace(token, raw)
    return text.encode()
