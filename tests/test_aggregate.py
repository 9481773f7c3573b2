"""Bucketing raw samples into per-period statistics, checked against a slow reference."""

from __future__ import annotations

import math
from dataclasses import dataclass

import numpy as np
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from lightmock.core.domain import MetricStatistic
from lightmock.engine.aggregate import (
    BucketStats,
    aggregate,
    bucket_count,
    floor_to_minute,
)
from lightmock.engine.metricstore import MetricSeries

NAN = float("nan")


# --- the reference: one sample at a time, straight from the definition --------------


@dataclass
class RefBucket:
    values: list[float]

    def statistic(self, stat: MetricStatistic) -> float:
        if stat is MetricStatistic.SAMPLE_COUNT:
            return float(len(self.values))
        if stat is MetricStatistic.SUM:
            return math.fsum(self.values)
        if stat is MetricStatistic.AVERAGE:
            return math.fsum(self.values) / len(self.values)
        if stat is MetricStatistic.MINIMUM:
            return min(self.values)
        return max(self.values)


def reference(samples: list[tuple[float, float]], *, start: float, period: int, buckets: int) -> dict[int, RefBucket]:
    """Bucket k holds the samples with start + k*period <= t < start + (k+1)*period."""
    found: dict[int, RefBucket] = {}
    for t, v in samples:
        if math.isnan(v):
            continue
        for k in range(buckets):
            if start + k * period <= t < start + (k + 1) * period:
                found.setdefault(k, RefBucket([])).values.append(v)
                break
    return dict(sorted(found.items()))


# --- strategies ------------------------------------------------------------------------


@st.composite
def scenarios(draw: st.DrawFn) -> tuple[list[tuple[float, float]], float, int, int]:
    """Samples around a random, possibly unaligned range: on, near and off boundaries."""
    period = 60 * draw(st.integers(1, 30))
    buckets = draw(st.integers(0, 12))
    start = draw(
        st.one_of(
            st.integers(0, 2_000_000_000).map(float),
            st.floats(1.5e9, 1.8e9, allow_nan=False),
            st.floats(-1e6, 1e6, allow_nan=False),
        )
    )
    on_boundary = st.integers(-2, buckets + 2).map(lambda k: start + k * period)
    inside = st.tuples(st.integers(-2, buckets + 1), st.floats(0, 1, exclude_max=True)).map(
        lambda kf: start + (kf[0] + kf[1]) * period
    )
    times = st.one_of(on_boundary, inside)
    values = st.one_of(
        st.floats(-1e6, 1e6, allow_nan=False),
        st.sampled_from([0.0, -1.0, 1.0, NAN]),
    )
    samples = draw(st.lists(st.tuples(times, values), max_size=60))
    # Duplicates: repeat some samples verbatim (same time, same or other value).
    samples += draw(st.lists(st.sampled_from(samples), max_size=5)) if samples else []
    return samples, start, period, buckets


def through_series(samples: list[tuple[float, float]]) -> MetricSeries:
    """Feed samples unsorted, in a few batches, as the store would receive them."""
    series = MetricSeries()
    for chunk in (samples[0::3], samples[1::3], samples[2::3]):
        series.append([t for t, _ in chunk], [v for _, v in chunk])
    return series


def assert_close(actual: np.ndarray, expected: list[float]) -> None:
    np.testing.assert_allclose(actual, expected, rtol=1e-9, atol=1e-6)


STATISTICS = list(MetricStatistic)


# --- properties -------------------------------------------------------------------------


