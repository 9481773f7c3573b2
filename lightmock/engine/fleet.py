"""Every alarm of a store as arrays, kept from one evaluation to the next.

A test that moves the clock five minutes at a time asks for one evaluation of every
alarm at every step. Rebuilding the alarms' parameters and reading each alarm's
datapoints one by one made that cost grow with alarms x steps in Python; here both are
built once and reused while nothing changes:

* the parameters (``AlarmParams``) and, for each alarm, which metric series it reads,
  until an alarm is added, removed or reconfigured (the lists of alarms and of their
  configurations are compared by identity: PutAlarm builds a new configuration every
  time, and may change the alarm's state with it);
* the per-period statistic of every series an alarm reads (the alarm's statistic),
  laid end to end under one sorted key (series number, period), until a metric store
  changes (``MetricStore.version``), so that the datapoints of every alarm over any
  range of periods are one binary search per (series, period) and one gather, whatever
  the number of series, and the next period with a datapoint, or the last one before a
  period, is one binary search per series (``quiet``, ``seen_until``: the catch-up
  crosses a stretch without datapoints in one evaluation);
* the datapoints of the last range read: a range that starts a few periods later reads
  only the new periods (add the new period, drop the old), so a catch-up of one step
  costs one search per series, not one per series and period;
* every alarm's state as a code, which only the replay changes while the fleet lasts
  (PutAlarm, the one other writer, replaces a configuration and so the fleet).
"""

from __future__ import annotations

from dataclasses import dataclass, field
from operator import is_
from typing import Any

import numpy as np
from numpy.typing import NDArray

from lightmock.core.domain import MetricStatistic, ResourceType
from lightmock.core.records import Alarm, AlarmConfig
from lightmock.engine.evaluator import STATE_CODE, AlarmParams, evaluation_range
from lightmock.engine.metricstore import PERIOD
from lightmock.engine.store import RegionState, Store

__all__ = ["Fleet", "fleet_of"]

#: Periods are numbered from the epoch; those within +-2**33 (about 80,000 years) are
#: indexed, which covers every time a clock (a datetime) can reach.
_REACH = 2**33
#: The key of (series s, period p) is ``s * _SPAN + p + _REACH``: exact in int64.
_SPAN = 2**34

_Source = tuple[RegionState, tuple[ResourceType, str, str], MetricStatistic]


