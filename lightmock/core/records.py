"""The records of the domain: resources, alarms, contact methods, state changes, notifications.

They live below everything that handles requests or evaluates alarms, so that the store,
the engine and the handlers all import them from here and none imports another's records.
Each record knows its own wire form; the rules that create and change them live in the
service's handlers.
"""

from __future__ import annotations

import functools
from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import datetime
from typing import Any, NamedTuple, TypeVar, cast

import orjson

from lightmock.core.clock import to_datetime
from lightmock.core.domain import (
    ALARM_PERIOD_SECONDS,
    AlarmState,
    ComparisonOperator,
    ContactProtocol,
    MetricSpec,
    ResourceType,
    TreatMissingData,
)
from lightmock.core.wire import Wire, wire_time

_Record = TypeVar("_Record", bound=tuple[Any, ...])


def built_in_order(record_type: type[_Record]) -> Callable[[tuple[Any, ...]], _Record]:
    """A maker of ``record_type`` (a ``NamedTuple``) from a tuple of its fields in order,
    without the Python ``__new__`` that ``NamedTuple`` generates, which costs several times
    the tuple itself: for the records made on every call (a logged call and operation, the
    wire response, an alarm's configuration and assessment)."""
    return cast(Callable[[tuple[Any, ...]], _Record], functools.partial(tuple.__new__, record_type))

#: The status of an email contact method until its link is followed, and of any verified one.
PENDING = "PendingVerification"
VALID = "Valid"

_LOCATION_ZONE = "all"
_ALARM_TYPE = ResourceType.ALARM


@dataclass(frozen=True, slots=True, kw_only=True)
class ResourceForm:
    """How one kind of resource goes onto the wire, declared once with its kind.

    ``state`` writes the typed state as the kind's shape wants it (a string for most kinds,
    ``{"code", "name"}`` for an instance); ``tags_shown`` is False for a kind that can be
    tagged but whose model shape has no ``tags`` (a static IP); ``derived`` adds the members
    that follow from typed fields (``attachedTo``, ``isAttached``); ``name_member`` is the
    member the name goes in (``containerServiceName`` for a container service).
    """

    state: Callable[[str], Any] | None = str
    tags_shown: bool = True
    derived: Callable[[Resource], Wire] | None = None
    name_member: str = "name"


_PLAIN = ResourceForm()


@dataclass(slots=True, kw_only=True)
class Resource:
    """One resource of a family (instance, disk, snapshot, static IP, key pair, ...).

    What logic reads is a typed field: ``state``, ``zone`` (``all`` for a regional kind),
    ``tags``, ``attached_to``. ``body`` holds the rest of the record as the model's shape
    for the kind has it; it is replaced, never edited, by a change, and so is every value
    in it (a change builds the new list or object: ``{**old, "state": ...}``), and so are
    ``tags``. ``wire`` builds the record a read returns from both: a fresh top level, which
    a handler may add to or take from, around the body's values, the tags and the
    ``head``'s, shared and never edited (a response is encoded as soon as its handler
    returns; the test suite holds every call to this: ``tests/shared_bodies.py``).
    ``private`` is what the service keeps of a record and no read of the record shows (key
    material, an instance's host keys and Windows password), replaced like ``body`` and
    handed out only by the operations that reveal it. ``stopped`` holds the
    ``[start, end)`` intervals an instance spent stopped (``end`` infinite while it still
    is): it produces no metric data then. ``gone`` is set when the record leaves its
    region, so that a transition still pending for it lapses. (``private`` also holds a
    bucket's access keys, a container service's deployments and images.)
    """

    name: str
    resource_type: ResourceType
    arn: str
    created_at: float
    zone: str = _LOCATION_ZONE
    region: str
    support_code: str | None = None
    state: str | None = None
    tags: list[Wire] = field(default_factory=list)
    attached_to: str | None = None
    body: Wire = field(default_factory=dict)
    private: Wire = field(default_factory=dict)
    form: ResourceForm = _PLAIN
    stopped: list[tuple[float, float]] = field(default_factory=list)
    gone: bool = False
    #: The members that never change (name, ARN, creation time, location, type), built by
    #: the first read and shared, like the body's values, by every later one.
    _head: Wire | None = field(default=None, init=False, repr=False, compare=False)

    @property
    def head(self) -> Wire:
        """The members every read of the record starts with (never edited: shared)."""
        head = self._head
        if head is None:
            head = self._head = {
                self.form.name_member: self.name,
                "arn": self.arn,
                "createdAt": wire_time(self.created_at),
                "location": {"availabilityZone": self.zone, "regionName": self.region},
                "resourceType": str(self.resource_type),
            }
        return head

    @property
    def wire(self) -> Wire:
        """The record as the kind's Get and list operations return it."""
        form = self.form
        head = self._head
        record: Wire = (head if head is not None else self.head).copy()
        if self.support_code is not None:
            record["supportCode"] = self.support_code
        if form.tags_shown:
            record["tags"] = self.tags
        if self.state is not None and form.state is not None:
            record["state"] = form.state(self.state)
        if form.derived is not None:
            record.update(form.derived(self))
        record.update(self.body)
        return record

    def update(self, **members: Any) -> None:
        """Replace members of ``body`` (a new dict: records handed out earlier stay as they were)."""
        self.body = {**self.body, **members}


