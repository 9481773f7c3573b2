"""The control API under ``/_lightmock/``: the handle's powers for programs in any language.

Each route does what the Python handle does (``LightsailMock``), and nothing else: the
rules live in the handle and below, so a test driving the server over HTTP sees the same
checks and the same words as one holding the handle. Requests and answers are JSON with
camelCase names; ``accountId`` and ``region`` are optional wherever state is named and
default as the handle's do. Misuse is a ``LightmockUsageError``, which :func:`answer`
turns into status 400 with its message.
"""

from __future__ import annotations

import dataclasses
import enum
import math
from collections.abc import Callable, Mapping, Set
from datetime import datetime
from typing import Any, NamedTuple

import botocore

from lightmock import __version__
from lightmock.core.exceptions import LightmockUsageError
from lightmock.mock import LightsailMock
from lightmock.server.state import Served

PREFIX = "/_lightmock/"

Json = dict[str, Any]


class ControlRequest(NamedTuple):
    """One control call, as the HTTP layer decoded it."""

    method: str
    route: str  # the path after PREFIX, e.g. "clock"
    query: Mapping[str, str]
    body: Json


class ControlAnswer(NamedTuple):
    status: int
    body: Json


class ControlError(Exception):
    """A control request that no route answers: no such path (404), method (405) or feature (501)."""

    def __init__(self, message: str, status: int) -> None:
        super().__init__(message)
        self.status = status


def _iso(moment: datetime) -> str:
    return moment.isoformat()


def _members(body: Mapping[str, Any], allowed: Set[str], required: Set[str] = frozenset()) -> None:
    """Refuse a body with members the route does not take, or without those it needs."""
    unknown = sorted(set(body) - allowed)
    if unknown:
        takes = ", ".join(sorted(allowed)) or "none"
        raise LightmockUsageError(f"unknown member(s) {', '.join(unknown)}; this route takes {takes}")
    missing = sorted(required - set(body))
    if missing:
        raise LightmockUsageError(f"missing member(s) {', '.join(missing)}")


def _text(body: Mapping[str, Any], name: str) -> str | None:
    value = body.get(name)
    if value is not None and not isinstance(value, str):
        raise LightmockUsageError(f"{name} must be a string, got {value!r}")
    return value


def _required_text(body: Mapping[str, Any], name: str) -> str:
    value = _text(body, name)
    if not value:
        raise LightmockUsageError(f"{name} must be a non-empty string")
    return value


def _number(value: Any, name: str) -> float:
    if isinstance(value, bool) or not isinstance(value, int | float):
        raise LightmockUsageError(f"{name} must be a number, got {value!r}")
    return float(value)


def _handle(served: Served, source: Mapping[str, Any]) -> LightsailMock:
    return served.handle_for(_text(source, "accountId"))


_STATE_MEMBERS = {"accountId", "region"}


# -- routes ------------------------------------------------------------------------------


def _health(served: Served, request: ControlRequest) -> Json:
    return {"status": "ok", "version": __version__, "botocoreVersion": botocore.__version__}


def _reset(served: Served, request: ControlRequest) -> Json:
    _members(request.body, set())
    served.reset()
    return {"now": _iso(served.store.clock.now())}


def _clock(served: Served, request: ControlRequest) -> Json:
    clock = served.store.clock
    if request.method == "GET":
        return {"now": _iso(clock.now())}
    body = request.body
    if len(body) != 1 or next(iter(body)) not in ("freeze", "advance", "unfreeze"):
        raise LightmockUsageError(
            'POST /_lightmock/clock takes exactly one of {"freeze": ISO-8601}, '
            '{"advance": {"seconds"|"minutes"|"hours"|"days": n}}, {"unfreeze": true}'
        )
    if "freeze" in body:
        moment = body["freeze"]
        if not isinstance(moment, str):
            raise LightmockUsageError(f"freeze takes an ISO-8601 time with its offset, got {moment!r}")
        try:
            parsed = datetime.fromisoformat(moment)
        except ValueError:
            raise LightmockUsageError(f"freeze takes an ISO-8601 time with its offset, got {moment!r}") from None
        return {"now": _iso(clock.freeze(parsed))}
    if "advance" in body:
        delta = body["advance"]
        units = ("seconds", "minutes", "hours", "days")
        if not isinstance(delta, dict) or not delta or not set(delta) <= set(units):
            raise LightmockUsageError(f"advance takes an object of {', '.join(units)}, got {delta!r}")
        amounts = {unit: _number(amount, unit) for unit, amount in delta.items()}
        return {"now": _iso(clock.advance(**amounts))}
    if body["unfreeze"] is not True:
        raise LightmockUsageError(f"unfreeze takes true, got {body['unfreeze']!r}")
    return {"now": _iso(clock.unfreeze())}


