"""Raw samples into per-period statistics, the way Lightsail buckets metric data.

Two callers share this: the metric-data operations (any period that is a multiple of
60 s, up to 1,440 buckets, all five statistics) and the alarm engine (300-s periods, one
statistic, on every PutAlarm). Both need the same answer for the same samples, so the
bucketing rule lives here once:

* bucket ``k`` covers ``[start + k*period, start + (k+1)*period)``; the boundaries are
  computed exactly that way, in float64, and samples are placed by binary search against
  them, so a sample on a boundary belongs to the later bucket and no rounding of
  ``(t - start) / period`` can move it;
* a bucket without samples has no statistics at all: it is omitted from ``BucketStats``
  and NaN in ``statistic_per_period`` -- never zero, not even for Sum or SampleCount,
  because "no data" and "data that sums to zero" drive an alarm differently.

``aggregate`` and ``statistic_per_period`` are array reductions over the sorted samples,
with no Python loop per sample or per bucket. ``statistic_per_period_list`` is their
plain-Python twin for the one-alarm evaluation of PutAlarm, where a dozen samples are
bucketed faster by a loop than by numpy; it gives the same floats, bit for bit.
"""

from __future__ import annotations

import bisect
import functools
import math
from dataclasses import dataclass

import numpy as np
from numpy.typing import NDArray

from lightmock.core.domain import MetricStatistic

__all__ = [
    "BucketStats",
    "aggregate",
    "bucket_count",
    "floor_to_minute",
    "statistic_per_period",
    "statistic_per_period_list",
]

Floats = NDArray[np.float64]
Ints = NDArray[np.int64]


@dataclass(frozen=True, slots=True)
class BucketStats:
    """The statistics of the non-empty buckets, one array element per bucket.

    ``index`` holds the bucket numbers (ascending), so the timestamp of a datapoint is
    ``start + index * period``; the other arrays are aligned with it.
    """

    index: Ints
    sample_count: Floats
    sum: Floats
    minimum: Floats
    maximum: Floats

    def __len__(self) -> int:
        return int(self.index.size)

    @property
    def average(self) -> Floats:
        """Sum / SampleCount, as the Lightsail model defines Average."""
        return self.sum / self.sample_count

    def statistic(self, stat: MetricStatistic) -> Floats:
        """The array of one statistic, chosen by its wire name."""
        if stat is MetricStatistic.AVERAGE:
            return self.average
        if stat is MetricStatistic.SUM:
            return self.sum
        if stat is MetricStatistic.MINIMUM:
            return self.minimum
        if stat is MetricStatistic.MAXIMUM:
            return self.maximum
        if stat is MetricStatistic.SAMPLE_COUNT:
            return self.sample_count
        raise ValueError(f"unknown statistic: {stat!r}")


def _empty_stats() -> BucketStats:
    nothing = np.empty(0, dtype=np.float64)
    return BucketStats(
        index=np.empty(0, dtype=np.int64),
        sample_count=nothing,
        sum=nothing,
        minimum=nothing,
        maximum=nothing,
    )


@functools.lru_cache(maxsize=64)
def _edge_offsets(buckets: int, period: int) -> Floats:
    """``k * period`` for k = 0..buckets, in float64: the bucket edges less ``start``.

    Cached (read-only), since an alarm asks for the same few window sizes again and again.
    """
    offsets = np.arange(buckets + 1, dtype=np.float64) * period
    offsets.flags.writeable = False
    return offsets


def _segments(times: Floats, *, start: float, period: int, buckets: int) -> tuple[Ints, Ints, Ints, slice] | None:
    """Locate the non-empty buckets in ``times``.

    Returns ``(index, offsets, counts, inside)``: the numbers of the non-empty buckets,
    where each one starts within ``times[inside]`` (the samples inside the whole range)
    and how many samples it holds; None when no sample falls inside the range. The
    offsets are what ``reduceat`` wants: strictly increasing, each segment running to
    the next offset, so no segment is empty and reduceat's "empty segment yields the
    element itself" rule never bites.
    """
    if period <= 0:
        raise ValueError(f"period must be positive, not {period}")
    if buckets < 0:
        raise ValueError(f"buckets must not be negative, not {buckets}")
    edges = start + _edge_offsets(buckets, period)
    bounds = np.searchsorted(times, edges, side="left")
    lo, hi = int(bounds[0]), int(bounds[-1])
    if lo == hi:
        return None
    sizes = bounds[1:] - bounds[:-1]
    index = np.flatnonzero(sizes)
    if index.size == buckets:  # every bucket has samples: no need to pick them out
        return index, bounds[:-1] - lo, sizes, slice(lo, hi)
    return index, bounds[index] - lo, sizes[index], slice(lo, hi)


