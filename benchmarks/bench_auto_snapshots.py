"""Automatic snapshots as the clock moves (issue 19): the cost must follow the snapshots
kept, not the days passed.

* 100 instances with the AutoSnapshot add-on; the clock moved one day, one week and one
  year ahead at once, then one call (GetAutoSnapshots, whose dispatch catches the region
  up): the year must cost about what the week costs (target: at most 1.5x), since only the
  last seven snapshots of each instance are made.
* The same year moved one day at a time, a call after each day (365 catch-ups): the time
  per simulated day.
* A call with nothing due, with 100 schedules in the region, against the same call in a
  region with none: what the per-call check costs (target: at most 1.10x).

Run: ``python benchmarks/bench_auto_snapshots.py [--quick]``.
"""

from __future__ import annotations

import argparse
import statistics
import time
from datetime import UTC, datetime
from typing import Any

import boto3

from lightmock import LightsailMock, mock_lightsail

T0 = datetime(2026, 11, 28, 12, 0, 0, tzinfo=UTC)
REGION = "us-east-1"
INSTANCES = 100
YEAR_TARGET = 1.5
CHECK_TARGET = 1.10
AT_3 = {"addOnType": "AutoSnapshot", "autoSnapshotAddOnRequest": {"snapshotTimeOfDay": "03:00"}}


def populate(client: Any, add_ons: bool) -> None:
    names = [f"i-{n:03d}" for n in range(INSTANCES)]
    for first in range(0, INSTANCES, 20):
        client.create_instances(
            instanceNames=names[first : first + 20],
            availabilityZone=f"{REGION}a",
            blueprintId="ubuntu_22_04",
            bundleId="nano_3_0",
            **({"addOns": [AT_3]} if add_ons else {}),
        )


def moved(days: float) -> float:
    """The time of the first call after the clock moved ``days`` ahead at once."""
    with mock_lightsail() as ls:
        ls.clock.freeze(T0)
        client = boto3.client("lightsail", region_name=REGION)
        populate(client, add_ons=True)
        ls.clock.advance(days=days)
        start = time.perf_counter()
        kept = client.get_auto_snapshots(resourceName="i-000")["autoSnapshots"]
        elapsed = time.perf_counter() - start
        assert len(kept) == min(7, int(days)), len(kept)
        return elapsed


def day_by_day(days: int) -> float:
    """The time per simulated day, a call after each."""
    with mock_lightsail() as ls:
        ls.clock.freeze(T0)
        client = boto3.client("lightsail", region_name=REGION)
        populate(client, add_ons=True)
        start = time.perf_counter()
        for _ in range(days):
            ls.clock.advance(days=1)
            client.get_auto_snapshots(resourceName="i-000")
        return (time.perf_counter() - start) / days


def idle_call(ls: LightsailMock, client: Any, calls: int) -> float:
    start = time.perf_counter()
    for _ in range(calls):
        client.get_instance(instanceName="i-000")
    return (time.perf_counter() - start) / calls


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description="automatic snapshots as the clock moves")
    parser.add_argument("--quick", action="store_true")
    options = parser.parse_args(argv)
    rounds = 3 if options.quick else 7
    print(f"{INSTANCES} instances with AutoSnapshot; medians of {rounds} rounds\n")

    day = statistics.median(moved(1) for _ in range(rounds))
    week = statistics.median(moved(7) for _ in range(rounds))
    year = statistics.median(moved(365) for _ in range(rounds))
    print(f"{'first call after 1 day':<40}{day * 1e3:>9.2f} ms")
    print(f"{'first call after 1 week':<40}{week * 1e3:>9.2f} ms")
    print(
        f"{'first call after 1 year':<40}{year * 1e3:>9.2f} ms   year / week {year / week:.2f}"
        f"   target <= {YEAR_TARGET}"
    )

    per_day = day_by_day(90 if options.quick else 365)
    print(f"{'a year day by day, per simulated day':<40}{per_day * 1e3:>9.2f} ms (a call each day)")

    ratios = []
    with mock_lightsail() as ls:
        ls.clock.freeze(T0)
        with_schedules = boto3.client("lightsail", region_name=REGION)
        populate(with_schedules, add_ons=True)
        without = boto3.client("lightsail", region_name="us-west-2")
        names = [f"i-{n:03d}" for n in range(INSTANCES)]
        for first in range(0, INSTANCES, 20):
            without.create_instances(
                instanceNames=names[first : first + 20],
                availabilityZone="us-west-2a",
                blueprintId="ubuntu_22_04",
                bundleId="nano_3_0",
            )
        idle_call(ls, with_schedules, 50)
        idle_call(ls, without, 50)
        for index in range(rounds * 3):
            if index % 2:
                b, a = idle_call(ls, without, 200), idle_call(ls, with_schedules, 200)
            else:
                a, b = idle_call(ls, with_schedules, 200), idle_call(ls, without, 200)
            ratios.append(a / b)
    print(
        f"{'a call, 100 schedules / none':<40}{statistics.median(ratios):>9.3f}x"
        f"   target <= {CHECK_TARGET} (rounds {min(ratios):.3f}..{max(ratios):.3f})"
    )
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
