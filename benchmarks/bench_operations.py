"""GetOperations against the length of the operation log (issue 18): a page costs the same.

Every mutating call logs its Operation record in the region, and the log only grows. The
old listing copied the whole log on every call before taking a page of it: 3.5 ms a
page with 1,000 operations logged, 9.5 ms with 40,000. The log now keeps its records by
position and each resource's positions, and a page is a binary search and its own
records (``engine/oplog.py``, ``paging.newest_first``).

One mock holds 1,000 operations in us-east-1 and 40,000 in us-west-2 (PutAlarm updates
of one alarm, after one CreateInstances). Timed through a real boto3 client, in
alternating rounds (the ratio of each round's pair, the median reported): the first
page of GetOperations (100 records), a page further on (with a token), and
GetOperationsForResource of the instance, which has one record in the log. Target: a
page at 40,000 at most 1.5 times a page at 1,000. The same runs on the commit issue 18
started from (unpacked with ``git archive``), in one run.

Run: ``python benchmarks/bench_operations.py [--quick] [--baseline PATH]``.
"""

from __future__ import annotations

import argparse
import json
import os
import statistics
from collections.abc import Callable
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

from baseline import ROOT, baseline_tree, run_worker

BASELINE_COMMIT = "36d5e47"
T0 = datetime(2026, 11, 28, 12, 0, 0, tzinfo=UTC)
SIZES = {1_000: "us-east-1", 40_000: "us-west-2"}
TARGET = 1.5
CASES = ("GetOperations, first page", "GetOperations, a later page", "GetOperationsForResource (1 record)")


def worker(rounds: int, calls: int) -> dict[str, Any]:
    """Fill the logs on whichever ``lightmock`` is importable; time each case at each size."""
    import boto3
    from bench_calls import per_call  # imports lightmock too: in the worker only

    from lightmock import mock_lightsail

    with mock_lightsail() as ls:
        ls.clock.freeze(T0)
        cases: dict[int, list[Callable[[], Any]]] = {}
        for size, region in SIZES.items():
            client = boto3.client("lightsail", region_name=region)
            client.create_instances(
                instanceNames=["web-1"], availabilityZone=f"{region}a", blueprintId="ubuntu_22_04", bundleId="nano_3_0"
            )
            alarm = {
                "alarmName": "cpu-high",
                "metricName": "CPUUtilization",
                "monitoredResourceName": "web-1",
                "comparisonOperator": "GreaterThanThreshold",
                "threshold": 50.0,
                "evaluationPeriods": 1,
            }
            for _ in range(size - 1):
                client.put_alarm(**alarm)
            page = client.get_operations()
            for _ in range(4):
                page = client.get_operations(pageToken=page["nextPageToken"])
            token = page["nextPageToken"]
            cases[size] = [
                lambda client=client: client.get_operations(),
                lambda client=client, token=token: client.get_operations(pageToken=token),
                lambda client=client: client.get_operations_for_resource(resourceName="web-1"),
            ]
            assert len(cases[size][0]()["operations"]) == 100
        result: dict[str, Any] = {}
        for number, label in enumerate(CASES):
            times: dict[int, list[float]] = {size: [] for size in SIZES}
            ratios = []
            for size in SIZES:  # warm-up
                per_call(cases[size][number], calls)
            for index in range(rounds):
                for size in SIZES if index % 2 == 0 else reversed(SIZES):
                    times[size].append(per_call(cases[size][number], calls))
                ratios.append(times[40_000][-1] / times[1_000][-1])
            result[label] = {
                "small": statistics.median(times[1_000]),
                "large": statistics.median(times[40_000]),
                "ratio": statistics.median(ratios),
                "range": [min(ratios), max(ratios)],
            }
        return result


def run(code: Path, rounds: int, calls: int) -> dict[str, Any]:
    """The scenario in a subprocess that imports ``lightmock`` from ``code``."""
    return run_worker(__file__, code, json.dumps([rounds, calls]))


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description="GetOperations against the length of the log, old code against new")
    parser.add_argument("--quick", action="store_true")
    parser.add_argument("--baseline", default=os.environ.get("LIGHTMOCK_BASELINE"))
    parser.add_argument("--worker", help=argparse.SUPPRESS)
    options = parser.parse_args(argv)
    if options.worker:
        print(json.dumps(worker(*json.loads(options.worker))))
        return 0
    rounds, calls = (5, 20) if options.quick else (11, 50)
    with baseline_tree(BASELINE_COMMIT, options.baseline) as baseline:
        old = run(baseline, rounds, calls)
        new = run(ROOT, rounds, calls)
    print(f"ms per call with 1,000 and 40,000 operations logged; {rounds} rounds of {calls} calls, alternating")
    print(f"{'':<38}{'1,000':>8}{'40,000':>8}{'ratio':>7}   rounds' range")
    worst = 0.0
    for label in CASES:
        for name, result in ((f"old ({BASELINE_COMMIT})", old), ("this code", new)):
            row = result[label]
            print(
                f"{label if name.startswith('old') else '':<38}{row['small'] * 1e3:>8.2f}{row['large'] * 1e3:>8.2f}"
                f"{row['ratio']:>7.2f}   {row['range'][0]:.2f}..{row['range'][1]:.2f}  {name}"
            )
        worst = max(worst, new[label]["ratio"])
    print(f"target: a page at 40,000 at most {TARGET} times a page at 1,000; this code's most: {worst:.2f}")
    return 0 if worst <= TARGET else 1


if __name__ == "__main__":
    raise SystemExit(main())