def _check(times: Floats, values: Floats) -> None:
    if times.shape != values.shape:
        raise ValueError(f"times and values differ in shape: {times.shape} != {values.shape}")


def aggregate(times: Floats, values: Floats, *, start: float, period: int, buckets: int) -> BucketStats:
    """All five statistics of every non-empty bucket.

    ``times`` must be sorted ascending (``MetricSeries`` keeps it so) and ``values``
    free of NaN; samples outside ``[start, start + buckets*period)`` are ignored.
    """
    _check(times, values)
    found = _segments(times, start=start, period=period, buckets=buckets)
    if found is None:
        return _empty_stats()
    index, offsets, counts, inside = found
    v = values[inside]
    return BucketStats(
        index=index.astype(np.int64, copy=False),
        sample_count=counts.astype(np.float64),
        sum=np.add.reduceat(v, offsets),
        minimum=np.minimum.reduceat(v, offsets),
        maximum=np.maximum.reduceat(v, offsets),
    )


def statistic_per_period(
    times: Floats,
    values: Floats,
    *,
    start: float,
    period: int,
    buckets: int,
    statistic: MetricStatistic,
) -> Floats:
    """One statistic for every bucket, NaN where a bucket has no samples.

    This is the alarm engine's view: a dense array, one element per evaluation period,
    where NaN is "missing data" for ``treatMissingData`` to decide. Only the requested
    statistic is computed, since the engine calls this on every PutAlarm.
    """
    _check(times, values)
    found = _segments(times, start=start, period=period, buckets=buckets)
    if found is None:
        return np.full(buckets, np.nan)
    index, offsets, counts, inside = found
    v = values[inside]
    per_bucket: Floats
    if statistic is MetricStatistic.AVERAGE:
        per_bucket = np.add.reduceat(v, offsets) / counts
    elif statistic is MetricStatistic.SUM:
        per_bucket = np.add.reduceat(v, offsets)
    elif statistic is MetricStatistic.MINIMUM:
        per_bucket = np.minimum.reduceat(v, offsets)
    elif statistic is MetricStatistic.MAXIMUM:
        per_bucket = np.maximum.reduceat(v, offsets)
    elif statistic is MetricStatistic.SAMPLE_COUNT:
        per_bucket = counts.astype(np.float64)
    else:
        raise ValueError(f"unknown statistic: {statistic!r}")
    if index.size == buckets:  # no bucket is empty: nothing to spread out
        return per_bucket
    out = np.full(buckets, np.nan)
    out[index] = per_bucket
    return out


#: The plain-Python twin handles windows of up to this many samples, each bucket holding
#: at most ``_SCALAR_BUCKET``; larger ones go to numpy, which is then the faster.
_SMALL_WINDOW = 64
#: Buckets are small in the windows the twin takes; a larger one goes to numpy.
_SCALAR_BUCKET = 8


def _numpy_sum(group: list[float]) -> float:
    """``np.add.reduceat`` over one segment, bit for bit (zeros aside, see
    ``_scalar_statistic``): the first element plus numpy's pairwise sum of the rest
    (``DOUBLE_pairwise_sum``: one by one below 8 elements, eight running sums up to 128,
    halves above). The order of additions is what makes the last bit agree."""
    return group[0] + _pairwise_sum(group, 1, len(group))


def _pairwise_sum(a: list[float], lo: int, hi: int) -> float:
    n = hi - lo
    if n < 8:
        total = -0.0
        for i in range(lo, hi):
            total += a[i]
        return total
    if n <= 128:
        r = a[lo : lo + 8]
        i = lo + 8
        stop = hi - n % 8
        while i < stop:
            for j in range(8):
                r[j] += a[i + j]
            i += 8
        total = ((r[0] + r[1]) + (r[2] + r[3])) + ((r[4] + r[5]) + (r[6] + r[7]))
        while i < hi:
            total += a[i]
            i += 1
        return total
    half = n // 2
    half -= half % 8
    return _pairwise_sum(a, lo, lo + half) + _pairwise_sum(a, lo + half, hi)


