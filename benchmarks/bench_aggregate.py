"""How much the vectorised aggregation buys over the obvious loop.

Run: ``python benchmarks/bench_aggregate.py``. Three questions, one table:

* a GetMetricData-sized job (a day of 1,000,000 samples into 1,440 one-minute buckets,
  all five statistics): vectorised ``aggregate`` against a per-sample Python loop, with a
  check that both agree, and their ratio (target: at least 100x);
* seeding a series with a million samples in one ``MetricSeries.append`` (which also
  builds the series' per-period statistic sets);
* the alarm engine's per-PutAlarm read, ``PeriodSets.window`` of 14 periods (N = 12)
  from a day of one-minute data, in microseconds, since it runs on every PutAlarm: a
  read of stored statistics, whatever the number of raw samples.
"""

from __future__ import annotations

import math
import sys
import timeit
from pathlib import Path

import numpy as np
from numpy.typing import NDArray

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from lightmock.core.domain import MetricStatistic
from lightmock.engine.aggregate import aggregate
from lightmock.engine.metricstore import MetricSeries

Floats = NDArray[np.float64]

START = 1_700_000_000.0
DAY = 86_400
PERIOD = 60
BUCKETS = DAY // PERIOD
SAMPLES = 1_000_000


def reference(times: Floats, values: Floats, *, start: float, period: int, buckets: int) -> dict[int, list[float]]:
    """The obvious loop: one sample at a time into a dict of [count, sum, min, max]."""
    found: dict[int, list[float]] = {}
    for t, v in zip(times.tolist(), values.tolist(), strict=True):
        k = math.floor((t - start) / period)
        if not 0 <= k < buckets:
            continue
        acc = found.get(k)
        if acc is None:
            found[k] = [1.0, v, v, v]
        else:
            acc[0] += 1.0
            acc[1] += v
            acc[2] = min(acc[2], v)
            acc[3] = max(acc[3], v)
    return found


def best(func: object, *, number: int, repeat: int = 5) -> float:
    """Seconds per call, the best of ``repeat`` runs of ``number`` calls."""
    return min(timeit.repeat(func, number=number, repeat=repeat)) / number  # type: ignore[arg-type]


def main() -> int:
    rng = np.random.default_rng(2024)
    # Random-ish: uniform instants over one day, half of them on whole seconds so that
    # duplicates and samples exactly on bucket boundaries occur, as with real agents.
    offsets = rng.uniform(0, DAY, SAMPLES)
    offsets[: SAMPLES // 2] = np.floor(offsets[: SAMPLES // 2])
    times = START + np.sort(offsets)
    values = rng.uniform(-100, 100, SAMPLES)

    def vectorised() -> None:
        stats = aggregate(times, values, start=START, period=PERIOD, buckets=BUCKETS)
        for stat in MetricStatistic:
            stats.statistic(stat)

    fast = best(vectorised, number=3)
    t0 = timeit.default_timer()
    ref = reference(times, values, start=START, period=PERIOD, buckets=BUCKETS)
    slow = timeit.default_timer() - t0

    stats = aggregate(times, values, start=START, period=PERIOD, buckets=BUCKETS)
    acc = np.array([ref[k] for k in stats.index.tolist()])
    agree = (
        list(ref) == stats.index.tolist()
        and np.array_equal(acc[:, 0], stats.sample_count)
        and np.allclose(acc[:, 1], stats.sum, rtol=1e-9, atol=1e-6)
        and np.array_equal(acc[:, 2], stats.minimum)
        and np.array_equal(acc[:, 3], stats.maximum)
    )

    shuffled = rng.permutation(times)
    append_sorted = best(lambda: MetricSeries().append(times, values), number=1, repeat=3)
    append_shuffled = best(lambda: MetricSeries().append(shuffled, values), number=1, repeat=3)

    # PutAlarm: a day of one-minute data; the engine reads the 14 periods of N = 12.
    day = MetricSeries(START + np.arange(1_440, dtype=np.float64) * 60.0, rng.uniform(0, 100, 1_440))
    end = START + DAY

    def per_alarm() -> None:
        day.periods.window(end, 14, MetricStatistic.AVERAGE)

    alarm = best(per_alarm, number=20_000)

    rows = [
        (f"aggregate {SAMPLES:,} -> {BUCKETS:,} buckets, 5 stats", f"{fast * 1e3:9.2f} ms"),
        ("reference Python loop (once)", f"{slow * 1e3:9.2f} ms"),
        ("speed-up (target >= 100x)", f"{slow / fast:9.0f} x"),
        ("results agree", f"{'yes' if agree else 'NO':>9}"),
        (f"MetricSeries.append {SAMPLES:,}, sorted", f"{append_sorted * 1e3:9.2f} ms"),
        (f"MetricSeries.append {SAMPLES:,}, shuffled", f"{append_shuffled * 1e3:9.2f} ms"),
        ("PeriodSets.window, 14 x 300 s of 1,440 samples", f"{alarm * 1e6:9.1f} us/call"),
    ]
    width = max(len(label) for label, _ in rows)
    print(f"numpy {np.__version__}, python {sys.version.split()[0]}")
    for label, value in rows:
        print(f"{label:<{width}}  {value}")
    return 0 if agree else 1


if __name__ == "__main__":
    sys.exit(main())