@dataclass(slots=True, eq=False)
class Fleet:
    """The alarms of every region, in order (region by region), and their arrays."""

    members: list[tuple[RegionState, Alarm]]
    alarms: list[Alarm]
    configs: list[AlarmConfig]
    params: AlarmParams
    #: The widest evaluation range, R = N + 2 for the largest N.
    widest: int
    #: For each alarm, the number of its source in ``sources``.
    rows: NDArray[np.intp]
    sources: list[_Source]
    #: The regions of the sources, once each: whose metric stores to watch.
    regions: list[RegionState] = field(default_factory=list)
    #: Every alarm's state code (``evaluator.STATE_CODE``), kept by the replay.
    states: NDArray[np.int8] = field(default_factory=lambda: np.empty(0, dtype=np.int8))
    versions: tuple[int, ...] = ()
    keys: NDArray[np.int64] = field(default_factory=lambda: np.empty(0, dtype=np.int64))
    data: NDArray[np.float64] = field(default_factory=lambda: np.empty(0))
    #: The last range read: the period after its last one, and its datapoints per source.
    _read_to: int = 0
    _read: NDArray[np.float64] = field(default_factory=lambda: np.empty((0, 0)))

    def datapoints(self, end: float, count: int) -> NDArray[np.float64]:
        """Each alarm's datapoints for the ``count`` periods that end at the boundary
        ``end``: one row per alarm, NaN where a period has no samples."""
        stop = round(end / PERIOD)
        first = stop - count
        self._index_data()
        read_from = self._read_to - self._read.shape[1]
        if read_from <= first < self._read_to <= stop:
            # The new range starts inside the last one: keep its overlap, read the rest.
            kept = self._read[:, first - read_from :]
            read = np.concatenate([kept, self._lookup(self._read_to, stop)], axis=1)
        else:
            read = self._lookup(first, stop)
        self._read, self._read_to = read, stop
        return read[self.rows]

    def _lookup(self, first: int, stop: int) -> NDArray[np.float64]:
        """The datapoints of periods ``first`` to ``stop - 1``, one row per source."""
        periods = np.arange(first, stop, dtype=np.int64) + _REACH
        sources = np.arange(len(self.sources), dtype=np.int64)[:, None] * _SPAN
        wanted = (sources + periods).ravel()
        found = np.full(wanted.size, np.nan)
        if self.keys.size:
            at = np.searchsorted(self.keys, wanted)
            np.minimum(at, self.keys.size - 1, out=at)
            hit = self.keys[at] == wanted
            found[hit] = self.data[at[hit]]
        return found.reshape(len(self.sources), stop - first)

    def quiet(self, boundary: int) -> int:
        """How many boundaries from ``boundary`` on see no datapoint of any alarm's metric.

        Boundaries are numbered as periods: the evaluation at ``b * PERIOD`` looks at
        periods ``b - widest`` to ``b - 1`` at most. If the first period at or after
        ``boundary - widest`` with a datapoint is ``p``, no boundary from ``boundary``
        to ``p`` sees one (each sees only periods before itself, and none before
        ``boundary - widest``), and ``p + 1`` does. ``_REACH`` when no datapoint lies ahead.
        """
        ahead = self._nearest(boundary - self.widest, after=True)
        return _REACH if ahead is None else max(0, ahead - boundary + 1)

    def seen_until(self, boundary: int) -> int | None:
        """The last boundary up to ``boundary`` that sees a datapoint (the last period
        before ``boundary`` with one, plus ``widest``), or None if none does."""
        behind = self._nearest(boundary, after=False)
        return None if behind is None else min(boundary, behind + self.widest)

    def _nearest(self, period: int, *, after: bool) -> int | None:
        """The first period at or after ``period`` (``after``), or the last one before it,
        in which some alarm's metric has a datapoint: one binary search per series."""
        self._index_data()
        if not self.keys.size:
            return None
        sources = np.arange(len(self.sources), dtype=np.int64) * _SPAN
        wanted = sources + (_REACH + min(max(period, -_REACH), _REACH))
        at = np.searchsorted(self.keys, wanted)
        if not after:
            at -= 1
        inside = (at >= 0) & (at < self.keys.size)
        found = self.keys[at[inside]] - sources[inside]
        # A key of another series is no datapoint of this one.
        found = found[(found >= 0) & (found < _SPAN)] - _REACH
        if not found.size:
            return None
        return int(found.min() if after else found.max())

    def _index_data(self) -> None:
        """Rebuild the index, and forget the last range read, if a metric store changed."""
        versions = tuple(state.metrics.version for state in self.regions)
        if versions == self.versions:
            return
        self._read, self._read_to = np.empty((len(self.sources), 0)), 0
        keys, data = [], []
        for number, (state, key, statistic) in enumerate(self.sources):
            series = state.metrics.get(key)
            if series is None:
                continue
            starts, values = series.periods.statistic(statistic)
            periods = starts / PERIOD
            reachable = np.abs(periods) < _REACH
            keys.append(number * _SPAN + _REACH + periods[reachable].astype(np.int64))
            data.append(values[reachable])
        self.keys = np.concatenate(keys) if keys else np.empty(0, dtype=np.int64)
        self.data = np.concatenate(data) if data else np.empty(0)
        self.versions = versions


def fleet_of(store: Store) -> Fleet | None:
    """The store's alarms as a ``Fleet`` (the cached one while no alarm changed), or None."""
    members = [(state, alarm) for state in store.regions.values() for alarm in state.alarms.values()]
    if not members:
        return None
    alarms = [alarm for _, alarm in members]
    configs = [alarm.config for alarm in alarms]
    cached: Any = store.fleet
    if (
        isinstance(cached, Fleet)
        and len(cached.alarms) == len(alarms)
        and all(map(is_, cached.configs, configs))
        and all(map(is_, cached.alarms, alarms))
    ):
        return cached
    params = AlarmParams.build(
        threshold=[c.threshold for c in configs],
        operator=[c.comparison_operator for c in configs],
        periods=[c.evaluation_periods for c in configs],
        datapoints=[c.datapoints_to_alarm for c in configs],
        treatment=[c.treat_missing_data for c in configs],
    )
    numbers: dict[tuple[int, tuple[ResourceType, str, str], MetricStatistic], int] = {}
    sources: list[_Source] = []
    rows = np.empty(len(members), dtype=np.intp)
    for i, (state, alarm) in enumerate(members):
        config = alarm.config
        source = (state, config.metric_key, config.metric.statistic)
        name = (id(state), source[1], source[2])
        number = numbers.get(name)
        if number is None:
            number = numbers[name] = len(sources)
            sources.append(source)
        rows[i] = number
    fleet = Fleet(
        members=members,
        alarms=alarms,
        configs=configs,
        params=params,
        widest=int(evaluation_range(params.periods.max())),
        rows=rows,
        sources=sources,
        regions=list({id(state): state for state, _, _ in sources}.values()),
        states=np.array([STATE_CODE[alarm.state] for alarm in alarms], dtype=np.int8),
    )
    store.fleet = fleet
    return fleet
