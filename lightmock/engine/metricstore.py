"""Raw metric samples, stored as sorted numpy columns.

Lightsail answers metric queries by aggregating raw samples into buckets
(``aggregate.py``); every such query needs the samples of one metric sorted by time, so
that a time window is two binary searches and a bucket is a contiguous slice. This
module keeps them that way at the cost of the write, which happens far less often than
the read (a demo seeds a day of data once, then alarms and queries read it many times).

A series grows like a Python list (capacity doubling), so seeding a million samples is
one vectorised call, and feeding samples in chronological order, the common case, never
moves the existing ones. Samples that arrive late are merged into place.

Arrays handed out are read-only and never change afterwards: a later append either
writes past their end or builds new buffers. A caller may therefore keep a window while
the series keeps growing, as the alarm engine does between two evaluations.

Each series also knows its 300-second periods (``PeriodSets``): the alarm engine reads
one statistic per period over and over, so an evaluation reads N + 2 numbers found by a
binary search instead of aggregating a time window. While every period holds one sample
the samples are the periods and nothing more is kept; otherwise the position of each
period's first sample is, and a period's statistic is reduced from the columns by
``aggregate.segment_statistic``, the reductions ``aggregate.aggregate`` applies: one
definition of the statistics, so an alarm's datapoints and a 300-second Get*MetricData
bucket are the same floats.
"""

from __future__ import annotations

from bisect import bisect_left
from collections.abc import Callable, Hashable, KeysView
from typing import Generic, TypeVar

import numpy as np
from numpy.typing import ArrayLike, NDArray

from lightmock.core.domain import ALARM_PERIOD_SECONDS, MetricStatistic
from lightmock.engine.aggregate import segment_statistic

__all__ = ["PERIOD", "MetricSeries", "MetricStore", "PeriodSets"]

Floats = NDArray[np.float64]
Ints = NDArray[np.int64]

K = TypeVar("K", bound=Hashable)

#: The first allocation of a series; small, since most series in a test hold a few
#: hundred samples, and doubling reaches a million in fourteen steps.
_MIN_CAPACITY = 64
#: The period of ``PeriodSets``: the alarm engine's.
PERIOD = ALARM_PERIOD_SECONDS
_SAMPLE_COUNT = MetricStatistic.SAMPLE_COUNT
#: The columns of a series without samples.
_NONE: Floats = np.empty(0, dtype=np.float64)
_NONE.flags.writeable = False


def _read_only(array: Floats) -> Floats:
    view = array.view()
    view.flags.writeable = False
    return view


def _as_samples(times: ArrayLike, values: ArrayLike) -> tuple[Floats, Floats]:
    """Validate one batch and return it sorted by time, without its NaN values.

    NaN is how callers (and ``signals.with_gaps``) say "no sample at this time", so it
    is dropped here rather than stored and skipped by every reader. A NaN *time* is a
    caller's bug, not a gap, and is refused.
    """
    t = np.asarray(times, dtype=np.float64).reshape(-1)
    v = np.asarray(values, dtype=np.float64).reshape(-1)
    if t.shape != v.shape:
        raise ValueError(f"times and values differ in length: {t.size} != {v.size}")
    if not np.isfinite(t).all():
        raise ValueError("sample times must be finite epoch seconds")
    keep = ~np.isnan(v)
    if not keep.all():
        t, v = t[keep], v[keep]
    if t.size > 1 and (t[1:] < t[:-1]).any():
        # Stable, so samples sharing a timestamp keep the order they were given in.
        order = np.argsort(t, kind="stable")
        t, v = t[order], v[order]
    return t, v


_Times = TypeVar("_Times", float, Floats)


def period_start(t: _Times) -> _Times:
    """The start of the 300-second period holding each time. ``t % PERIOD`` is exact, so
    unlike ``floor(t / PERIOD)`` a time just before a boundary cannot round up onto it."""
    return t - t % PERIOD


