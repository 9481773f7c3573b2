"""The alarm engine at scale: a day in 5-minute steps, 10,000 alarms, against the old code.

Issue 11's scenario: 10,000 alarms on instances with data; 288 times the clock moves
five minutes and the test makes one GetAlarms call (each call first catches up one
evaluation of every alarm). Lightsail allows two alarms per metric per resource, so
10,000 alarms need 334 instances (15 alarmable metrics, two alarms each); every one of
them has a day of 5-minute samples behind the clock and a day ahead for every metric:
a steady level per metric with noise and 5 % gaps, thresholds drawn independently, so
that some alarms change state now and then and most rarely do.

The same scenario runs, through a real boto3 client, in two subprocesses: one on the
code of the commit issue 11 started from (093ed35, the old flat layout) and one on this
checkout; both are timed in the same run and the ratio is printed (target: at least
8x). The day is timed twice: once with ``GetAlarms()`` (its first page of 100 alarms;
the listing's own cost, which sorts every alarm on every call, belongs to paging and
is counted) and once more, over the next day, with ``GetAlarms(alarmName=...)``, whose
answer is one alarm, so that the figure is the engine's catch-up. Every evaluation must
still give the same answer: each run hands back a digest of every alarm's final state
and whole history (timestamps, states and reasons) and of the notifications, and the
two digests must be equal.

Run: ``python benchmarks/bench_engine_scale.py [--baseline PATH] [--alarms N]``. The old
code is read from ``--baseline`` (or ``$LIGHTMOCK_BASELINE``); without either, a
``git worktree`` of 093ed35 is made in a temporary directory and removed afterwards.
"""

from __future__ import annotations

import argparse
import json
import os
import subprocess
import tempfile
import time
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

from baseline import ROOT, history_digest, run_worker

BASELINE_COMMIT = "093ed35"
T0 = datetime(2026, 11, 28, 12, 0, 0, tzinfo=UTC)
STEPS = 288
TARGET = 8.0
METRICS = (
    "BurstCapacityPercentage",
    "BurstCapacityTime",
    "CPUUtilization",
    "NetworkIn",
    "NetworkOut",
    "StatusCheckFailed",
    "StatusCheckFailed_Instance",
    "StatusCheckFailed_System",
    "DiskReadOps",
    "DiskWriteOps",
    "DiskReadBytes",
    "DiskWriteBytes",
    "DiskTotalReadTime",
    "DiskTotalWriteTime",
    "DiskQueueLength",
)
OPERATORS = (
    "GreaterThanOrEqualToThreshold",
    "GreaterThanThreshold",
    "LessThanThreshold",
    "LessThanOrEqualToThreshold",
)
TREATMENTS = ("breaching", "notBreaching", "ignore", "missing")


