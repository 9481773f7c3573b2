"""A database's logs: GetRelationalDatabaseLogStreams, GetRelationalDatabaseLogEvents, and
seeding log events through the handle (docs/service-reference.md §20.7).

A MySQL database's streams are ``audit``, ``error``, ``general`` and ``slowquery`` (aws-cli
``get-relational-database-log-streams`` example); a PostgreSQL database's ``postgresql``
(**inferred**: the log RDS publishes for PostgreSQL, beside its ``upgrade`` log). The mock
writes no log lines of its own: a test seeds them (``LightsailMock.put_database_log_events``,
``POST /_lightmock/database-log-events``).

GetRelationalDatabaseLogEvents (model; aws-cli ``get-relational-database-log-events``
example): ``logStreamName`` required; ``startTime`` and ``endTime`` bound the events;
``startFromHead`` true reads from the head of the log, false (the default) from its tail,
"For PostgreSQL, the default value of false is the only option available"; the answer's
``resourceLogEvents`` (``createdAt``, ``message``) are oldest first, with a
``nextForwardToken`` and a ``nextBackwardToken``, either of which ``pageToken`` takes.

lightmock, as CloudWatch Logs' GetLogEvents pages (on which the model's tokens are
patterned): both tokens in every answer; a forward token reads the events after the page,
a backward token those before it; at the end of the log the forward token comes back as
it was sent, which is how a reader knows it is done. A page holds the mock's page size
(100 by default). ``startTime`` is inclusive and ``endTime`` exclusive; an event after the
mock's clock is not shown yet. An unknown stream is a ``NotFoundException``; ``startFromHead``
on PostgreSQL, or ``startTime`` after ``endTime``, an ``InvalidInputException``. Tokens are
signed and belong to their database and stream.
"""

from __future__ import annotations

import bisect
import itertools
import re
from collections.abc import Iterable
from datetime import datetime
from typing import Any

from lightmock.core.clock import to_epoch
from lightmock.core.domain import ResourceType
from lightmock.core.exceptions import InvalidInputException, LightmockUsageError, NotFoundException
from lightmock.core.quoting import quoted
from lightmock.core.records import Resource
from lightmock.core.wire import Wire, wire_time
from lightmock.engine import timeline
from lightmock.engine.store import Store
from lightmock.service import family, paging
from lightmock.service.context import RequestContext
from lightmock.service.kinds import Family

#: The log streams of each engine.
STREAMS: dict[str, tuple[str, ...]] = {
    "mysql": ("audit", "error", "general", "slowquery"),
    "postgres": ("postgresql",),
}

#: One log event as kept: (time, sequence number, message); the number orders events of
#: the same time as they were seeded.
LogEvent = tuple[float, int, str]

_TOKEN_SIDE = re.compile(r"([fb])(-?\d{1,12})")
_SEQUENCE = itertools.count()


def _logs(database: Resource) -> dict[str, tuple[LogEvent, ...]]:
    logs: dict[str, tuple[LogEvent, ...]] = database.private.get("logs", {})
    return logs


def seed(
    store: Store,
    account_id: str,
    region: str,
    database_name: str,
    stream: str,
    events: Iterable[tuple[datetime | float, str]],
) -> int:
    """Add log events to a database's stream; returns how many were stored."""
    pairs = list(events)
    checked: list[tuple[float, str]] = []
    for index, pair in enumerate(pairs):
        if not (isinstance(pair, tuple | list) and len(pair) == 2):
            raise LightmockUsageError(f"events[{index}] must be a (timestamp, message) pair, got {pair!r}")
        moment, message = pair
        if not isinstance(message, str):
            raise LightmockUsageError(f"events[{index}]: the message must be a string, got {message!r}")
        checked.append((to_epoch(moment), message))
    with timeline.settled(store):
        state = store.region(account_id, region)
        database = state.resources[ResourceType.RELATIONAL_DATABASE].get(database_name)
        if database is None:
            raise LightmockUsageError(f"there is no database {database_name!r} in {region}")
        streams = STREAMS[database.body["engine"]]
        if stream not in streams:
            raise LightmockUsageError(
                f"a {database.body['engine']} database has no log stream {stream!r}; it has: {', '.join(streams)}"
            )
        logs = _logs(database)
        added = [(at, next(_SEQUENCE), message) for at, message in checked]
        merged = tuple(sorted((*logs.get(stream, ()), *added)))
        database.private = {**database.private, "logs": {**logs, stream: merged}}
        return len(added)


