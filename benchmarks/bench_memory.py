"""What seeded metric data keeps in memory (issue 18): at most 40 bytes a sample.

5,000,000 samples are seeded through ``LightsailMock.put_metric_data`` and the memory
still held afterwards is counted by ``tracemalloc`` (numpy's buffers included), per
sample. The raw columns are 16 bytes a sample (time and value, float64); the old
per-period statistic sets added 40 bytes a period, 56 bytes a sample in all for
five-minute data. Cases: five-minute data (a sample a period), one-minute data, samples
every 290 s (one a period, now and then two), five-minute data seeded in 100 calls (the
columns grow, with room to spare), and five-minute data watched by an alarm after a
GetAlarms call (the alarm engine's index of the periods is counted too).

Each case runs in a fresh process, on this checkout and on the commit issue 18 started
from (unpacked with ``git archive``), in one run.

Run: ``python benchmarks/bench_memory.py [--samples N] [--baseline PATH]``.
"""

from __future__ import annotations

import argparse
import json
import os
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

from baseline import ROOT, baseline_tree, run_worker

BASELINE_COMMIT = "36d5e47"
T0 = datetime(2026, 11, 28, 12, 0, 0, tzinfo=UTC)
SAMPLES = 5_000_000
TARGET = 40.0
#: (label, seconds between samples, seeding calls, an alarm watching)
CASES = (
    ("five-minute samples", 300.0, 1, False),
    ("one-minute samples", 60.0, 1, False),
    ("a sample every 290 s", 290.0, 1, False),
    ("five-minute, in 100 calls", 300.0, 100, False),
    ("five-minute, an alarm watching", 300.0, 1, True),
)


def worker(samples: int, spacing: float, calls: int, alarm: bool) -> dict[str, Any]:
    """Seed on whichever ``lightmock`` is importable; the bytes still traced afterwards."""
    import gc
    import tracemalloc

    import boto3
    import numpy as np

    from lightmock import mock_lightsail

    with mock_lightsail() as ls:
        ls.clock.freeze(T0)
        client = boto3.client("lightsail", region_name="us-east-1")
        client.create_instances(
            instanceNames=["web-1"], availabilityZone="us-east-1a", blueprintId="ubuntu_22_04", bundleId="nano_3_0"
        )
        if alarm:
            client.put_alarm(
                alarmName="cpu-high",
                metricName="CPUUtilization",
                monitoredResourceName="web-1",
                comparisonOperator="GreaterThanThreshold",
                threshold=50.0,
                evaluationPeriods=3,
            )
            client.get_alarms()
        now = T0.timestamp()
        times = now - spacing * np.arange(samples, 0, -1, dtype=np.float64)
        values = np.random.default_rng(18).uniform(0.0, 100.0, samples).round(2)
        gc.collect()
        tracemalloc.start()
        before = tracemalloc.get_traced_memory()[0]
        for part in range(calls):
            lo, hi = part * samples // calls, (part + 1) * samples // calls
            ls.put_metric_data("web-1", "CPUUtilization", values[lo:hi], timestamps=times[lo:hi])
        if alarm:
            ls.clock.advance(minutes=5)
            client.get_alarms()  # the engine indexes the periods the alarm reads
        gc.collect()
        retained, peak = tracemalloc.get_traced_memory()
        tracemalloc.stop()
        return {"retained": (retained - before) / samples, "peak": (peak - before) / samples}


def run(code: Path, samples: int, case: tuple[str, float, int, bool]) -> dict[str, Any]:
    """One case in a subprocess that imports ``lightmock`` from ``code``."""
    _, spacing, calls, alarm = case
    return run_worker(__file__, code, json.dumps([samples, spacing, calls, alarm]))


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description="bytes kept per seeded sample, old code against new")
    parser.add_argument("--samples", type=int, default=SAMPLES)
    parser.add_argument("--baseline", default=os.environ.get("LIGHTMOCK_BASELINE"))
    parser.add_argument("--worker", help=argparse.SUPPRESS)
    options = parser.parse_args(argv)
    if options.worker:
        samples, spacing, calls, alarm = json.loads(options.worker)
        print(json.dumps(worker(samples, spacing, calls, alarm)))
        return 0
    with baseline_tree(BASELINE_COMMIT, options.baseline) as baseline:
        print(f"{options.samples:,} samples seeded; bytes per sample traced after seeding (peak while seeding)")
        print(f"{'':<34}{'old (' + BASELINE_COMMIT + ')':>20}{'this code':>20}")
        worst = 0.0
        for case in CASES:
            old = run(baseline, options.samples, case)
            new = run(ROOT, options.samples, case)
            worst = max(worst, new["retained"])
            print(
                f"{case[0]:<34}{old['retained']:>9.1f} ({old['peak']:>6.1f})"
                f"{new['retained']:>12.1f} ({new['peak']:>6.1f})"
            )
    print(f"target: at most {TARGET:.0f} bytes a sample kept, in every case; this code's most: {worst:.1f}")
    return 0 if worst <= TARGET else 1


if __name__ == "__main__":
    raise SystemExit(main())