class PeriodSets:
    """The 300-second periods of one series: where each one's samples begin in its columns.

    The alarm engine reads one statistic per period over and over (every PutAlarm, every
    catch-up), so finding a period's samples must cost no more than a binary search. It
    once kept each period's statistic set (count, sum, minimum, maximum and the period's
    start: 40 bytes a period), which for data at the alarm's own resolution, a sample a
    period, cost two and a half times the samples themselves. What is kept now is only
    what the columns cannot give at once:

    * while every period holds exactly one sample (five-minute data, the common case),
      nothing: the periods are the samples, and a period's statistics are its sample
      (sum, minimum, maximum and average ``v / 1`` are ``v``, bit for bit; count 1);
    * otherwise, the position of each period's first sample (8 bytes a period, so at
      most 8 bytes a sample, and 1.6 for one-minute data), its statistics reduced from
      the columns when read by ``aggregate.segment_statistic``, the reductions
      Get*MetricData applies to the same samples: an alarm's datapoint and a 300-second
      bucket are the same float.

    Sparse (only periods that hold samples), since seeded data may leave years between
    two samples. The columns are the series' own (views, updated with every change), so
    the periods cost no copy of them.
    """

    __slots__ = ("_count", "_starts", "_times", "_values", "_views")

    def __init__(self) -> None:
        self._times: Floats = _NONE
        self._values: Floats = _NONE
        #: ``(times, values)`` as memoryviews, made at the first ``window_list`` after a
        #: change: indexing one gives a Python float, so ``bisect`` searches it in C
        #: without making a numpy scalar per step.
        self._views: tuple[memoryview, memoryview] | None = None
        #: The position of the first sample of each period with samples, ascending (the
        #: first ``_count`` elements; the rest is room to grow), or None while every
        #: period holds one sample and the positions are 0, 1, 2, ...
        self._starts: Ints | None = None
        self._count = 0

    def __len__(self) -> int:
        return self._count

    def update(self, times: Floats, values: Floats, first: float, last: float, added: int) -> None:
        """Follow the series' columns (all its samples, sorted) after ``added`` samples with
        times from ``first`` to ``last`` went in.

        The periods from the one holding ``first`` to the one holding ``last`` are found
        again from the columns; the positions of later periods move by ``added``.
        """
        self._times, self._values = times, values
        self._views = None
        lo, hi = period_start(np.array([first, last]))
        begin = int(np.searchsorted(times, lo))
        # ``last`` itself too, where a time is so large that adding a period changes nothing.
        stop = max(int(np.searchsorted(times, hi + PERIOD)), int(np.searchsorted(times, last, side="right")))
        starts = period_start(times[begin:stop])
        local = np.flatnonzero(np.concatenate(([True], starts[1:] != starts[:-1])))
        if self._starts is None:
            if local.size == stop - begin:  # still a sample a period
                self._count = times.size
                return
            self._starts = np.arange(self._count, dtype=np.int64)
        count = self._count
        old = self._starts[:count]
        # Samples before ``begin`` did not move; the new ones all lie before ``stop``.
        keep, tail = np.searchsorted(old, (begin, stop - added)).tolist()
        fresh = local + begin
        if tail == count:  # the changed periods are the last ones: rewrite the tail in place
            self._reserve(keep + fresh.size)
            assert self._starts is not None
            self._starts[keep : keep + fresh.size] = fresh
            count = keep + fresh.size
        else:
            self._starts = np.concatenate([old[:keep], fresh, old[tail:] + added])
            count = self._starts.size
        self._count = count
        if count == times.size:  # a sample a period again
            self._starts = None

    def _reserve(self, needed: int) -> None:
        assert self._starts is not None
        if needed <= self._starts.size:
            return
        capacity = max(_MIN_CAPACITY, self._starts.size * 2, needed)
        starts = np.empty(capacity, dtype=np.int64)
        starts[: self._count] = self._starts[: self._count]
        self._starts = starts

    def statistic(self, statistic: MetricStatistic) -> tuple[Floats, Floats]:
        """``(period starts, values)``: one statistic of every period with samples (new arrays)."""
        if self._starts is None:
            return period_start(self._times), self._singles(statistic, 0, self._times.size)
        offsets = self._starts[: self._count]
        return period_start(self._times[offsets]), segment_statistic(self._values, offsets, statistic)

    def _singles(self, statistic: MetricStatistic, lo: int, hi: int) -> Floats:
        """One statistic of samples ``lo:hi`` that are each alone in their period (a new array)."""
        if statistic is MetricStatistic.SAMPLE_COUNT:
            return np.ones(hi - lo)
        return self._values[lo:hi].copy()

    def window(self, end: float, count: int, statistic: MetricStatistic) -> Floats:
        """One statistic of the ``count`` periods that end at the boundary ``end``, oldest
        first, NaN where a period has no samples (a new array).

        PutAlarm reads one on every call, so the common case, every period holding one
        sample, takes a binary search and a slice.
        """
        first = end - count * PERIOD
        times = self._times
        # ``first`` is a boundary, so sample ``lo`` is the first of its period (and ``hi`` too).
        lo, hi = times.searchsorted((first, end)).tolist()
        starts = self._starts
        if starts is None:
            picked = self._singles(statistic, lo, hi)
            if hi - lo == count:
                return picked
            where = times[lo:hi]
        else:
            below, above = starts[: self._count].searchsorted((lo, hi)).tolist()
            offsets = starts[below:above]
            if above - below == hi - lo:
                picked = self._singles(statistic, lo, hi)
            else:
                picked = segment_statistic(self._values[lo:hi], offsets - lo, statistic)
            if above - below == count:
                return picked
            where = times[offsets]
        out = np.full(count, np.nan)
        out[((period_start(where) - first) / PERIOD).astype(np.intp)] = picked
        return out

    def window_list(self, end: float, count: int, statistic: MetricStatistic) -> list[float]:
        """``window`` as a list of Python floats, what ``one_alarm.assess`` counts in.

        PutAlarm evaluates one alarm on every call, and inside a client's call each numpy
        call costs several times what it costs in a loop (docs/performance.md), so the
        common case (a sample in each of the ``count`` periods, alone in its period) is
        two binary searches over memoryviews and one slice, with no numpy call at all.
        """
        if self._starts is None and statistic is not _SAMPLE_COUNT:
            views = self._views
            if views is None:
                views = self._views = (self._times.data, self._values.data)
            times, values = views
            # ``searchsorted``'s side "left", as ``window`` finds the same samples.
            lo = bisect_left(times, end - count * PERIOD)
            hi = bisect_left(times, end, lo)
            if hi - lo == count:
                floats: list[float] = values[lo:hi].tolist()  # type: ignore[assignment]  # (typeshed: bytes)
                return floats
        picked: list[float] = self.window(end, count, statistic).tolist()
        return picked

    def copy(self, times: Floats, values: Floats) -> PeriodSets:
        """The same periods over ``times`` and ``values``, a copy of these columns."""
        clone = PeriodSets()
        clone._times, clone._values = times, values
        clone._starts = None if self._starts is None else self._starts[: self._count].copy()
        clone._count = self._count
        return clone