def _scalar_statistic(group: list[float], statistic: MetricStatistic) -> float | None:
    """One bucket's statistic as numpy's reductions give it; None where numpy must decide.

    numpy decides wherever the answer is a zero and the bucket holds a -0.0: which zero
    comes out then depends on numpy's version (the start of its pairwise sum) and on the
    machine (minimum and maximum in SIMD lanes), and the twin follows neither.
    """
    if len(group) > _SCALAR_BUCKET:
        return None
    if statistic is MetricStatistic.SAMPLE_COUNT:
        return float(len(group))
    if statistic is MetricStatistic.AVERAGE:
        result = _numpy_sum(group) / len(group)
    elif statistic is MetricStatistic.SUM:
        result = _numpy_sum(group)
    elif statistic is MetricStatistic.MINIMUM:
        result = min(group)
    elif statistic is MetricStatistic.MAXIMUM:
        result = max(group)
    else:
        raise ValueError(f"unknown statistic: {statistic!r}")
    if result == 0.0 and any(value == 0.0 and math.copysign(1.0, value) < 0 for value in group):
        return None
    return result


def _bucket_value(values: list[float], first: int, stop: int, statistic: MetricStatistic) -> float | None:
    """The statistic of ``values[first:stop]``, one bucket; None where numpy must decide.

    A bucket of one sample (five-minute data) is the sample itself, as numpy's reduction
    of one element is; no slice is made for it.
    """
    if stop - first == 1:
        return 1.0 if statistic is MetricStatistic.SAMPLE_COUNT else values[first]
    return _scalar_statistic(values[first:stop], statistic)


def _scalar_per_period(
    times: list[float], values: list[float], *, start: float, period: int, buckets: int, statistic: MetricStatistic
) -> list[float] | None:
    """The plain-Python bucketing of ``statistic_per_period_list``; None to defer to numpy.

    ``times`` are the window's samples, ascending; a sample at ``len(times)`` closes the
    last bucket.
    """
    out = [math.nan] * buckets
    bucket = 0
    edge = start + period
    first = 0  # where the current bucket's samples begin
    for index, t in enumerate(times):
        if t < edge:
            continue
        if index > first:
            result = _bucket_value(values, first, index, statistic)
            if result is None:
                return None
            out[bucket] = result
            first = index
        while t >= edge:
            bucket += 1
            edge = start + (bucket + 1) * period
    if first < len(times):
        result = _bucket_value(values, first, len(times), statistic)
        if result is None:
            return None
        out[bucket] = result
    return out


def statistic_per_period_list(
    times: Floats,
    values: Floats,
    *,
    start: float,
    period: int,
    buckets: int,
    statistic: MetricStatistic,
    as_lists: tuple[list[float], list[float]] | None = None,
) -> list[float]:
    """``statistic_per_period(...).tolist()``, bit for bit, without numpy for small windows.

    PutAlarm evaluates one alarm over a handful of periods on every call, inside a boto3
    call whose own work leaves numpy's code cold; a dozen samples are bucketed faster by
    a plain loop. The bucketing is the same (edges ``start + k*period`` in float64, a
    sample on an edge in the later bucket) and so are the reductions (``_numpy_sum``);
    anything the twin cannot reproduce exactly goes to numpy. The tests check the two
    agree, sign of zero included. ``as_lists``, the same samples as Python lists, lets
    the window be found by ``bisect`` instead of ``searchsorted``.
    """
    end = start + buckets * period  # the last edge: k * period is exact in float64
    window: tuple[list[float], list[float]] | None = None
    if as_lists is None:
        lo, hi = np.searchsorted(times, (start, end), side="left").tolist()
        if hi - lo <= _SMALL_WINDOW:
            window = times[lo:hi].tolist(), values[lo:hi].tolist()
    else:
        time_list, value_list = as_lists
        lo = bisect.bisect_left(time_list, start)
        hi = bisect.bisect_left(time_list, end, lo)
        if hi - lo <= _SMALL_WINDOW:
            window = time_list[lo:hi], value_list[lo:hi]
    if window is not None:
        found = _scalar_per_period(*window, start=start, period=period, buckets=buckets, statistic=statistic)
        if found is not None:
            return found
    every = statistic_per_period(times, values, start=start, period=period, buckets=buckets, statistic=statistic)
    return every.tolist()  # type: ignore[no-any-return]


def floor_to_minute(t: float) -> float:
    """``t`` rounded down to a whole minute: where Lightsail starts the first bucket.

    Inferred from the real outputs: a start of 1570733176 yields a first datapoint at
    1570733160.
    """
    return float(math.floor(t / 60) * 60)


def bucket_count(start: float, end: float, period: int) -> int:
    """How many buckets a query from ``start`` to ``end`` spans.

    Buckets begin at ``start`` floored to the minute and the last one may run past
    ``end`` (ceil), the count that the 1,440-datapoint limit applies to. An empty or
    inverted range spans no bucket.
    """
    if period <= 0:
        raise ValueError(f"period must be positive, not {period}")
    first = floor_to_minute(start)
    if end <= first:
        return 0
    return math.ceil((end - first) / period)