def get_relational_database_log_streams(context: RequestContext, params: dict[str, Any]) -> Wire:
    database = family.find(context, ResourceType.RELATIONAL_DATABASE, params["relationalDatabaseName"])
    return {"logStreams": list(STREAMS[database.body["engine"]])}


def _token(operation: str, side: str, key: tuple[float, int]) -> str:
    return paging.encode_token(operation, (key[0], f"{side}{key[1]:012d}"))


def get_relational_database_log_events(context: RequestContext, params: dict[str, Any]) -> Wire:
    database = family.find(context, ResourceType.RELATIONAL_DATABASE, params["relationalDatabaseName"])
    engine = database.body["engine"]
    stream = params["logStreamName"]
    if stream not in STREAMS[engine]:
        raise NotFoundException(
            f"The log stream does not exist: {quoted(stream, bare=True)} (the streams of {database.name} are "
            f"{', '.join(STREAMS[engine])})",
            code="DoesNotExist",
        )
    from_head = params.get("startFromHead", False)
    if from_head and engine == "postgres":
        raise InvalidInputException(
            "startFromHead: for PostgreSQL, the default value of false is the only option available",
            code="ValidationError",
        )
    start = float(params["startTime"]) if "startTime" in params else None
    end = float(params["endTime"]) if "endTime" in params else None
    if start is not None and end is not None and start > end:
        raise InvalidInputException("startTime must not be after endTime", code="ValidationError")
    events = [
        event
        for event in _logs(database).get(stream, ())
        if event[0] <= context.now and (start is None or event[0] >= start) and (end is None or event[0] < end)
    ]
    keys = [(at, sequence) for at, sequence, _ in events]
    size = context.store.options.page_size
    # A token names its database and stream: one of another is not valid here.
    operation = f"GetRelationalDatabaseLogEvents:{database.name}:{stream}"
    token = params.get("pageToken")
    boundary = (start if start is not None else 0.0, -1)
    if token:
        at, name = paging.decode_token(operation, token)
        side = _TOKEN_SIDE.fullmatch(name)
        if side is None:  # pragma: no cover - we signed it
            raise InvalidInputException(f"The page token is not valid: {quoted(token)}", code="InvalidPageToken")
        boundary = (at, int(side.group(2)))
        if side.group(1) == "f":
            first = bisect.bisect_right(keys, boundary)
            chosen = range(first, min(first + size, len(events)))
        else:
            last = bisect.bisect_left(keys, boundary)
            chosen = range(max(0, last - size), last)
    elif from_head:
        chosen = range(0, min(size, len(events)))
    else:
        chosen = range(max(0, len(events) - size), len(events))
    forward = keys[chosen[-1]] if chosen else boundary
    backward = keys[chosen[0]] if chosen else boundary
    return {
        "resourceLogEvents": [
            {"createdAt": wire_time(events[index][0]), "message": events[index][2]} for index in chosen
        ],
        "nextBackwardToken": _token(operation, "b", backward),
        "nextForwardToken": _token(operation, "f", forward),
    }


FAMILY = Family(
    title="Relational database logs",
    operations={
        "GetRelationalDatabaseLogStreams": get_relational_database_log_streams,
        "GetRelationalDatabaseLogEvents": get_relational_database_log_events,
    },
)
