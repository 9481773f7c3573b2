"""Storing raw metric samples: sorted columns, growth, windows and the keyed store."""

from __future__ import annotations

import numpy as np
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from lightmock.core.domain import MetricStatistic
from lightmock.engine.metricstore import MetricSeries, MetricStore

NAN = float("nan")

sample = st.tuples(
    st.integers(0, 50).map(float) | st.floats(-1e9, 1e9, allow_nan=False),
    st.floats(-1e6, 1e6, allow_nan=False),
)
batches = st.lists(st.lists(sample, max_size=30), max_size=8)


def pairs(series: MetricSeries) -> list[tuple[float, float]]:
    return sorted(zip(series.times.tolist(), series.values.tolist(), strict=True))


class TestMetricSeriesAppend:
    @settings(max_examples=120, deadline=None)
    @given(batches)
    def test_any_order_keeps_sorted_and_keeps_all(self, chunks: list[list[tuple[float, float]]]) -> None:
        """Batches in any order end up sorted by time, with every sample kept."""
        series = MetricSeries()
        for chunk in chunks:
            series.append([t for t, _ in chunk], [v for _, v in chunk])
        everything = sorted(s for chunk in chunks for s in chunk)
        assert len(series) == len(everything)
        assert (np.diff(series.times) >= 0).all()
        assert pairs(series) == everything

    def test_equal_timestamps_are_both_kept(self) -> None:
        """Samples are not deduplicated: two at the same second both count."""
        series = MetricSeries([5.0, 5.0], [1.0, 2.0])
        series.append([5.0], [3.0])
        assert series.times.tolist() == [5.0, 5.0, 5.0]
        assert series.values.tolist() == [1.0, 2.0, 3.0]

    def test_late_sample_goes_after_its_equals(self) -> None:
        """A merged sample lands after stored samples with the same time."""
        series = MetricSeries([1.0, 2.0, 3.0], [10.0, 20.0, 30.0])
        series.append([2.0, 0.0], [21.0, 0.0])
        assert series.times.tolist() == [0.0, 1.0, 2.0, 2.0, 3.0]
        assert series.values.tolist() == [0.0, 10.0, 20.0, 21.0, 30.0]

    def test_nan_values_are_dropped(self) -> None:
        """NaN means no sample, so it is not stored."""
        series = MetricSeries([1.0, 2.0, 3.0], [1.0, NAN, 3.0])
        assert series.times.tolist() == [1.0, 3.0]
        assert series.values.tolist() == [1.0, 3.0]

    def test_all_nan_batch_is_a_no_op(self) -> None:
        """A batch of gaps leaves the series as it was."""
        series = MetricSeries([1.0], [1.0])
        series.append([0.0, 2.0], [NAN, NAN])
        assert len(series) == 1

    def test_rejects_non_finite_times(self) -> None:
        """A NaN time is a caller's bug, not a gap."""
        with pytest.raises(ValueError, match="finite"):
            MetricSeries([NAN], [1.0])

    def test_rejects_mismatched_lengths(self) -> None:
        """times and values must pair up."""
        with pytest.raises(ValueError, match="differ"):
            MetricSeries([1.0, 2.0], [1.0])

    def test_one_call_appends_many(self) -> None:
        """A large batch goes in one vectorised call, unsorted input included."""
        rng = np.random.default_rng(0)
        t = rng.uniform(0, 86400, 200_000)
        series = MetricSeries(t, t * 2)
        assert len(series) == 200_000
        assert (np.diff(series.times) >= 0).all()
        assert (series.values == series.times * 2).all()


class TestMetricSeriesGrowth:
    def test_capacity_doubles(self) -> None:
        """Appending one at a time reallocates logarithmically often, not every time."""
        series = MetricSeries()
        capacities = set()
        for i in range(5000):
            series.append([float(i)], [1.0])
            capacities.add(series.capacity)
        assert len(series) == 5000
        assert len(capacities) <= 8

    def test_views_never_change_after_they_are_handed_out(self) -> None:
        """Neither an in-order append nor a merge alters an earlier view."""
        series = MetricSeries([1.0, 2.0], [1.0, 2.0])
        times, values = series.times, series.values
        series.append([3.0], [3.0])
        series.append([0.0, 1.5], [0.0, 1.5])
        series.append(np.arange(4.0, 1000.0), np.zeros(996))
        assert times.tolist() == [1.0, 2.0]
        assert values.tolist() == [1.0, 2.0]

    def test_views_are_read_only(self) -> None:
        """Stored samples cannot be edited through an accessor."""
        series = MetricSeries([1.0], [1.0])
        with pytest.raises(ValueError, match="read-only"):
            series.values[0] = 2.0
        with pytest.raises(ValueError, match="read-only"):
            series.window(0, 10)[0][0] = 2.0