class MetricSeries:
    """The raw samples of one metric: two float64 columns sorted by time.

    Samples are not deduplicated: two samples at the same second are both kept, as
    CloudWatch keeps them, and both count towards ``SampleCount``.
    """

    __slots__ = ("_size", "_times", "_values", "_views", "periods")

    def __init__(self, times: ArrayLike = (), values: ArrayLike = ()) -> None:
        self._times: Floats = np.empty(0, dtype=np.float64)
        self._values: Floats = np.empty(0, dtype=np.float64)
        self._size = 0
        #: ``(times, values)`` as read-only views, made once per change and handed to every
        #: reader until the next (``samples``, ``times``, ``values``).
        self._views: tuple[Floats, Floats] | None = None
        #: The 300-second periods of the samples, kept in step with them.
        self.periods = PeriodSets()
        self.append(times, values)

    def __len__(self) -> int:
        return self._size

    def __repr__(self) -> str:
        if not self._size:
            return "MetricSeries(<empty>)"
        first, last = self._times[0], self._times[self._size - 1]
        return f"MetricSeries(<{self._size} samples, {first:.0f}..{last:.0f}>)"

    @property
    def times(self) -> Floats:
        """Sample times in epoch seconds, ascending (a read-only view)."""
        return self.samples()[0]

    @property
    def values(self) -> Floats:
        """Sample values, aligned with ``times`` (a read-only view)."""
        return self.samples()[1]

    def samples(self) -> tuple[Floats, Floats]:
        """``(times, values)``, read-only views of every sample, ascending in time."""
        views = self._views
        if views is None:
            size = self._size
            views = self._views = (_read_only(self._times[:size]), _read_only(self._values[:size]))
        return views

    @property
    def capacity(self) -> int:
        """Samples the series can hold before it must reallocate."""
        return self._times.size

    def append(self, times: ArrayLike, values: ArrayLike) -> None:
        """Add a batch of samples, in any order; NaN values are dropped.

        A batch that starts at or after the last stored time is written past the end
        (amortised O(batch)); one that reaches back in time is merged into new buffers
        (O(series)), so arrays handed out earlier never see a change.
        """
        t, v = _as_samples(times, values)
        if not t.size:
            return
        self._views = None
        size = self._size
        if not size or t[0] >= self._times[size - 1]:
            self._reserve(size + t.size)
            self._times[size : size + t.size] = t
            self._values[size : size + t.size] = v
            self._size = size + t.size
        else:
            self._merge(t, v)
        self.periods.update(self._times[: self._size], self._values[: self._size], float(t[0]), float(t[-1]), t.size)

    def window(self, start: float, end: float) -> tuple[Floats, Floats]:
        """The samples with ``start <= time < end``, as read-only views.

        Half-open, so that consecutive windows (the periods of an alarm, the buckets of
        a metric query) never count a sample twice.
        """
        times = self._times[: self._size]
        lo, hi = np.searchsorted(times, (start, end), side="left")
        hi = max(hi, lo)  # end < start: an empty window, not a negative one
        return _read_only(times[lo:hi]), _read_only(self._values[lo:hi])

    def copy(self) -> MetricSeries:
        """An independent series with the same samples, trimmed to size."""
        clone = MetricSeries()
        clone._times = self._times[: self._size].copy()
        clone._values = self._values[: self._size].copy()
        clone._size = self._size
        clone._views = None
        clone.periods = self.periods.copy(clone._times, clone._values)
        return clone

    def _reserve(self, needed: int) -> None:
        if needed <= self._times.size:
            return
        capacity = max(_MIN_CAPACITY, self._times.size * 2, needed)
        # New buffers, not ndarray.resize in place: views handed out keep their memory.
        times = np.empty(capacity, dtype=np.float64)
        values = np.empty(capacity, dtype=np.float64)
        times[: self._size] = self._times[: self._size]
        values[: self._size] = self._values[: self._size]
        self._times, self._values = times, values

    def _merge(self, t: Floats, v: Floats) -> None:
        """Merge a sorted batch into new buffers, without a full re-sort.

        Each new sample goes after every stored sample with the same time (``right``),
        shifted by the number of new samples before it; stored samples fill the rest.
        """
        size = self._size
        total = size + t.size
        old_times = self._times[:size]
        at = np.searchsorted(old_times, t, side="right") + np.arange(t.size)
        is_old = np.ones(total, dtype=bool)
        is_old[at] = False
        capacity = max(_MIN_CAPACITY, self._times.size, total)
        if capacity < total * 1.25:  # keep headroom so the next appends do not copy
            capacity = total * 2
        times = np.empty(capacity, dtype=np.float64)
        values = np.empty(capacity, dtype=np.float64)
        times[:total][is_old] = old_times
        values[:total][is_old] = self._values[:size]
        times[at] = t
        values[at] = v
        self._times, self._values, self._size = times, values, total


