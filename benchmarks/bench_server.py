"""What serving over HTTP costs: a call through the server against the same call in process.

GetAlarms with 10 alarms through a real boto3 client, (a) answered in process by
``mock_lightsail`` and (b) over HTTP by ``lightmock server`` running as its own process
(as the AWS CLI, Terraform or a Node service would use it), on one keep-alive connection.
Measurements are interleaved in rounds and the median of the rounds' ratios is reported,
as in ``bench_calls.py``. Then the time from starting ``python -m lightmock server`` to its
first answer through boto3, the client made beforehand.

Then fifty clients connecting at once, until the last is answered.

Targets: HTTP at most 2.5x in process; start to first answer at most 1 s; the burst of
fifty answered within 1 s (no client waiting for the kernel's SYN retry).

Run: ``python benchmarks/bench_server.py`` (``--quick`` for fewer rounds).
"""

from __future__ import annotations

import argparse
import re
import socket
import statistics
import subprocess
import sys
import time
from collections.abc import Callable
from typing import Any

import boto3
from botocore.config import Config

from lightmock import mock_lightsail
from lightmock.server import LightsailServer

REGION = "us-east-1"
KEY, SECRET = "AKIALIGHTMOCKBENCH", "bench-secret"
URL = re.compile(r"http://\S+:\d+")


def remote_client(url: str) -> Any:
    session = boto3.session.Session(aws_access_key_id=KEY, aws_secret_access_key=SECRET, region_name=REGION)
    return session.client("lightsail", endpoint_url=url, config=Config(retries={"max_attempts": 1}))


def seed(client: Any, alarms: int = 10) -> None:
    """``alarms`` alarms, two per instance (Lightsail's limit per metric)."""
    instances = [f"web-{index}" for index in range((alarms + 1) // 2)]
    client.create_instances(
        instanceNames=instances, availabilityZone="us-east-1a", blueprintId="ubuntu_22_04", bundleId="nano_3_0"
    )
    for index in range(alarms):
        client.put_alarm(
            alarmName=f"alarm-{index}",
            metricName="CPUUtilization",
            monitoredResourceName=instances[index // 2],
            comparisonOperator="GreaterThanThreshold",
            threshold=50 + index,
            evaluationPeriods=1,
        )


def per_call(function: Callable[[], Any], calls: int) -> float:
    start = time.perf_counter()
    for _ in range(calls):
        function()
    return (time.perf_counter() - start) / calls


def start_process(*arguments: str) -> tuple[subprocess.Popen[str], str]:
    process = subprocess.Popen(
        [sys.executable, "-m", "lightmock", "server", *(arguments or ("--port", "0"))],
        stdout=subprocess.PIPE,
        stderr=subprocess.DEVNULL,
        text=True,
    )
    assert process.stdout is not None
    match = URL.search(process.stdout.readline())
    assert match is not None, "the server printed no URL"
    return process, match.group(0)


def stop_process(process: subprocess.Popen[str]) -> None:
    process.terminate()
    process.wait(timeout=30)


def paired_rounds(remote: Any, rounds: int, calls: int) -> list[tuple[float, float]]:
    """(over HTTP, in process) per call, round by round in alternating order.

    No mock is active while the HTTP client is timed: an active one answers every
    Lightsail request of this process in process, whatever its endpoint, so the two are
    never timed together. Each in-process round starts a mock and seeds it alike."""
    seed(remote)
    assert len(remote.get_alarms()["alarms"]) == 10

    def http_round() -> float:
        return per_call(remote.get_alarms, calls)

    def local_round() -> float:
        with mock_lightsail():
            local = boto3.client("lightsail", region_name=REGION)
            seed(local)
            assert len(local.get_alarms()["alarms"]) == 10
            per_call(local.get_alarms, max(calls // 10, 1))  # warm
            return per_call(local.get_alarms, calls)

    http_round()
    local_round()
    pairs = []
    for index in range(rounds):
        if index % 2:
            over_http, in_process = http_round(), local_round()
        else:
            in_process, over_http = local_round(), http_round()
        pairs.append((over_http, in_process))
    return pairs


def report(label: str, pairs: list[tuple[float, float]], note: str = "") -> None:
    ratios = sorted(h / p for h, p in pairs)
    http_us = statistics.median(h for h, _ in pairs) * 1e6
    local_us = statistics.median(p for _, p in pairs) * 1e6
    print(
        f"{label:<34}{http_us:9.1f}{local_us:12.1f}{statistics.median(ratios):8.3f}"
        f"   {ratios[0]:.3f}..{ratios[-1]:.3f}{note}"
    )


def compare(rounds: int, calls: int) -> None:
    process, url = start_process()
    try:
        pairs = paired_rounds(remote_client(url), rounds, calls)
    finally:
        stop_process(process)
    print(f"{'GetAlarms (10 alarms)':<34}{'HTTP µs':>9}{'in-proc µs':>12}{'ratio':>8}   target <= 2.5; rounds' range")
    report("  lightmock server (subprocess)", pairs)


def compare_thread(rounds: int, calls: int) -> None:
    """The same, with the server on a thread of this process (``LightsailServer``): one GIL for both."""
    with LightsailServer(port=0) as server:
        pairs = paired_rounds(remote_client(server.url), rounds, calls)
    report("  LightsailServer (same process)", pairs, "   (for information)")


def free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return int(probe.getsockname()[1])


def start_to_first_answer(times: int) -> None:
    """From ``Popen`` to the first GetAlarms answer through boto3; the client is made beforehand."""
    results = []
    for _ in range(times):
        port = free_port()
        client = remote_client(f"http://127.0.0.1:{port}")
        started = time.perf_counter()
        process, _ = start_process("--port", str(port))
        try:
            assert client.get_alarms()["alarms"] == []
            results.append(time.perf_counter() - started)
        finally:
            stop_process(process)
    print(
        f"start to first answer (python -m lightmock server, boto3):  median {statistics.median(results):.3f} s, "
        f"max {max(results):.3f} s over {times}   target <= 1 s"
    )


def burst(clients: int, times: int) -> None:
    """``clients`` connections opened at once to ``lightmock server``, each sending one request:
    the time until the last is answered. A listen backlog too small for the burst shows as a
    second or more (the kernel's first SYN retry comes after 1 s)."""
    process, url = start_process()
    port = int(url.rsplit(":", 1)[1])
    request = b"GET /_lightmock/health HTTP/1.1\r\nHost: 127.0.0.1\r\nConnection: close\r\n\r\n"
    results = []
    try:
        for _ in range(times):
            started = time.perf_counter()
            sockets = [socket.socket() for _ in range(clients)]
            for each in sockets:
                each.setblocking(False)
                each.connect_ex(("127.0.0.1", port))
            for each in sockets:
                each.setblocking(True)
                each.settimeout(30)
                each.sendall(request)
            for each in sockets:
                received = b""
                while chunk := each.recv(65536):
                    received += chunk
                assert received.startswith(b"HTTP/1.1 200 "), received[:100]
                each.close()
            results.append(time.perf_counter() - started)
    finally:
        stop_process(process)
    print(
        f"{clients} clients connecting at once, until the last is answered:  "
        f"median {statistics.median(results):.3f} s, "
        f"max {max(results):.3f} s over {times}   target < 1 s"
    )


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0] if __doc__ else None)
    parser.add_argument("--quick", action="store_true", help="fewer rounds")
    args = parser.parse_args(argv)
    rounds, calls, starts = (5, 50, 3) if args.quick else (15, 200, 7)
    compare(rounds, calls)
    compare_thread(rounds, calls)
    start_to_first_answer(starts)
    burst(50, starts)
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