class TestAgreesWithReference:
    @settings(max_examples=150, deadline=None)
    @given(scenarios())
    def test_aggregate(self, scenario: tuple[list[tuple[float, float]], float, int, int]) -> None:
        """aggregate() yields exactly the reference's non-empty buckets and statistics."""
        samples, start, period, buckets = scenario
        series = through_series(samples)
        got = aggregate(series.times, series.values, start=start, period=period, buckets=buckets)
        want = reference(samples, start=start, period=period, buckets=buckets)
        assert got.index.tolist() == list(want)
        for stat in STATISTICS:
            assert_close(got.statistic(stat), [b.statistic(stat) for b in want.values()])

    @settings(max_examples=150, deadline=None)
    @given(scenarios(), st.sampled_from(STATISTICS), st.booleans())
    def test_alarm_periods_are_the_300_second_buckets(
        self,
        scenario: tuple[list[tuple[float, float]], float, int, int],
        stat: MetricStatistic,
        negative_zeros: bool,
    ) -> None:
        """The statistic sets a series keeps per 300-second period are aggregate()'s
        buckets of period 300, bit for bit (sign of zero included), NaN where a period
        has no samples: an alarm sees what a 300-second Get*MetricData query returns."""
        samples, start, _, buckets = scenario
        if negative_zeros:  # ties between 0.0 and -0.0 are where reductions differ most
            samples = [(t, -0.0 if v == 0.0 and i % 2 else v) for i, (t, v) in enumerate(samples)]
        aligned = start - start % 300
        series = through_series(samples)
        end = aligned + buckets * 300
        got = series.periods.window(end, buckets, stat)
        every = aggregate(series.times, series.values, start=aligned, period=300, buckets=buckets)
        want = np.full(buckets, NAN)
        want[every.index] = every.statistic(stat)
        assert exactly(got.tolist()) == exactly(want.tolist())
        expected = reference(samples, start=aligned, period=300, buckets=buckets)
        np.testing.assert_allclose(
            got, [expected[k].statistic(stat) if k in expected else NAN for k in range(buckets)],
            rtol=1e-9, atol=1e-6, equal_nan=True,
        )


def exactly(values: list[float]) -> list[tuple[bool, float, float]]:
    """Floats compared bit for bit: NaN as NaN, and the sign of zero counted."""
    return [(math.isnan(v), 0.0 if math.isnan(v) else v, math.copysign(1.0, v)) for v in values]


# --- examples ---------------------------------------------------------------------------


def stats(times: list[float], values: list[float], **kw: int) -> BucketStats:
    return aggregate(np.array(times, dtype=float), np.array(values, dtype=float), start=0, **kw)


class TestAggregate:
    def test_boundary_sample_belongs_to_the_later_bucket(self) -> None:
        """A sample exactly at start + period opens bucket 1, it does not close bucket 0."""
        got = stats([0.0, 59.999, 60.0], [1, 2, 3], period=60, buckets=2)
        assert got.index.tolist() == [0, 1]
        assert got.sample_count.tolist() == [2, 1]

    def test_range_is_half_open(self) -> None:
        """A sample at start is counted, one at start + buckets*period is not."""
        got = stats([-0.001, 0.0, 120.0], [3, 1, 2], period=60, buckets=2)
        assert got.index.tolist() == [0]
        assert got.sum.tolist() == [1]

    def test_empty_buckets_are_omitted(self) -> None:
        """Buckets without samples appear nowhere, even between two full ones."""
        got = stats([10.0, 11.0, 250.0], [5, 1, 7], period=60, buckets=5)
        assert got.index.tolist() == [0, 4]
        assert got.minimum.tolist() == [1, 7]
        assert got.maximum.tolist() == [5, 7]

    def test_reduceat_empty_segments_do_not_leak(self) -> None:
        """Runs of empty buckets do not pick up a neighbour's value (reduceat's trap)."""
        got = stats([0.0, 600.0], [3, 4], period=60, buckets=11)
        assert got.index.tolist() == [0, 10]
        assert got.sum.tolist() == [3, 4]
        assert got.sample_count.tolist() == [1, 1]

    def test_no_samples_gives_empty_stats(self) -> None:
        """No samples at all gives zero-length arrays of the right dtypes."""
        got = stats([], [], period=60, buckets=3)
        assert len(got) == 0
        assert got.index.dtype == np.int64
        assert got.sum.dtype == np.float64

    def test_zero_buckets(self) -> None:
        """A range of no buckets contains nothing."""
        assert len(stats([0.0], [1.0], period=60, buckets=0)) == 0

    def test_average_is_sum_over_sample_count(self) -> None:
        """Average follows the model's definition, Sum / SampleCount."""
        got = stats([1.0, 2.0, 3.0], [1, 2, 6], period=60, buckets=1)
        assert got.average.tolist() == [3.0]

    @pytest.mark.parametrize(
        ("stat", "expected"),
        [
            (MetricStatistic.MINIMUM, -2.0),
            (MetricStatistic.MAXIMUM, 5.0),
            (MetricStatistic.SUM, 3.0),
            (MetricStatistic.AVERAGE, 1.0),
            (MetricStatistic.SAMPLE_COUNT, 3.0),
        ],
    )
    def test_statistic_by_name(self, stat: MetricStatistic, expected: float) -> None:
        """statistic() picks the array named by the wire statistic."""
        got = stats([0.0, 1.0, 2.0], [-2, 5, 0], period=60, buckets=1)
        assert got.statistic(stat).tolist() == [expected]

    def test_unaligned_start(self) -> None:
        """Buckets start at the given start, not at a multiple of the period."""
        t = np.array([100.0, 159.0, 160.0])
        got = aggregate(t, np.ones(3), start=100.5, period=60, buckets=1)
        assert got.sample_count.tolist() == [2]

    @pytest.mark.parametrize(("period", "buckets"), [(0, 1), (-60, 1), (60, -1)])
    def test_rejects_nonsense_ranges(self, period: int, buckets: int) -> None:
        """A non-positive period or a negative bucket count is a caller's bug."""
        with pytest.raises(ValueError, match="must"):
            stats([0.0], [1.0], period=period, buckets=buckets)

    def test_rejects_mismatched_columns(self) -> None:
        """times and values must be aligned."""
        with pytest.raises(ValueError, match="differ"):
            aggregate(np.zeros(2), np.zeros(3), start=0, period=60, buckets=1)


