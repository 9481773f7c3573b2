"""Raw samples into per-period statistics, the way Lightsail buckets metric data.

Two callers share this: the metric-data operations (any period that is a multiple of
60 s, up to 1,440 buckets, all five statistics) and the metric store's per-period
statistics, which the alarm engine reads (300-s periods). Both need the same answer
for the same samples, so the bucketing rule and the reductions live here once:

* bucket ``k`` covers ``[start + k*period, start + (k+1)*period)``; the boundaries are
  computed exactly that way, in float64, and samples are placed by binary search against
  them, so a sample on a boundary belongs to the later bucket and no rounding of
  ``(t - start) / period`` can move it;
* a bucket without samples has no statistics at all: it is omitted from ``BucketStats``
  (and missing for an alarm) -- never zero, not even for Sum or SampleCount, because
  "no data" and "data that sums to zero" drive an alarm differently;
* a bucket's statistics are ``reduce_segments``' reductions of its samples in time
  order (numpy's ``reduceat``; Sum is numpy's pairwise sum of the segment), so the same
  samples give the same floats whichever caller asks.

Everything is an array reduction over the sorted samples, with no Python loop per
sample or per bucket.
"""

from __future__ import annotations

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
    "reduce_segments",
    "segment_statistic",
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
    total, minimum, maximum = reduce_segments(values[inside], offsets)
    return BucketStats(
        index=index.astype(np.int64, copy=False),
        sample_count=counts.astype(np.float64),
        sum=total,
        minimum=minimum,
        maximum=maximum,
    )


#: The reduction of each statistic over a segment's samples, in time order.
_REDUCTIONS: dict[MetricStatistic, np.ufunc] = {
    MetricStatistic.SUM: np.add,
    MetricStatistic.MINIMUM: np.minimum,
    MetricStatistic.MAXIMUM: np.maximum,
}


def reduce_segments(values: Floats, offsets: Ints) -> tuple[Floats, Floats, Floats]:
    """Sum, minimum and maximum of each segment ``values[offsets[i]:offsets[i + 1]]``.

    The one definition of those statistics: ``offsets`` strictly increasing from 0, the
    last segment running to the end, so no segment is empty (``reduceat`` would give the
    element itself, not 0, for one).
    """
    return (
        _REDUCTIONS[MetricStatistic.SUM].reduceat(values, offsets),
        _REDUCTIONS[MetricStatistic.MINIMUM].reduceat(values, offsets),
        _REDUCTIONS[MetricStatistic.MAXIMUM].reduceat(values, offsets),
    )


def segment_statistic(values: Floats, offsets: Ints, statistic: MetricStatistic) -> Floats:
    """One statistic of each segment, as ``reduce_segments`` and ``BucketStats`` make it:
    the same reduction over the same samples (Average is Sum / SampleCount), for a reader
    that wants one statistic and not all five."""
    reduction = _REDUCTIONS.get(statistic)
    if reduction is not None:
        result: Floats = reduction.reduceat(values, offsets)
        return result
    # Each segment runs to the next offset, the last to the end (``np.diff`` with
    # ``append`` costs twice as much: this is on PutAlarm's path).
    ends = np.empty(offsets.size, dtype=np.float64)
    ends[:-1] = offsets[1:]
    ends[-1:] = values.size
    counts: Floats = ends - offsets
    if statistic is MetricStatistic.SAMPLE_COUNT:
        return counts
    if statistic is MetricStatistic.AVERAGE:
        total: Floats = _REDUCTIONS[MetricStatistic.SUM].reduceat(values, offsets)
        return total / counts
    raise ValueError(f"unknown statistic: {statistic!r}")


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