class MetricStore(Generic[K]):
    """Every metric series of one mock, keyed by what names the metric.

    The key is opaque here; the caller uses ``(resource_type, resource_name,
    metric_name)``. Not thread-safe by itself: the state that owns the store holds its
    lock around every call, so that a store and the alarms reading it change together.
    """

    __slots__ = ("_series", "version")

    def __init__(self) -> None:
        self._series: dict[K, MetricSeries] = {}
        #: Counts changes (appends, discards), so that a reader can keep what it built
        #: from the store until the next change.
        self.version = 0

    def __len__(self) -> int:
        return len(self._series)

    def __contains__(self, key: object) -> bool:
        return key in self._series

    def __repr__(self) -> str:
        return f"MetricStore(<{len(self._series)} series>)"

    def append(self, key: K, times: ArrayLike, values: ArrayLike) -> None:
        """Add samples to the series of ``key``, creating it on first use."""
        self.version += 1
        series = self._series.get(key)
        if series is None:
            self._series[key] = MetricSeries(times, values)
        else:
            series.append(times, values)

    def get(self, key: K) -> MetricSeries | None:
        """The series of ``key``, or None when nothing was ever appended to it."""
        return self._series.get(key)

    def keys(self) -> KeysView[K]:
        """The keys with a series (a live view; copy it before calling ``discard``)."""
        return self._series.keys()

    def discard(self, predicate: Callable[[K], bool]) -> int:
        """Remove every series whose key matches; return how many went.

        Deleting a resource deletes its metrics, whatever their names, hence a
        predicate rather than a key.
        """
        doomed = [key for key in self._series if predicate(key)]
        for key in doomed:
            del self._series[key]
        self.version += 1
        return len(doomed)

    def copy(self) -> MetricStore[K]:
        """A deep copy, for a snapshot that later appends cannot reach."""
        clone: MetricStore[K] = MetricStore()
        clone._series = {key: series.copy() for key, series in self._series.items()}
        return clone