def _metric_data(served: Served, request: ControlRequest) -> Json:
    body = request.body
    required = {"resourceName", "metricName", "values"}
    _members(body, {*required, "timestamps", *_STATE_MEMBERS}, required)
    values = body["values"]
    if not isinstance(values, list):
        raise LightmockUsageError(f"values must be a list of numbers (null for no sample), got {values!r}")
    samples = [math.nan if value is None else _number(value, "values[]") for value in values]
    timestamps = body.get("timestamps")
    if timestamps is not None:
        if not isinstance(timestamps, list):
            raise LightmockUsageError(f"timestamps must be a list of epoch seconds, got {timestamps!r}")
        timestamps = [_number(moment, "timestamps[]") for moment in timestamps]
    stored = _handle(served, body).put_metric_data(
        _required_text(body, "resourceName"),
        _required_text(body, "metricName"),
        samples,
        timestamps=timestamps,
        region=_text(body, "region"),
    )
    return {"stored": stored}


def _database_log_events(served: Served, request: ControlRequest) -> Json:
    """The handle's ``put_database_log_events``: ``events`` as ``{"createdAt": epoch seconds,
    "message": text}``."""
    body = request.body
    required = {"relationalDatabaseName", "logStreamName", "events"}
    _members(body, {*required, *_STATE_MEMBERS}, required)
    events = body["events"]
    if not isinstance(events, list):
        raise LightmockUsageError(f"events must be a list of {{createdAt, message}} objects, got {events!r}")
    pairs = []
    for index, event in enumerate(events):
        if not isinstance(event, dict):
            raise LightmockUsageError(f"events[{index}] must be an object with createdAt and message, got {event!r}")
        _members(event, {"createdAt", "message"}, {"createdAt", "message"})
        pairs.append((_number(event["createdAt"], f"events[{index}].createdAt"), event["message"]))
    stored = _handle(served, body).put_database_log_events(
        _required_text(body, "relationalDatabaseName"),
        _required_text(body, "logStreamName"),
        pairs,
        region=_text(body, "region"),
    )
    return {"stored": stored}


def _container_log(served: Served, request: ControlRequest) -> Json:
    """Seed log events of a container (``LightsailMock.put_container_log``)."""
    body = request.body
    required = {"serviceName", "containerName", "events"}
    _members(body, {*required, *_STATE_MEMBERS}, required)
    events = body["events"]
    if not isinstance(events, list):
        raise LightmockUsageError(f"events must be a list, got {events!r}")
    parsed: list[str | tuple[float, str]] = []
    for event in events:
        if isinstance(event, str):
            parsed.append(event)
            continue
        if not isinstance(event, dict) or set(event) != {"createdAt", "message"}:
            raise LightmockUsageError(
                f'an event is a message or {{"createdAt": epoch seconds, "message"}}; got {event!r}'
            )
        parsed.append((_number(event["createdAt"], "createdAt"), _required_text(event, "message")))
    added = _handle(served, body).put_container_log(
        _required_text(body, "serviceName"), _required_text(body, "containerName"), parsed, region=_text(body, "region")
    )
    return {"added": added}


def _alarm_history(served: Served, request: ControlRequest) -> Json:
    query = request.query
    _members(query, {"alarmName", *_STATE_MEMBERS}, {"alarmName"})
    changes = _handle(served, query).alarm_history(_required_text(query, "alarmName"), region=query.get("region"))
    return {
        "history": [
            {
                "timestamp": _iso(change.timestamp),
                "oldState": str(change.old_state),
                "newState": str(change.new_state),
                "reason": change.reason,
            }
            for change in changes
        ]
    }


def _notifications(served: Served, request: ControlRequest) -> Json:
    _members(request.query, set())
    return {
        "notifications": [
            {
                "alarmName": note.alarm_name,
                "state": str(note.state),
                "protocol": str(note.protocol),
                "endpoint": note.endpoint,
                "timestamp": _iso(note.timestamp),
                "region": note.region,
                "test": note.test,
            }
            for note in served.handle.notifications
        ]
    }


def _verify(served: Served, request: ControlRequest) -> Json:
    body = request.body
    _members(body, {"protocol", *_STATE_MEMBERS})
    protocol = _text(body, "protocol") or "Email"
    try:
        _handle(served, body).verify_contact_method(protocol, region=_text(body, "region"))
    except ValueError:  # not a ContactProtocol
        raise LightmockUsageError(f"protocol must be Email or SMS, got {protocol!r}") from None
    return {"verified": protocol}