class TestPeriodSets:
    """The per-period statistics a series keeps for the alarm engine."""

    @staticmethod
    def window(times: list[float], values: list[float], buckets: int, stat: MetricStatistic) -> np.ndarray:
        return MetricSeries(times, values).periods.window(buckets * 300.0, buckets, stat)

    @pytest.mark.parametrize("stat", [MetricStatistic.SUM, MetricStatistic.SAMPLE_COUNT])
    def test_missing_period_is_nan_not_zero(self, stat: MetricStatistic) -> None:
        """An empty period is missing data, even for statistics that could say 0."""
        got = self.window([0.0], [0.0], 3, stat)
        assert got[0] == (0.0 if stat is MetricStatistic.SUM else 1.0)
        assert np.isnan(got[1:]).all()

    def test_no_samples_is_all_nan(self) -> None:
        """Without samples every period is missing."""
        got = self.window([], [], 4, MetricStatistic.AVERAGE)
        assert got.shape == (4,)
        assert np.isnan(got).all()

    def test_alarm_shaped_call(self) -> None:
        """Five-minute averages of one-minute samples, as the alarm engine asks."""
        t = np.arange(0, 900, 60, dtype=float).tolist()
        got = self.window(t, list(range(15)), 3, MetricStatistic.AVERAGE)
        assert got.tolist() == [2.0, 7.0, 12.0]

    def test_sets_follow_late_and_early_samples(self) -> None:
        """A sample merged into an old period, or added to the newest, updates that period only."""
        series = MetricSeries([0.0, 300.0, 600.0], [1.0, 2.0, 3.0])
        series.append([301.0], [10.0])  # late, into the middle period
        series.append([601.0], [5.0])  # in order, into the last period
        got = series.periods.window(900.0, 3, MetricStatistic.SUM)
        assert got.tolist() == [1.0, 12.0, 8.0]

    def test_a_sample_before_a_boundary_stays_in_its_period(self) -> None:
        """299.99999999999994 is in the first period, however division would round it."""
        got = self.window([299.99999999999994], [1.0], 2, MetricStatistic.SAMPLE_COUNT)
        assert got.tolist()[0] == 1.0


