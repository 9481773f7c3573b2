"""GetContainerLog: a page costs the same over a long log as over a short one.

Two container services, one whose container has 1,000 log events and one with 100,000; the
same request (the page of 100 events after a time in the middle of the log, with and
without a filter pattern that keeps every other event) through a real boto3 client,
interleaved in rounds. The target of issue 21: the long log's page at most 1.5 times the
short one's. Only ratios taken in one run are meaningful.

Run: ``python benchmarks/bench_container_log.py`` (``--quick`` for fewer rounds).
"""

from __future__ import annotations

import argparse
import statistics
import time
from collections.abc import Callable
from datetime import UTC, datetime, timedelta
from typing import Any

import boto3

from lightmock import mock_lightsail

NOW = datetime(2026, 11, 28, 12, 0, tzinfo=UTC)
TARGET = 1.5
SIZES = {"short": 1_000, "long": 100_000}


def per_call(function: Callable[[], Any], calls: int) -> float:
    start = time.perf_counter()
    for _ in range(calls):
        function()
    return (time.perf_counter() - start) / calls


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description="GetContainerLog page cost over 1,000 and 100,000 events")
    parser.add_argument("--quick", action="store_true")
    options = parser.parse_args(argv)
    rounds, calls = (5, 50) if options.quick else (15, 100)
    failed = False
    with mock_lightsail() as ls:
        ls.clock.freeze(NOW)
        client = boto3.client("lightsail", region_name="us-east-1")
        for name, size in SIZES.items():
            client.create_container_service(serviceName=name, power="nano", scale=1)
            client.create_container_service_deployment(
                serviceName=name, containers={"app": {"image": "nginx:latest", "ports": {"80": "HTTP"}}}
            )
            # One event a second, ending now; every other one an error.
            first = NOW.timestamp() - size
            events = [
                (first + i, f"{'ERROR' if i % 2 else 'GET'} /items/{i} took {i % 97} ms") for i in range(size)
            ]
            ls.put_container_log(name, "app", events)
        cases: dict[str, dict[str, Any]] = {
            "page from the middle": {},
            "page from the middle, filtered": {"filterPattern": "ERROR"},
        }
        print(f"{rounds} rounds x {calls} calls; ratio of the medians, long / short\n")
        print(f"{'request':<36}{'1,000 µs':>10}{'100,000 µs':>12}{'ratio':>8}   target")
        for label, extra in cases.items():
            times: dict[str, list[float]] = {name: [] for name in SIZES}

            def request(name: str, extra: dict[str, Any] = extra) -> Any:
                middle = NOW - timedelta(seconds=SIZES[name] // 2)
                return client.get_container_log(
                    serviceName=name, containerName="app", startTime=middle, endTime=NOW, **extra
                )

            for name in SIZES:
                assert len(request(name)["logEvents"]) == 100
            for _ in range(rounds):
                for name in SIZES:
                    times[name].append(per_call(lambda name=name: request(name), calls))
            short, long = statistics.median(times["short"]), statistics.median(times["long"])
            ratio = long / short
            failed |= ratio > TARGET
            print(f"{label:<36}{short * 1e6:>10.1f}{long * 1e6:>12.1f}{ratio:>8.3f}   <= {TARGET}")
    return 1 if failed else 0


if __name__ == "__main__":
    raise SystemExit(main())