@dataclass(frozen=True, slots=True, kw_only=True)
class StateChange:
    """One change of an alarm's state, as the alarm history records it."""

    alarm_name: str
    timestamp: datetime
    old_state: AlarmState
    new_state: AlarmState
    reason: str

    def __repr__(self) -> str:
        return (
            f"StateChange({self.alarm_name!r} {self.old_state} -> {self.new_state} at "
            f"{self.timestamp.isoformat()}: {self.reason!r})"
        )


@dataclass(frozen=True, slots=True, kw_only=True)
class Notification:
    """A notification Lightsail would have sent (email or SMS), or a TestAlarm one."""

    alarm_name: str
    state: AlarmState
    protocol: ContactProtocol
    endpoint: str
    timestamp: datetime
    region: str
    test: bool = False


#: The call log keeps the latest calls only (``LightsailMock.calls``, ``/_lightmock/calls``):
#: a long-lived server or a long test keeps a bounded log, the oldest calls dropped first.
MAX_LOGGED_CALLS = 10_000
#: Members whose JSON is longer are kept summarised, not as received (see ``logged_params``).
MAX_LOGGED_PARAMS_BYTES = 8 * 1024
#: In a summary: members whose JSON is at most this long are kept whole, others described.
_KEPT_MEMBER_BYTES = 256
_KEPT_MEMBERS = 16
_KEPT_NAME_CHARACTERS = 64


def _json_size(value: Any) -> int | None:
    """The length of ``value`` as JSON; None when orjson cannot write it back (nested deeper
    than its 254 levels, which its reader allows up to 1024)."""
    try:
        return len(orjson.dumps(value))
    except TypeError:
        return None


def logged_params(params: dict[str, Any]) -> dict[str, Any]:
    """The request members as the call log keeps them: a copy, or a summary when large.

    Members as received are kept when their JSON is at most ``MAX_LOGGED_PARAMS_BYTES``,
    which every call of a test's ordinary size is; a larger request (a refused 2 MB name,
    say) is kept as a summary of at most about 5 KB: its small members whole, each other
    one as a string saying what it was, at most 16 members, names cut. So the log of
    ``MAX_LOGGED_CALLS`` calls stays within about 80 MB of JSON whatever arrives, and a
    few MB for ordinary calls.
    """
    size = _json_size(params)
    if size is not None and size <= MAX_LOGGED_PARAMS_BYTES:
        return dict(params)
    summary: dict[str, Any] = {}
    for index, (name, value) in enumerate(params.items()):
        if index == _KEPT_MEMBERS:
            summary["..."] = f"<not kept: {len(params) - index} more members>"
            break
        if len(name) > _KEPT_NAME_CHARACTERS:
            name = f"{name[:_KEPT_NAME_CHARACTERS]}...<{len(name)} characters>"
        size = _json_size(value)
        if size is not None and size <= _KEPT_MEMBER_BYTES:
            summary[name] = value
        else:
            written = "nested too deep to write" if size is None else f"of {size} bytes as JSON"
            summary[name] = f"<not kept: {type(value).__name__} {written}>"
    return summary


class Call(NamedTuple):
    """One Lightsail call the mock answered, as ``LightsailMock.calls`` lists it.

    ``params`` are the request members as received (a copy; a summary for a request over
    ``MAX_LOGGED_PARAMS_BYTES``: ``logged_params``), ``error`` the error code it was
    answered with (``None`` for a success), ``timestamp`` the mock's clock when the call
    arrived, ``account_id`` the account it was for (a server serves several). Immutable,
    and a ``NamedTuple`` because one is built on every call.
    """

    operation: str
    region: str
    params: dict[str, Any]
    error: str | None
    timestamp: datetime
    account_id: str


class LoggedCall(NamedTuple):
    """A call as the store logs it: its ``Call`` with the time still epoch seconds, turned
    into a datetime only when read (``LightsailMock.calls``), off the path of every call."""

    operation: str
    region: str
    params: dict[str, Any]
    error: str | None
    at: float
    account_id: str

    def call(self) -> Call:
        return Call(self.operation, self.region, self.params, self.error, to_datetime(self.at), self.account_id)