def _faults(served: Served, request: ControlRequest) -> Json:
    if request.method == "DELETE":
        with served.store.lock:
            served.store.injected.clear()
        return {"cleared": True}
    body = request.body
    _members(body, {"operation", "error", "times", "message", *_STATE_MEMBERS}, {"operation"})
    operation = _required_text(body, "operation")
    times = body.get("times", 1)
    if isinstance(times, bool) or not isinstance(times, int):
        raise LightmockUsageError(f"times must be a positive integer, got {times!r}")
    _handle(served, body).inject_error(
        operation,
        _text(body, "error") or "ServiceException",
        times=times,
        message=_text(body, "message"),
        region=_text(body, "region"),
    )
    return {"injected": operation}


def _transitions(served: Served, request: ControlRequest) -> Json:
    """The transition mode (GET), or a new one (POST ``{"mode": ...}``): docs/transitions.md."""
    if request.method == "POST":
        _members(request.body, {"mode", "accountId"}, {"mode"})
        _handle(served, request.body).set_transitions(_required_text(request.body, "mode"))
    else:
        _members(request.query, set())
    return {"mode": served.handle.transition_mode}


def _finish_transitions(served: Served, request: ControlRequest) -> Json:
    """Finish the pending transitions (``{"resourceName": ...}`` for one resource's)."""
    _members(request.body, {"resourceName", "accountId"})
    finished = _handle(served, request.body).finish_transitions(_text(request.body, "resourceName"))
    return {"finished": finished}


def _validate_certificate(served: Served, request: ControlRequest) -> Json:
    """Validate a certificate pending validation (``{"certificateName": ...}``), as
    ``LightsailMock.validate_certificate`` does."""
    body = request.body
    _members(body, {"certificateName", *_STATE_MEMBERS}, {"certificateName"})
    name = _required_text(body, "certificateName")
    _handle(served, body).validate_certificate(name, region=_text(body, "region"))
    return {"validated": name}


def _camel(name: str) -> str:
    head, *rest = name.split("_")
    return head + "".join(part.title() for part in rest)


def _plain(value: Any) -> Any:
    """A record's value as JSON: datetimes as ISO-8601, enums as their wire strings."""
    if isinstance(value, datetime):
        return _iso(value)
    if isinstance(value, enum.Enum):
        return str(value.value)
    if dataclasses.is_dataclass(value) and not isinstance(value, type):
        return {_camel(field.name): _plain(getattr(value, field.name)) for field in dataclasses.fields(value)}
    if isinstance(value, tuple) and hasattr(value, "_asdict"):
        return {_camel(name): _plain(item) for name, item in value._asdict().items()}
    if isinstance(value, Mapping):
        return {str(key): _plain(item) for key, item in value.items()}
    if isinstance(value, list | tuple):
        return [_plain(item) for item in value]
    if isinstance(value, float) and not math.isfinite(value):
        return None
    return value


def _calls(served: Served, request: ControlRequest) -> Json:
    """The calls of one account (``accountId``, else the server's), as the handle's ``calls``
    lists them; ``region`` narrows them to one region."""
    query = request.query
    _members(query, _STATE_MEMBERS)
    account_id = _handle(served, query).account_id
    region = _text(query, "region")
    calls = [
        call
        for call in served.handle.calls
        if call.account_id == account_id and (region is None or call.region == region)
    ]
    return {"calls": [_plain(call) for call in calls]}


Route = Callable[[Served, ControlRequest], Json]

#: path -> the methods it takes -> what answers them.
ROUTES: dict[str, dict[str, Route]] = {
    "health": {"GET": _health},
    "reset": {"POST": _reset},
    "clock": {"GET": _clock, "POST": _clock},
    "metric-data": {"POST": _metric_data},
    "database-log-events": {"POST": _database_log_events},
    "container-log": {"POST": _container_log},
    "alarm-history": {"GET": _alarm_history},
    "notifications": {"GET": _notifications},
    "contact-methods/verify": {"POST": _verify},
    "faults": {"POST": _faults, "DELETE": _faults},
    "calls": {"GET": _calls},
    "transitions": {"GET": _transitions, "POST": _transitions},
    "transitions/finish": {"POST": _finish_transitions},
    "certificates/validate": {"POST": _validate_certificate},
}


def answer(served: Served, request: ControlRequest) -> ControlAnswer:
    """The control API's answer; misuse and unknown routes are answered, not raised."""
    methods = ROUTES.get(request.route)
    try:
        if methods is None:
            raise ControlError(f"no control route /_lightmock/{request.route}; routes: {', '.join(ROUTES)}", 404)
        route = methods.get(request.method)
        if route is None:
            raise ControlError(f"/_lightmock/{request.route} takes {', '.join(methods)}, not {request.method}", 405)
        return ControlAnswer(200, route(served, request))
    except LightmockUsageError as error:
        return ControlAnswer(400, {"error": "LightmockUsageError", "message": str(error)})
    except ControlError as error:
        return ControlAnswer(error.status, {"error": "ControlError", "message": str(error)})
