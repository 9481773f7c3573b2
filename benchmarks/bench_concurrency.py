"""Throughput of a mixed load through real boto3 clients, with 1 thread and with 16.

The load is the one ``tests/test_concurrency.py`` checks for correctness: PutAlarm,
GetAlarms, DeleteAlarm, ``ls.put_metric_data`` and GetInstanceMetricData. Each thread has
its own boto3 session and client. The store is guarded by one re-entrant lock, and botocore
itself holds the GIL for most of a call, so 16 threads are not expected to beat one; what
matters is that throughput does not collapse under contention (the ratio is printed).

Run from anywhere: ``python benchmarks/bench_concurrency.py [--quick]``.
"""

from __future__ import annotations

import argparse
import random
import threading
import time
from datetime import UTC, datetime
from typing import Any

import boto3
from botocore.config import Config
from botocore.exceptions import ClientError

from lightmock import LightsailMock, mock_lightsail

NOW = datetime(2026, 11, 28, 8, 0, tzinfo=UTC)
INSTANCES = ["web-1", "web-2", "web-3", "web-4"]
METRICS = ["CPUUtilization", "NetworkIn", "NetworkOut", "StatusCheckFailed"]
WINDOW = {"period": 3600, "startTime": NOW.timestamp() - 86_400, "endTime": NOW.timestamp()}


def new_client() -> Any:
    config = Config(retries={"total_max_attempts": 1})
    return boto3.session.Session().client("lightsail", region_name="us-east-1", config=config)


def worker(
    index: int, client: Any, ls: LightsailMock, seconds: float, start: threading.Barrier, calls: list[int]
) -> None:
    rng = random.Random(index)
    mine: set[str] = set()
    start.wait()
    deadline = time.perf_counter() + seconds
    count = 0
    while time.perf_counter() < deadline:
        action = rng.choice(["put", "get", "delete", "data", "query"])
        if action == "put":
            name = f"t{index}-{rng.randrange(6)}"
            try:
                client.put_alarm(
                    alarmName=name,
                    metricName=rng.choice(METRICS),
                    monitoredResourceName=rng.choice(INSTANCES),
                    comparisonOperator="GreaterThanThreshold",
                    threshold=70.0,
                    evaluationPeriods=2,
                )
                mine.add(name)
            except ClientError:  # the two-alarms-per-metric limit, contended on purpose
                pass
        elif action == "get":
            client.get_alarms()
        elif action == "delete" and mine:
            client.delete_alarm(alarmName=mine.pop())
        elif action == "data":
            ls.put_metric_data(rng.choice(INSTANCES), "CPUUtilization", [50.0, 60.0, 70.0])
        else:
            client.get_instance_metric_data(
                instanceName=rng.choice(INSTANCES),
                metricName="CPUUtilization",
                unit="Percent",
                statistics=["Average", "SampleCount"],
                **WINDOW,
            )
        count += 1
    calls[index] = count


def throughput(threads: int, seconds: float) -> tuple[int, float]:
    """(calls made, calls per second) of ``threads`` threads for ``seconds``, on fresh state."""
    with mock_lightsail() as ls:
        ls.clock.freeze(NOW)
        setup = new_client()
        setup.create_instances(
            instanceNames=INSTANCES, availabilityZone="us-east-1a", blueprintId="ubuntu_22_04", bundleId="nano_3_0"
        )
        clients = [new_client() for _ in range(threads)]
        for client in clients:
            client.get_alarms()  # warm: endpoint resolution and first-call caches
        calls = [0] * threads
        barrier = threading.Barrier(threads + 1)
        pool = [
            threading.Thread(target=worker, args=(i, clients[i], ls, seconds, barrier, calls)) for i in range(threads)
        ]
        for thread in pool:
            thread.start()
        barrier.wait()
        began = time.perf_counter()
        for thread in pool:
            thread.join()
        elapsed = time.perf_counter() - began
    total = sum(calls)
    return total, total / elapsed


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--quick", action="store_true", help="1 second per measurement instead of 3")
    parser.add_argument("--threads", type=int, default=16)
    args = parser.parse_args()
    seconds = 1.0 if args.quick else 3.0
    single_calls, single = throughput(1, seconds)
    many_calls, many = throughput(args.threads, seconds)
    print(f"mixed load, {seconds:.0f} s each")
    print(f"   1 thread : {single_calls:6d} calls  {single:8.0f} calls/s")
    print(f"  {args.threads:2d} threads: {many_calls:6d} calls  {many:8.0f} calls/s")
    print(f"  ratio {args.threads} threads / 1 thread: {many / single:.2f}")


if __name__ == "__main__":
    main()
