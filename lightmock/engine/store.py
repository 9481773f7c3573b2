"""The in-memory state of one mock: a store of regions, each keyed by (account, region).

One ``Store`` belongs to the outermost active mock and is shared by nested ones. One
re-entrant lock guards it all: handlers validate and build everything first, then commit
in one step while holding it, so a concurrent reader never sees half an operation and a
rejected call changes nothing. Alarm evaluation and notifications span regions (they are
recorded in time order across all of them), which is why the lock is per store.
"""

from __future__ import annotations

import os
import threading
import weakref
from collections import deque
from dataclasses import dataclass, field
from typing import Any

from lightmock.core.clock import Clock
from lightmock.core.domain import METRICS_BY_RESOURCE_TYPE, ContactProtocol, ResourceType
from lightmock.core.records import (
    MAX_LOGGED_CALLS,
    Alarm,
    AlarmConfig,
    ContactMethod,
    LoggedCall,
    Notification,
    Resource,
)
from lightmock.core.registry import Registry
from lightmock.engine.history import Change
from lightmock.engine.metricstore import MetricStore
from lightmock.engine.oplog import OperationLog
from lightmock.engine.transitions import Transitions

DEFAULT_ACCOUNT_ID = "123456789012"
DEFAULT_REGION = "us-east-1"
DEFAULT_PAGE_SIZE = 100


class ResourceTables(dict[ResourceType, Registry[str, Resource]]):
    """The resources of a region by kind: a ``Registry`` for every resource type, so that
    every family keeps its records the same way and pages them alike (a read never adds
    a table)."""

    def __init__(self) -> None:
        super().__init__((resource_type, Registry()) for resource_type in ResourceType)


@dataclass(slots=True)
class RegionState:
    """Everything of one account in one region."""

    account_id: str
    region: str
    resources: ResourceTables = field(default_factory=ResourceTables)
    alarms: Registry[str, Alarm] = field(default_factory=Registry)
    contact_methods: dict[ContactProtocol, ContactMethod] = field(default_factory=dict)
    metrics: MetricStore[tuple[ResourceType, str, str]] = field(default_factory=MetricStore)
    history: dict[str, list[Change]] = field(default_factory=dict)
    #: The names of the alarms that watch each metric, by ``AlarmConfig.metric_key``: the
    #: per-metric alarm limit and a resource's deletion then look at those alarms only,
    #: so PutAlarm costs the same however many alarms the region holds.
    watchers: dict[tuple[ResourceType, str, str], set[str]] = field(default_factory=dict)
    #: The public IPv4 addresses records of the region hold (``service/addresses.py``).
    public_ipv4s: set[str] = field(default_factory=set)
    #: Every Operation record the region has returned, oldest first and by id, as
    #: GetOperation(s) report it (``service/operations.py``).
    operations: OperationLog = field(default_factory=OperationLog)
    #: What a family keeps beside its records, by the family's own key (the automatic
    #: snapshots' schedules: ``service/auto_snapshots.py``).
    family_state: dict[str, Any] = field(default_factory=dict)

    def add_alarm(self, alarm: Alarm) -> None:
        """Store a new alarm, with an empty history."""
        self.alarms[alarm.name] = alarm
        self.history[alarm.name] = []
        self.watchers.setdefault(alarm.config.metric_key, set()).add(alarm.name)

    def reconfigure(self, alarm: Alarm, config: AlarmConfig) -> None:
        """Replace a stored alarm's configuration (it may watch another metric now)."""
        key = config.metric_key
        if alarm.config.metric_key != key:  # (on the same metric, its watchers stay as they are)
            self._unwatch(alarm)
            self.watchers.setdefault(key, set()).add(alarm.name)
        alarm.config = config

    def remove_alarm(self, name: str) -> None:
        """Forget an alarm and its history."""
        alarm = self.alarms.pop(name)
        self.history.pop(name, None)
        self._unwatch(alarm)

    def _unwatch(self, alarm: Alarm) -> None:
        key = alarm.config.metric_key
        names = self.watchers[key]
        names.discard(alarm.name)
        if not names:
            del self.watchers[key]

    def find_resource(self, name: str) -> Resource | None:
        """The resource of that name among the kinds an alarm can watch (their names are
        kept unique across those kinds: ``service/family.py``)."""
        for resource_type in METRICS_BY_RESOURCE_TYPE:
            resource = self.resources[resource_type].get(name)
            if resource is not None:
                return resource
        return None


@dataclass(slots=True, kw_only=True)
class StoreOptions:
    page_size: int = DEFAULT_PAGE_SIZE
    sorted_metric_data: bool = False


class Store:
    """The state behind one outermost mock activation."""

    def __init__(self, clock: Clock, options: StoreOptions) -> None:
        self.clock = clock
        self.options = options
        self.lock = threading.RLock()
        self.regions: dict[tuple[str, str], RegionState] = {}
        self.notifications: list[Notification] = []
        #: Pending injected errors: (account, region, operation) -> [error class, message, times left].
        self.injected: dict[tuple[str, str, str], list[Any]] = {}
        #: The latest 300-second boundary at which every alarm has been evaluated.
        self.evaluated_through: float | None = None
        #: The alarm engine's arrays (``engine.fleet.Fleet``), kept while no alarm changes.
        self.fleet: Any = None
        #: The calls answered, in order (``LightsailMock.calls``): the latest ``MAX_LOGGED_CALLS``.
        self.calls: deque[LoggedCall] = deque(maxlen=MAX_LOGGED_CALLS)
        #: Resources between a transitional and a final state (``engine/transitions.py``).
        self.transitions = Transitions()
        _stores.add(self)

    def clear(self) -> None:
        """Forget everything (regions, notifications, injected errors); the clock stays."""
        with self.lock:
            self.regions = {}
            self.notifications = []
            self.injected = {}
            self.evaluated_through = None
            self.fleet = None
            self.calls = deque(maxlen=MAX_LOGGED_CALLS)
            self.transitions = Transitions()

    def region(self, account_id: str, region: str) -> RegionState:
        key = (account_id, region)
        state = self.regions.get(key)
        if state is None:
            state = self.regions[key] = RegionState(account_id, region)
        return state


_stores: weakref.WeakSet[Store] = weakref.WeakSet()


def _fresh_locks_in_child() -> None:
    """A forked child gets fresh store locks: a thread of the parent may have held one
    mid-call, and that thread does not exist in the child to release it."""
    for store in list(_stores):
        store.lock = threading.RLock()


os.register_at_fork(after_in_child=_fresh_locks_in_child)
