"""Costs that must not grow with what the store holds (issue 12, "Scale").

* PutAlarm: the cost of one call (an update of an existing alarm, evaluated at once)
  with 1,000 and with 10,000 other alarms in the region, and their ratio (target: at
  most 1.5x). The per-metric alarm limit reads an index, not every alarm.
* GetAlarms per page at 1,000 and 10,000 alarms, every page walked, and their ratio
  (target: at most 1.5x): a page costs a binary search and its own items.
* A clock moved one year ahead with 500 and 2,000 alarms, over a year of CPU data
  (so that every boundary sees data: a stretch without any is crossed in one
  evaluation, ``bench_quiet.py``): the time, and the peak of memory traced by
  ``tracemalloc`` during the move. The replay runs in blocks of evaluations, and a
  state change keeps only what its reason is made of, so the peak is bounded by what is
  recorded (state changes and notifications), not by the 105,120 evaluations of each
  alarm.

Run: ``python benchmarks/bench_scale.py [--quick]``.
"""

from __future__ import annotations

import argparse
import gc
import statistics
import time
import tracemalloc
from datetime import UTC, datetime
from typing import Any

import boto3
import numpy as np

from lightmock import LightsailMock, mock_lightsail
from lightmock.core.domain import METRICS_BY_RESOURCE_TYPE, ResourceType

T0 = datetime(2026, 11, 28, 12, 0, 0, tzinfo=UTC)
REGION = "us-east-1"
#: Alarmable instance metrics: Lightsail allows two alarms per metric per resource.
METRICS = tuple(name for name, spec in METRICS_BY_RESOURCE_TYPE[ResourceType.INSTANCE].items() if spec.alarmable)
PUT_ALARM_TARGET = 1.5


