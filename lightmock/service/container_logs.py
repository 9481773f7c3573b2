"""GetContainerLog, and the log events test code seeds through the handle
(``LightsailMock.put_container_log``) or the control API (``POST /_lightmock/container-log``).

As the API reference describes the operation (docs/service-reference.md §19.4): the events of
one container, "merged from all nodes" of the service; ``startTime`` and ``endTime`` bound
them; ``filterPattern`` keeps "a specific term": ``""`` all, ``"ERROR"`` those containing
ERROR, ``"-ERROR"`` those without it, ``"ERROR Exception"`` those with both, ``"?ERROR
?Exception"`` those with either (CloudWatch Logs' term syntax, whose double quotes make a
phrase one term); pages follow with ``pageToken``/``nextPageToken``.

Chosen here (docs/limits.md): events oldest first, as many a page as the mock's page size
(100 by default); terms match anywhere in a message, case-sensitively, as CloudWatch's do;
a container that never ran in a deployment of the service and has no seeded events is an
``InvalidInputException``. No retention limit is applied.
"""

from __future__ import annotations

import shlex
from collections.abc import Callable, Iterable, Sequence
from datetime import datetime
from typing import Any

from lightmock.core.clock import to_epoch
from lightmock.core.domain import ResourceType
from lightmock.core.exceptions import InvalidInputException, LightmockUsageError
from lightmock.core.quoting import quoted
from lightmock.core.wire import Wire, wire_time
from lightmock.engine import timeline
from lightmock.engine.container_logs import ContainerLog
from lightmock.engine.store import Store
from lightmock.service import family, paging
from lightmock.service.context import RequestContext
from lightmock.service.kinds import Family

_TYPE = ResourceType.CONTAINER_SERVICE
_OPERATION = "GetContainerLog"

Matcher = Callable[[str], bool]


def matcher(pattern: str) -> Matcher | None:
    """The test a filter pattern makes of a message (None: every message passes)."""
    try:
        terms = shlex.split(pattern, posix=True)
    except ValueError:
        raise InvalidInputException(
            f"filterPattern: unbalanced quotes in {quoted(pattern)}", code="ValidationError"
        ) from None
    required = [term for term in terms if term[:1] not in "-?" or len(term) == 1]
    excluded = [term[1:] for term in terms if term.startswith("-") and len(term) > 1]
    optional = [term[1:] for term in terms if term.startswith("?") and len(term) > 1]
    if not (required or excluded or optional):
        return None

    def matches(message: str) -> bool:
        return (
            all(term in message for term in required)
            and not any(term in message for term in excluded)
            and (not optional or any(term in message for term in optional))
        )

    return matches


def _containers(service: Any) -> set[str]:
    names = {name for entry in service.private.get("deployments", []) for name in entry["containers"]}
    return names | set(service.private.get("logs", {}))


def get_container_log(context: RequestContext, params: dict[str, Any]) -> Wire:
    service = family.find(context, _TYPE, params["serviceName"])
    container = params["containerName"]
    if container not in _containers(service):
        raise InvalidInputException(
            f"The container {quoted(container, bare=True)} has not run on the container service {service.name}",
            code="ValidationError",
        )
    start = float(params.get("startTime", float("-inf")))
    end = float(params.get("endTime", float("inf")))
    if start > end:
        raise InvalidInputException("startTime must not be after endTime", code="InvalidTimeRange")
    keep = matcher(params.get("filterPattern", ""))
    log: ContainerLog = service.private.get("logs", {}).get(container, ContainerLog())
    low, high = log.window(start, min(end, context.now))
    token = params.get("pageToken")
    if token:
        after_time, after = paging.decode_token(_OPERATION, token)
        owner, _, position = after.rpartition("#")
        if owner != container or not position.isdigit():  # a token of another container's log
            raise InvalidInputException(
                f"The page token is not valid for {_OPERATION}: {quoted(token)}", code="InvalidPageToken"
            )
        resume = int(position)
        if not (resume < len(log) and log.times[resume] == after_time):
            resume = log.window(after_time, after_time)[0]
        low = max(low, resume)
    page_size = context.store.options.page_size
    times, messages = log.times, log.messages
    chosen: list[int] = []
    index = low
    while index < high and len(chosen) < page_size:
        if keep is None or keep(messages[index]):
            chosen.append(index)
        index += 1
    body: Wire = {"logEvents": [{"createdAt": wire_time(times[i]), "message": messages[i]} for i in chosen]}
    # Another page if an event after this one passes the filter.
    following = next((i for i in range(index, high) if keep is None or keep(messages[i])), None)
    if following is not None:
        body["nextPageToken"] = paging.encode_token(_OPERATION, (times[following], f"{container}#{following}"))
    return body


def _events(events: Iterable[Any], now: float) -> list[tuple[float, str]]:
    result = []
    for event in events:
        if isinstance(event, str):
            result.append((now, event))
            continue
        if not (isinstance(event, Sequence) and len(event) == 2 and isinstance(event[1], str)):
            raise LightmockUsageError(
                f"a log event is a message, or a (time, message) pair with an aware datetime or epoch seconds; "
                f"got {event!r}"
            )
        when = event[0]
        if not isinstance(when, datetime | int | float) or isinstance(when, bool):
            raise LightmockUsageError(f"a log event's time is an aware datetime or epoch seconds; got {when!r}")
        result.append((to_epoch(when), event[1]))
    return result


def seed(store: Store, account_id: str, region: str, service_name: str, container: str, events: Iterable[Any]) -> int:
    """Add log events to a container of a service; how many were added. A message alone is
    stamped with the mock's clock."""
    if not container:
        raise LightmockUsageError("container must be a container name")
    with timeline.settled(store) as now:
        parsed = _events(events, now)
        service = store.region(account_id, region).resources[_TYPE].get(service_name)
        if service is None:
            raise LightmockUsageError(f"there is no container service {service_name!r} in {region}")
        logs = dict(service.private.get("logs", {}))
        logs[container] = logs.get(container, ContainerLog()).with_events(parsed)
        service.private = {**service.private, "logs": logs}
        return len(parsed)


FAMILY = Family(title="Container logs", operations={"GetContainerLog": get_container_log})
