"""GetDomain and GetCertificates cost time linear in what they return (issue 20, "Speed").

Each is timed through a real boto3 client with 100 and with 1,000 entries (a zone's entries;
certificates, with their details, all on one page), and the time per entry or certificate
returned is compared: at 1,000 it must be at most 1.5x what it is at 100. The two sizes are
timed in interleaved rounds, and the median round is reported, because the machines here
are noisy; only ratios taken in one run are meaningful.

Run: ``python benchmarks/bench_dns_scale.py [--quick]``.
"""

from __future__ import annotations

import argparse
import statistics
from collections.abc import Callable
from typing import Any

import boto3
from bench_calls import per_call

from lightmock import mock_lightsail

REGION = "us-east-1"
SIZES = (100, 1000)
TARGET = 1.5


def _zone(client: Any, name: str, entries: int) -> Callable[[], Any]:
    client.create_domain(domainName=name)
    for index in range(entries - 5):  # the zone's own 4 NS and SOA make up the rest
        client.create_domain_entry(
            domainName=name,
            domainEntry={"name": f"h{index}.{name}", "type": "A", "target": f"192.0.{index // 250}.{index % 250 + 1}"},
        )
    assert len(client.get_domain(domainName=name)["domain"]["domainEntries"]) == entries
    return lambda: client.get_domain(domainName=name)


def _certificates(client: Any, ls: Any, count: int) -> Callable[[], Any]:
    for index in range(count):
        client.create_certificate(certificateName=f"c{count}-{index}", domainName=f"s{index}.example.com")
        if index % 2:
            ls.validate_certificate(f"c{count}-{index}", region=client.meta.region_name)
    return lambda: client.get_certificates(includeCertificateDetails=True)


def measure(kind: str, rounds: int) -> tuple[dict[int, float], list[float]]:
    """Per-item seconds at each size (median round) and each round's ratio of 1,000 to 100."""
    per_item: dict[int, list[float]] = {size: [] for size in SIZES}
    ratios: list[float] = []
    with mock_lightsail(page_size=max(SIZES)) as ls:
        client = boto3.client("lightsail", region_name=REGION)
        calls: dict[int, Callable[[], Any]] = {}
        for size in SIZES:
            if kind == "GetDomain":
                calls[size] = _zone(client, f"zone{size}.example", size)
            else:
                # Each size in a region of its own, so that a call returns that many.
                regional = boto3.client("lightsail", region_name="us-west-2" if size == SIZES[0] else REGION)
                calls[size] = _certificates(regional, ls, size)
        for size in SIZES:
            per_call(calls[size], 3)  # warm-up
        for index in range(rounds):
            order = SIZES if index % 2 == 0 else SIZES[::-1]
            times = {size: per_call(calls[size], max(2, 2000 // size)) / size for size in order}
            for size in SIZES:
                per_item[size].append(times[size])
            ratios.append(times[SIZES[1]] / times[SIZES[0]])
    return {size: statistics.median(values) for size, values in per_item.items()}, ratios


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--quick", action="store_true")
    rounds = 5 if parser.parse_args(argv).quick else 11
    print(f"{'operation':<18}{'µs/item at 100':>16}{'µs/item at 1,000':>18}{'ratio':>8}   target; rounds' range")
    for kind in ("GetDomain", "GetCertificates"):
        per_item, ratios = measure(kind, rounds)
        print(
            f"{kind:<18}{per_item[100] * 1e6:>16.2f}{per_item[1000] * 1e6:>18.2f}{statistics.median(ratios):>8.3f}"
            f"   <= {TARGET}; {min(ratios):.3f}..{max(ratios):.3f}"
        )
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