def populate(ls: Any, client: Any, alarms: int, rng: np.random.Generator) -> list[dict[str, Any]]:
    """``alarms`` alarms in the client's region on as many instances as the limit needs, a
    day of CPU data each; returns the PutAlarm parameters of every alarm."""
    region = client.meta.region_name
    per_instance = 2 * len(METRICS)
    instances = [f"i-{n:04d}" for n in range(-(-alarms // per_instance))]
    for first in range(0, len(instances), 20):
        client.create_instances(
            instanceNames=instances[first : first + 20],
            availabilityZone=f"{region}a",
            blueprintId="ubuntu_22_04",
            bundleId="nano_3_0",
        )
    for name in instances:
        ls.put_metric_data(name, "CPUUtilization", rng.uniform(0.0, 100.0, 288).round(1), region=region)
    puts = []
    for index in range(alarms):
        instance, slot = divmod(index, per_instance)
        params = {
            "alarmName": f"alarm-{index:05d}",
            "metricName": METRICS[slot // 2],
            "monitoredResourceName": instances[instance],
            "comparisonOperator": "GreaterThanThreshold",
            "threshold": float(rng.integers(20, 80)),
            "evaluationPeriods": int(rng.choice([1, 3, 5])),
            "notificationTriggers": ["ALARM", "OK", "INSUFFICIENT_DATA"],
        }
        client.put_alarm(**params)
        puts.append(params)
    return puts


def put_alarm_cost(alarms: int, calls: int, rounds: int) -> float:
    """Median over rounds of the cost of one PutAlarm update with ``alarms`` alarms stored."""
    rng = np.random.default_rng(5)
    with mock_lightsail() as ls:
        ls.clock.freeze(T0)
        client = boto3.client("lightsail", region_name=REGION)
        puts = populate(ls, client, alarms, rng)
        # CPU alarms (slots 4 and 5 of an instance) read data: their updates evaluate it.
        targets = [params for params in puts if params["metricName"] == "CPUUtilization"][:calls]
        for params in targets:  # warm-up
            client.put_alarm(**params)
        times = []
        for _ in range(rounds):
            gc.collect()
            began = time.perf_counter()
            for params in targets:
                client.put_alarm(**params)
            times.append((time.perf_counter() - began) / len(targets))
        return statistics.median(times)


def year_advance(alarms: int) -> tuple[float, int, int]:
    """Seconds and peak traced bytes to move the clock one year, and the changes recorded."""
    rng = np.random.default_rng(6)
    with mock_lightsail() as ls:
        ls.clock.freeze(T0)
        client = boto3.client("lightsail", region_name=REGION)
        client.create_contact_method(protocol="Email", contactEndpoint="ops@example.com")
        ls.verify_contact_method("Email")
        puts = populate(ls, client, alarms, rng)
        # A steady level per instance: the alarms decide at every boundary and change rarely,
        # so that what is recorded stays small and the peak is the replay's own.
        year = T0.timestamp() + np.arange(1, 105_121, dtype=np.float64) * 300 - 150
        for name in sorted({params["monitoredResourceName"] for params in puts}):
            ls.put_metric_data(
                name, "CPUUtilization", np.full(year.size, round(rng.uniform(0.0, 100.0), 1)), timestamps=year
            )
        client.get_alarms()  # every alarm evaluated at T0
        gc.collect()
        tracemalloc.start()
        began = time.perf_counter()
        ls.clock.advance(days=365)
        client.get_alarms()  # catches up 105,120 evaluations of every alarm
        elapsed = time.perf_counter() - began
        _, peak = tracemalloc.get_traced_memory()
        tracemalloc.stop()
        changes = sum(len(ls.alarm_history(f"alarm-{index:05d}")) for index in range(alarms))
        return elapsed, peak, changes


# --- GetAlarms: the cost of one page as the number of alarms grows ---------------------------
# (requests helper's part: paging costs O(page size + log n), issue 12 "Scale")

PAGE_SIZE = 100


def _walk(client: Any) -> tuple[int, int]:
    """Every page of GetAlarms: (pages, alarms)."""
    pages, alarms, token = 0, 0, None
    while True:
        page = client.get_alarms(**({"pageToken": token} if token else {}))
        pages += 1
        alarms += len(page["alarms"])
        token = page.get("nextPageToken")
        if not token:
            return pages, alarms


def _per_page(client: Any, pages: int) -> float:
    start = time.perf_counter()
    _walk(client)
    return (time.perf_counter() - start) / pages


def bench_get_alarms_pages(quick: bool = False) -> float:
    """Print the cost of one GetAlarms page (100 alarms) at 1,000 and 10,000 alarms; return the ratio.

    Both sets live in one mock, in two regions, and are walked in alternating rounds (the
    ratio of each round's pair, median reported): the machine's drift cancels within a
    pair, and both walks run beside the same live heap, so the ratio is the paging's own.
    """
    rounds = 5 if quick else 11
    with LightsailMock(page_size=PAGE_SIZE) as ls:
        ls.clock.freeze(T0)
        clients = {}
        pages = {}
        for count, region in ((1_000, "us-east-1"), (10_000, "us-west-2")):
            clients[count] = boto3.client("lightsail", region_name=region)
            populate(ls, clients[count], count, np.random.default_rng(count))
            pages[count], alarms = _walk(clients[count])  # warm-up: first-call caches
            assert alarms == count, (alarms, count)
        small, large, ratios = [], [], []
        for index in range(rounds):
            order = (1_000, 10_000) if index % 2 == 0 else (10_000, 1_000)
            times = {count: _per_page(clients[count], pages[count]) for count in order}
            small.append(times[1_000])
            large.append(times[10_000])
            ratios.append(times[10_000] / times[1_000])
    ratio = statistics.median(ratios)
    print(f"GetAlarms, pages of {PAGE_SIZE}, every page walked; {rounds} rounds, 1,000 and 10,000 back to back")
    print(f"  1,000 alarms:  {statistics.median(small) * 1e3:8.2f} ms per page")
    print(f"  10,000 alarms: {statistics.median(large) * 1e3:8.2f} ms per page")
    print(f"  ratio:         {ratio:8.2f}   target <= 1.5 (rounds {min(ratios):.2f}..{max(ratios):.2f})")
    return ratio


# --- end of the GetAlarms part -----------------------------------------------------------


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description="lightmock costs against the size of the store")
    parser.add_argument("--quick", action="store_true")
    options = parser.parse_args(argv)
    calls, rounds = (50, 3) if options.quick else (200, 5)

    print("PutAlarm (an update, evaluated at once) against the alarms in the region")
    small = put_alarm_cost(1_000, calls, rounds)
    large = put_alarm_cost(10_000, calls, rounds)
    print(f"  1,000 alarms: {small * 1e6:8.1f} µs per call")
    print(f" 10,000 alarms: {large * 1e6:8.1f} µs per call")
    print(f"  ratio:        {large / small:8.2f}x   target <= {PUT_ALARM_TARGET}")

    print()
    bench_get_alarms_pages(options.quick)

    print("\nThe clock moved one year ahead over a year of data (105,120 evaluations of every alarm)")
    for alarms in (500, 2_000):
        elapsed, peak, changes = year_advance(alarms)
        print(
            f"  {alarms:>5,} alarms: {elapsed:7.2f} s, peak traced memory {peak / 2**20:7.1f} MiB, "
            f"{changes:,} state changes recorded"
        )
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