@st.composite
def near_one_a_period(draw: st.DrawFn) -> tuple[float, int, list[list[tuple[float, float]]]]:
    """Periods with none, one or a few samples (mostly one, as five-minute data has), in
    batches fed in any order: appends at the end and merges into the middle, so that a
    series goes from a sample a period to several and back."""
    start = draw(st.sampled_from([0.0, 1_800_000_000.0, -3000.0]))
    buckets = draw(st.integers(1, 24))
    offsets = st.sampled_from([0.0, 1.0, 150.0, 299.0, 299.99999])
    values = st.one_of(st.floats(-1e6, 1e6, allow_nan=False), st.sampled_from([0.0, -0.0, 1.0]))
    batches: list[list[tuple[float, float]]] = [[] for _ in range(4)]
    for k in range(-1, buckets + 1):
        for _ in range(draw(st.sampled_from([0, 1, 1, 1, 2, 3]))):
            batch = draw(st.integers(0, 3))
            batches[batch].append((start + k * 300 + draw(offsets), draw(values)))
    return start, buckets, [draw(st.permutations(batch)) for batch in batches]


class TestPeriodsFollowTheColumns:
    """A series keeps where its periods begin, or nothing while each holds one sample; the
    statistics read through them are ``aggregate()``'s 300-second buckets bit for bit,
    whatever order the samples came in."""

    @settings(max_examples=100, deadline=None)
    @given(near_one_a_period(), st.sampled_from(STATISTICS))
    def test_window_and_statistic(
        self, scenario: tuple[float, int, list[list[tuple[float, float]]]], stat: MetricStatistic
    ) -> None:
        start, buckets, batches = scenario
        series = MetricSeries()
        for batch in batches:
            series.append([t for t, _ in batch], [v for _, v in batch])
            for kept in (series, series.copy()):
                end = start + buckets * 300
                every = aggregate(kept.times, kept.values, start=start, period=300, buckets=buckets)
                want = np.full(buckets, NAN)
                want[every.index] = every.statistic(stat)
                assert exactly(kept.periods.window(end, buckets, stat).tolist()) == exactly(want.tolist())
                # The one-alarm read, as Python floats (read after every batch, as the engine reads between seeds).
                assert exactly(kept.periods.window_list(end, buckets, stat)) == exactly(want.tolist())
                whole = aggregate(kept.times, kept.values, start=start - 300, period=300, buckets=buckets + 2)
                starts, values = kept.periods.statistic(stat)
                assert starts.tolist() == (start - 300 + whole.index * 300.0).tolist()
                assert exactly(values.tolist()) == exactly(whole.statistic(stat).tolist())
                assert len(kept.periods) == len(whole)


class TestFloorToMinute:
    @pytest.mark.parametrize(
        ("t", "expected"),
        [
            (1570733176.0, 1570733160.0),  # the GetRelationalDatabaseMetricData example
            (1570733160.0, 1570733160.0),
            (59.999, 0.0),
            (-1.0, -60.0),
        ],
    )
    def test_examples(self, t: float, expected: float) -> None:
        """Rounds down to a whole minute, also before the epoch."""
        assert floor_to_minute(t) == expected


class TestBucketCount:
    @pytest.mark.parametrize(
        ("start", "end", "period", "expected"),
        [
            (0, 86400, 60, 1440),
            (0, 86400.5, 60, 1441),
            (30, 86400, 60, 1440),  # start floors to 0
            (30, 86430, 60, 1441),
            (1570733176, 1570733176 + 10 * 86400, 86400, 11),  # floored start, 16 s over
            (1570733160, 1570733160 + 10 * 86400, 86400, 10),
            (0, 1, 300, 1),
            (0, 0, 60, 0),
            (600, 0, 60, 0),
        ],
    )
    def test_examples(self, start: float, end: float, period: int, expected: int) -> None:
        """Counts buckets from the floored start to the end, the last one partial."""
        assert bucket_count(start, end, period) == expected

    def test_rejects_non_positive_period(self) -> None:
        """A period of zero would mean infinitely many buckets."""
        with pytest.raises(ValueError, match="positive"):
            bucket_count(0, 60, 0)
