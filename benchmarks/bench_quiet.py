"""A clock moved a thousand years ahead (issue 18): the next call answers within a second.

Moving the clock is legal at any distance, and every call first evaluates every boundary
the clock has passed. The old engine replayed each of them: 365,000 days are 105,120,000
boundaries, about 10^8 evaluations of every alarm under the store's lock, during which
every other call waits. A stretch whose evaluations see no datapoint has a known outcome
and is now crossed in one evaluation (``timeline.catch_up``).

The scenario: 100 alarms on four instances, every treatment of missing data, N from 1
to 12, a day of five-minute data behind the clock and a day ahead for each alarm's
metric, notifications by email. The clock moves 365,000 days at once and one GetAlarms
call follows; its time (the catch-up included) is the figure, target at most 1 s. The
boundaries evaluated are counted too.

The old code (the commit issue 18 started from, unpacked with ``git archive``) runs the
same scenario with a move of one year, since a thousand would take it hours; its time
per year is printed and multiplied by a thousand. After the data has aged out of every
range nothing changes any more, so both runs must record the same histories (timestamps,
states, reasons), notifications and final states: compared by digest.

Run: ``python benchmarks/bench_quiet.py [--baseline PATH]``.
"""

from __future__ import annotations

import argparse
import json
import os
import time
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

from baseline import ROOT, baseline_tree, history_digest, run_worker

BASELINE_COMMIT = "36d5e47"
T0 = datetime(2026, 11, 28, 12, 0, 0, tzinfo=UTC)
ALARMS = 100
DAYS = 365_000
BASELINE_DAYS = 365
TARGET_SECONDS = 1.0
METRICS = ("CPUUtilization", "NetworkIn", "NetworkOut", "StatusCheckFailed", "BurstCapacityPercentage")
TREATMENTS = ("breaching", "notBreaching", "ignore", "missing")


def worker(days: int) -> dict[str, Any]:
    """Build the scenario on whichever ``lightmock`` is importable, move the clock, time the call."""
    import boto3
    import numpy as np

    from lightmock import mock_lightsail
    from lightmock.engine import timeline

    rng = np.random.default_rng(18)
    per_instance = 2 * len(METRICS)
    instances = [f"i-{n}" for n in range(-(-ALARMS // per_instance))]
    with mock_lightsail() as ls:
        ls.clock.freeze(T0)
        client = boto3.client("lightsail", region_name="us-east-1")
        client.create_contact_method(protocol="Email", contactEndpoint="ops@example.com")
        ls.verify_contact_method("Email")
        client.create_instances(
            instanceNames=instances, availabilityZone="us-east-1a", blueprintId="ubuntu_22_04", bundleId="nano_3_0"
        )
        stamps = T0.timestamp() + np.arange(-288, 288, dtype=np.float64) * 300 + 17.0
        for name in instances:
            for metric in METRICS:
                values = (rng.uniform(10.0, 90.0) + rng.normal(0.0, 5.0, stamps.size)).round(1)
                values[rng.random(stamps.size) < 0.05] = np.nan
                ls.put_metric_data(name, metric, values, timestamps=stamps)
        names = []
        for index in range(ALARMS):
            instance, slot = divmod(index, per_instance)
            periods = int(rng.choice([1, 2, 3, 5, 12]))
            names.append(f"alarm-{index:03d}")
            client.put_alarm(
                alarmName=names[-1],
                metricName=METRICS[slot // 2],
                monitoredResourceName=instances[instance],
                comparisonOperator="GreaterThanThreshold",
                threshold=float(rng.integers(20, 80)),
                evaluationPeriods=periods,
                datapointsToAlarm=int(rng.integers(1, periods + 1)),
                treatMissingData=TREATMENTS[index % 4],
                contactProtocols=["Email"],
                notificationTriggers=["ALARM", "OK", "INSUFFICIENT_DATA"],
            )
        evaluated = [0]
        evaluate_history = timeline.evaluate_history

        def counting(values: Any, params: Any, initial: Any, steps: int) -> Any:
            evaluated[0] += steps
            return evaluate_history(values, params, initial, steps)

        timeline.evaluate_history = counting  # type: ignore[assignment]
        ls.clock.advance(days=days)
        began = time.perf_counter()
        alarms = client.get_alarms()["alarms"]
        seconds = time.perf_counter() - began
        timeline.evaluate_history = evaluate_history  # type: ignore[assignment]
        states = {alarm["name"]: alarm["state"] for alarm in alarms}
        return {"seconds": seconds, "evaluated": evaluated[0], **history_digest(ls, names, states)}


def run(code: Path, days: int) -> dict[str, Any]:
    """The scenario in a subprocess that imports ``lightmock`` from ``code``."""
    return run_worker(__file__, code, str(days))


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description="a clock moved a thousand years ahead, old code against new")
    parser.add_argument("--baseline", default=os.environ.get("LIGHTMOCK_BASELINE"))
    parser.add_argument("--worker", type=int, help=argparse.SUPPRESS)
    options = parser.parse_args(argv)
    if options.worker is not None:
        print(json.dumps(worker(options.worker)))
        return 0
    with baseline_tree(BASELINE_COMMIT, options.baseline) as baseline:
        old = run(baseline, BASELINE_DAYS)
        new = run(ROOT, DAYS)
    boundaries = DAYS * 288
    print(f"{ALARMS} alarms, a day of data behind the clock and a day ahead; the clock moved, then one GetAlarms call")
    print(f"{'':<34}{'moved':>14}{'GetAlarms':>12}{'boundaries evaluated':>24}")
    print(
        f"{'old code (' + BASELINE_COMMIT + ')':<34}{BASELINE_DAYS:>9,} days{old['seconds']:>10.2f} s"
        f"{old['evaluated']:>24,}"
    )
    print(
        f"{'  the same per 365,000 days':<34}{DAYS:>9,} days{old['seconds'] * DAYS / BASELINE_DAYS:>10.0f} s"
        f"{old['evaluated'] * DAYS // BASELINE_DAYS:>24,}   (extrapolated)"
    )
    print(f"{'this code':<34}{DAYS:>9,} days{new['seconds']:>10.3f} s{new['evaluated']:>24,}")
    print(f"boundaries passed: {boundaries:,}; target: GetAlarms within {TARGET_SECONDS:.0f} s after the move")
    same = all(old[key] == new[key] for key in ("digest", "changes", "notifications"))
    print(
        f"state changes {new['changes']}, notifications {new['notifications']}; final states, histories "
        f"(timestamps, states, reasons) and notifications {'identical' if same else 'DIFFER'}"
    )
    return 0 if same and new["seconds"] <= TARGET_SECONDS else 1


if __name__ == "__main__":
    raise SystemExit(main())
