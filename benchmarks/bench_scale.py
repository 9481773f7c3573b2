"""How the mock's costs grow with the number of alarms.

Run: ``python benchmarks/bench_scale.py [--quick]``. Each part is its own function, so
that parts can be run, and merged, one at a time.
"""

from __future__ import annotations

import argparse
import statistics
import sys
import time
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

import boto3

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from lightmock import LightsailMock  # noqa: E402
from lightmock.core.domain import METRICS_BY_RESOURCE_TYPE, ResourceType  # noqa: E402

REGION = "us-east-1"
T0 = datetime(2026, 11, 28, 8, 0, tzinfo=UTC)


# --- GetAlarms: the cost of one page as the number of alarms grows ---------------------------
# (requests helper's part: paging costs O(page size + log n), issue 12 "Scale")

PAGE_SIZE = 100


def _fill_alarms(client: Any, count: int) -> None:
    """``count`` alarms in the client's region: two per alarmable metric of as many
    instances as that takes."""
    metrics = [name for name, spec in METRICS_BY_RESOURCE_TYPE[ResourceType.INSTANCE].items() if spec.alarmable]
    per_instance = 2 * len(metrics)
    instances = [f"web-{index}" for index in range(-(-count // per_instance))]
    client.create_instances(
        instanceNames=instances,
        availabilityZone=f"{client.meta.region_name}a", blueprintId="ubuntu_22_04", bundleId="nano_3_0"
    )
    made = 0
    for instance in instances:
        for metric in metrics:
            for operator in ("GreaterThanThreshold", "LessThanThreshold"):
                if made == count:
                    return
                client.put_alarm(
                    alarmName=f"{instance}-{metric}-{operator}",
                    metricName=metric,
                    monitoredResourceName=instance,
                    comparisonOperator=operator,
                    threshold=50.0,
                    evaluationPeriods=1,
                )
                made += 1


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
            _fill_alarms(clients[count], count)
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
    parser = argparse.ArgumentParser(description="lightmock costs against the number of alarms")
    parser.add_argument("--quick", action="store_true")
    options = parser.parse_args(argv)
    bench_get_alarms_pages(options.quick)
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
