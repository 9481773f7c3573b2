"""Listing snapshots must not slow down as they pile up (issue 19).

GetInstanceSnapshots per page, every page walked, with 1,000 and with 10,000 instance
snapshots in the region, and their ratio (target: at most 1.5x): a page costs a binary
search and its own items (``service/paging.py``). The snapshots are taken through the
client (CreateInstanceSnapshot), as a user takes them.

Run: ``python benchmarks/bench_snapshot_listing.py [--quick]``.
"""

from __future__ import annotations

import argparse
import statistics
import time
from datetime import UTC, datetime
from typing import Any

import boto3

from lightmock import mock_lightsail

T0 = datetime(2026, 11, 28, 12, 0, 0, tzinfo=UTC)
REGION = "us-east-1"
TARGET = 1.5


def per_page(client: Any) -> tuple[float, int]:
    """Seconds per page of a full walk of GetInstanceSnapshots, and the count listed."""
    pages, listed, token = 0, 0, None
    start = time.perf_counter()
    while True:
        page = client.get_instance_snapshots(**({"pageToken": token} if token else {}))
        pages += 1
        listed += len(page["instanceSnapshots"])
        token = page.get("nextPageToken")
        if not token:
            return (time.perf_counter() - start) / pages, listed


def measure(snapshots: int, rounds: int) -> float:
    with mock_lightsail() as ls:
        ls.clock.freeze(T0)
        client = boto3.client("lightsail", region_name=REGION)
        client.create_instances(
            instanceNames=["web-1"], availabilityZone=f"{REGION}a", blueprintId="ubuntu_22_04", bundleId="nano_3_0"
        )
        for index in range(snapshots):
            client.create_instance_snapshot(instanceName="web-1", instanceSnapshotName=f"snap-{index:05d}")
            if index % 100 == 99:
                ls.clock.advance(seconds=1)
        per_page(client)  # warm-up
        times = []
        for _ in range(rounds):
            elapsed, listed = per_page(client)
            assert listed == snapshots
            times.append(elapsed)
        return statistics.median(times)


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description="GetInstanceSnapshots per page at 1,000 and 10,000 snapshots")
    parser.add_argument("--quick", action="store_true")
    options = parser.parse_args(argv)
    rounds = 3 if options.quick else 7
    small = measure(1_000, rounds)
    large = measure(10_000, rounds)
    print(f"{'GetInstanceSnapshots per page, 1,000':<42}{small * 1e3:>8.2f} ms")
    print(f"{'GetInstanceSnapshots per page, 10,000':<42}{large * 1e3:>8.2f} ms")
    print(f"{'ratio 10,000 / 1,000':<42}{large / small:>8.2f}x   target <= {TARGET}")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