class AlarmConfig(NamedTuple):
    """What PutAlarm sets: everything an update replaces.

    Immutable, and a ``NamedTuple`` rather than a frozen dataclass because PutAlarm builds
    one on every call and a frozen dataclass takes twice as long to build.
    """

    metric: MetricSpec
    resource: Resource
    comparison_operator: ComparisonOperator
    threshold: float
    evaluation_periods: int
    datapoints_to_alarm: int
    treat_missing_data: TreatMissingData
    contact_protocols: tuple[ContactProtocol, ...]
    notification_triggers: tuple[AlarmState, ...]
    notification_enabled: bool
    #: The key of the metric series this alarm watches in the region's store:
    #: ``(resource.resource_type, resource.name, metric.name)``, read four times a PutAlarm.
    metric_key: tuple[ResourceType, str, str]


@dataclass(slots=True, kw_only=True)
class Alarm:
    """One alarm: identity, configuration and state. ``wire`` is rebuilt, never mutated."""

    name: str
    region: str
    account_id: str
    arn: str
    support_code: str
    created_at: float
    tags: tuple[Wire, ...]
    config: AlarmConfig
    state: AlarmState = AlarmState.INSUFFICIENT_DATA
    _wire: Wire | None = field(default=None, init=False, repr=False, compare=False)

    def publish(self) -> None:
        """Say that the alarm changed: its wire record is rebuilt when next read.

        Lazily, because PutAlarm changes an alarm on every call while only GetAlarms
        reads the record. Records handed out earlier stay as they were.
        """
        self._wire = None

    @property
    def wire(self) -> Wire:
        """The alarm as GetAlarms returns it (the model's ``Alarm`` shape).

        Enum members go in as they are: each is a ``str`` equal to its wire string, and
        the encoder writes it as one.
        """
        if self._wire is not None:
            return self._wire
        config = self.config
        resource = config.resource
        metric = config.metric
        self._wire = {
            "name": self.name,
            "arn": self.arn,
            "createdAt": wire_time(self.created_at),
            "location": {"availabilityZone": _LOCATION_ZONE, "regionName": self.region},
            "resourceType": _ALARM_TYPE,
            "supportCode": self.support_code,
            "monitoredResourceInfo": {
                "arn": resource.arn,
                "name": resource.name,
                "resourceType": resource.resource_type,
            },
            "comparisonOperator": config.comparison_operator,
            "evaluationPeriods": config.evaluation_periods,
            "period": ALARM_PERIOD_SECONDS,
            "threshold": config.threshold,
            "datapointsToAlarm": config.datapoints_to_alarm,
            "treatMissingData": config.treat_missing_data,
            "statistic": metric.statistic,
            "metricName": metric.name,
            "state": self.state,
            "unit": metric.unit,
            "contactProtocols": list(config.contact_protocols),
            "notificationTriggers": list(config.notification_triggers),
            "notificationEnabled": config.notification_enabled,
            "tags": list(self.tags),
        }
        return self._wire


@dataclass(slots=True, kw_only=True)
class ContactMethod:
    """One contact method; its record (``wire``) is the one place its status is kept."""

    protocol: ContactProtocol
    endpoint: str
    wire: Wire

    @property
    def status(self) -> str:
        return str(self.wire["status"])

    @property
    def deliverable(self) -> bool:
        """Whether a notification reaches it: an email only once verified."""
        return self.status == VALID

    def verify(self) -> None:
        self.wire = {**self.wire, "status": VALID}  # a new record: handed-out ones stay as they were


class LoggedOperation(NamedTuple):
    """An Operation record as the region's log keeps it: finished, and only what varies.

    A tuple rather than the record itself because every mutating call logs one (PutAlarm
    included, on every alarm test's path): it costs a fraction of a dict copy to build and
    to keep. ``wire`` builds the record GetOperation returns, ``Succeeded`` and terminal.
    """

    id: str
    resource_name: str
    resource_type: str
    created_at: float
    availability_zone: str
    operation_type: str | None
    details: str | None

    def wire(self, region: str) -> Wire:
        record: Wire = {
            "id": self.id,
            "resourceName": self.resource_name,
            "resourceType": self.resource_type,
            "createdAt": self.created_at,
            "location": {"availabilityZone": self.availability_zone, "regionName": region},
            "isTerminal": True,
        }
        if self.details is not None:
            record["operationDetails"] = self.details
        if self.operation_type is not None:
            record["operationType"] = self.operation_type
        record["status"] = "Succeeded"
        record["statusChangedAt"] = self.created_at
        return record