class TestMetricSeriesReadCaches:
    """``samples()`` is made once per change and follows every change."""

    def test_samples_follow_appends_and_merges(self) -> None:
        series = MetricSeries([10.0, 20.0], [1.0, 2.0])
        first = series.samples()
        assert series.samples() is first  # unchanged series: the same views
        series.append([30.0], [3.0])
        series.append([15.0], [1.5])  # a late sample, merged into place
        times, values = series.samples()
        assert times.tolist() == [10.0, 15.0, 20.0, 30.0]
        assert values.tolist() == [1.0, 1.5, 2.0, 3.0]
        assert first[0].tolist() == [10.0, 20.0]  # handed out before: unchanged

class TestMetricSeriesWindow:
    def test_half_open(self) -> None:
        """start is included, end is not."""
        series = MetricSeries([0.0, 60.0, 120.0, 180.0], [0.0, 1.0, 2.0, 3.0])
        times, values = series.window(60.0, 180.0)
        assert times.tolist() == [60.0, 120.0]
        assert values.tolist() == [1.0, 2.0]

    def test_consecutive_windows_partition(self) -> None:
        """Adjacent windows share no sample and miss none."""
        series = MetricSeries(np.arange(0.0, 600.0, 30.0), np.ones(20))
        sizes = [series.window(lo, lo + 120.0)[0].size for lo in range(0, 600, 120)]
        assert sizes == [4] * 5

    @pytest.mark.parametrize(("start", "end"), [(10.0, 10.0), (50.0, 10.0), (1e6, 2e6)])
    def test_empty(self, start: float, end: float) -> None:
        """Empty, inverted and out-of-range windows hold nothing."""
        series = MetricSeries([10.0, 20.0], [1.0, 2.0])
        times, values = series.window(start, end)
        assert times.size == values.size == 0


class TestMetricSeriesCopy:
    def test_copy_is_independent(self) -> None:
        """Appending to a copy leaves the original alone, and vice versa."""
        series = MetricSeries([1.0], [1.0])
        clone = series.copy()
        clone.append([0.0, 2.0], [0.0, 2.0])
        series.append([3.0], [3.0])
        assert series.times.tolist() == [1.0, 3.0]
        assert clone.times.tolist() == [0.0, 1.0, 2.0]


class TestMetricStore:
    key = ("Instance", "web-1", "CPUUtilization")

    def test_append_creates_then_extends(self) -> None:
        """The first append creates the series, later ones extend it."""
        store: MetricStore[tuple[str, str, str]] = MetricStore()
        store.append(self.key, [1.0], [10.0])
        store.append(self.key, [0.0], [5.0])
        series = store.get(self.key)
        assert series is not None
        assert series.values.tolist() == [5.0, 10.0]
        assert len(store) == 1
        assert self.key in store

    def test_get_unknown_is_none(self) -> None:
        """A metric never written has no series."""
        assert MetricStore[str]().get("nothing") is None

    def test_discard_by_predicate(self) -> None:
        """discard removes every series of a deleted resource, and counts them."""
        store: MetricStore[tuple[str, str, str]] = MetricStore()
        for name in ("web-1", "web-2"):
            for metric in ("CPUUtilization", "NetworkIn"):
                store.append(("Instance", name, metric), [0.0], [1.0])
        removed = store.discard(lambda key: key[1] == "web-1")
        assert removed == 2
        assert sorted(store.keys()) == [
            ("Instance", "web-2", "CPUUtilization"),
            ("Instance", "web-2", "NetworkIn"),
        ]

    def test_copy_is_deep(self) -> None:
        """A snapshot sees neither new series nor new samples of existing ones."""
        store: MetricStore[str] = MetricStore()
        store.append("a", [0.0], [1.0])
        snapshot = store.copy()
        store.append("a", [1.0], [2.0])
        store.append("b", [0.0], [1.0])
        store.discard(lambda key: key == "a")
        kept = snapshot.get("a")
        assert kept is not None
        assert kept.values.tolist() == [1.0]
        assert list(snapshot.keys()) == ["a"]
        assert kept.periods.window(300.0, 1, MetricStatistic.SUM).tolist() == [1.0]

    def test_version_counts_changes(self) -> None:
        """Appends and discards move the version, so readers know to rebuild."""
        store: MetricStore[str] = MetricStore()
        seen = {store.version}
        store.append("a", [0.0], [1.0])
        seen.add(store.version)
        store.discard(lambda key: key == "a")
        seen.add(store.version)
        assert len(seen) == 3