def worker(alarms: int) -> dict[str, Any]:
    """Build the scenario on whichever ``lightmock`` is importable, time the day, digest it."""
    import boto3
    import numpy as np

    from lightmock import mock_lightsail

    rng = np.random.default_rng(11)
    per_instance = 2 * len(METRICS)
    instances = [f"i-{n:04d}" for n in range(-(-alarms // per_instance))]
    with mock_lightsail() as ls:
        ls.clock.freeze(T0)
        client = boto3.client("lightsail", region_name="us-east-1")
        client.create_contact_method(protocol="Email", contactEndpoint="ops@example.com")
        ls.verify_contact_method("Email")
        for first in range(0, len(instances), 20):
            client.create_instances(
                instanceNames=instances[first : first + 20],
                availabilityZone="us-east-1a",
                blueprintId="ubuntu_22_04",
                bundleId="nano_3_0",
            )
        t0 = T0.timestamp()
        stamps = t0 + np.arange(-STEPS, 2 * STEPS, dtype=np.float64) * 300 + 17.0
        for name in instances:
            for metric in METRICS:
                # A steady level with noise and a few gaps: alarms whose threshold is near
                # the level change state now and then, the others rarely.
                values = (rng.uniform(10.0, 90.0) + rng.normal(0.0, 5.0, stamps.size)).round(1)
                values[rng.random(stamps.size) < 0.05] = np.nan
                ls.put_metric_data(name, metric, values, timestamps=stamps)
        names = []
        for index in range(alarms):
            instance, slot = divmod(index, per_instance)
            periods = int(rng.choice([1, 2, 3, 5, 12]))
            name = f"alarm-{index:05d}"
            names.append(name)
            client.put_alarm(
                alarmName=name,
                metricName=METRICS[slot // 2],
                monitoredResourceName=instances[instance],
                comparisonOperator=OPERATORS[int(rng.integers(0, 4))],
                threshold=float(rng.integers(20, 80)),
                evaluationPeriods=periods,
                datapointsToAlarm=int(rng.integers(1, periods + 1)),
                treatMissingData=TREATMENTS[int(rng.integers(0, 4))],
                contactProtocols=["Email"],
                notificationTriggers=["ALARM", "OK", "INSUFFICIENT_DATA"],
            )
        began = time.perf_counter()
        for _ in range(STEPS):
            ls.clock.advance(minutes=5)
            client.get_alarms()
        elapsed = time.perf_counter() - began
        began = time.perf_counter()
        for step in range(STEPS):
            ls.clock.advance(minutes=5)
            client.get_alarms(alarmName=names[step])
        engine = time.perf_counter() - began
        states = {alarm["name"]: alarm["state"] for alarm in _all_alarms(client)}
        return {"seconds": elapsed, "engine": engine, **history_digest(ls, names, states)}


def _all_alarms(client: Any) -> list[dict[str, Any]]:
    alarms: list[dict[str, Any]] = []
    token = None
    while True:
        page = client.get_alarms(**({"pageToken": token} if token else {}))
        alarms += page["alarms"]
        token = page.get("nextPageToken")
        if not token:
            return alarms


def run(code: Path, alarms: int) -> dict[str, Any]:
    """The scenario in a subprocess that imports ``lightmock`` from ``code``."""
    return run_worker(__file__, code, "--alarms", str(alarms))


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description="the alarm engine at scale, old code against new")
    parser.add_argument("--baseline", default=os.environ.get("LIGHTMOCK_BASELINE"))
    parser.add_argument("--alarms", type=int, default=10_000)
    parser.add_argument("--worker", action="store_true", help=argparse.SUPPRESS)
    options = parser.parse_args(argv)
    if options.worker:
        print(json.dumps(worker(options.alarms)))
        return 0
    made = None
    baseline = Path(options.baseline) if options.baseline else None
    if baseline is None or not baseline.exists():
        made = Path(tempfile.mkdtemp(prefix="lightmock-baseline-")) / "tree"
        subprocess.run(["git", "-C", str(ROOT), "worktree", "add", "--detach", str(made), BASELINE_COMMIT], check=True)
        baseline = made
    try:
        print(f"{options.alarms} alarms, {STEPS} steps of 5 minutes, each followed by one GetAlarms call")
        old = run(baseline, options.alarms)
        new = run(ROOT, options.alarms)
    finally:
        if made is not None:
            subprocess.run(["git", "-C", str(ROOT), "worktree", "remove", "--force", str(made)], check=False)
    print(f"{'':<24}{'GetAlarms()':>14}{'GetAlarms(alarmName)':>24}")
    for label, result in ((f"old code ({BASELINE_COMMIT})", old), ("this code", new)):
        print(f"{label:<24}{result['seconds']:>12.2f} s{result['engine']:>22.2f} s")
    ratios = (old["seconds"] / new["seconds"], old["engine"] / new["engine"])
    print(f"{'speed-up':<24}{ratios[0]:>12.1f} x{ratios[1]:>22.1f} x   target >= {TARGET:.0f}x")
    same = all(old[key] == new[key] for key in ("digest", "changes", "notifications"))
    print(
        f"state changes {new['changes']}, notifications {new['notifications']}; final states, histories "
        f"(timestamps, states, reasons) and notifications {'identical' if same else 'DIFFER'}"
    )
    return 0 if same else 1


if __name__ == "__main__":
    raise SystemExit(main())
