"""What the tests share: the constants they freeze clocks at and name things by, and the
few requests that set up resources (one copy of each, so a change to a default is made once)."""

from __future__ import annotations

import functools
import os
import subprocess
import sys
import textwrap
from collections.abc import Callable
from concurrent.futures import ThreadPoolExecutor
from datetime import UTC, datetime
from importlib.metadata import entry_points
from typing import Any

import boto3
import pytest
from botocore.exceptions import ClientError

#: The instant the shared ``ls`` fixture freezes its clock at (a 300-second boundary).
T0 = datetime(2026, 11, 28, 8, 0, tzinfo=UTC)
REGION = "us-east-1"
OTHER_REGION = "us-west-2"
ACCOUNT = "123456789012"
#: A version-4 UUID as Lightsail writes resource ids.
UUID = "[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}"

Client = Any


#: Whether lightmock is installed (its pytest plugin's entry point exists).
INSTALLED = any(point.name == "lightmock" for point in entry_points(group="pytest11"))
#: For a pytest run started by a test. From a checkout that was never installed the plugin's
#: entry point is missing, so the plugin is named (naming it where it is installed too would
#: register it twice). Hypothesis's and xdist's plugins, which such a run never uses, are left
#: out: where bytecode is not written (``PYTHONDONTWRITEBYTECODE``) pytest rewrites their
#: modules at every start, 0.6 s of each run in a fresh interpreter.
INNER_PYTEST_ARGS: tuple[str, ...] = (
    "-p",
    "no:cacheprovider",
    "-p",
    "no:hypothesispytest",
    "-p",
    "no:xdist",
    "-p",
    "no:xdist.looponfail",
    *(() if INSTALLED else ("-p", "lightmock.plugin")),
)


def run_fresh(code: str, **environment: str) -> subprocess.CompletedProcess[str]:
    """Run ``code`` (dedented) in a new interpreter, with none of the user's AWS variables
    but ``environment``."""
    env = {name: value for name, value in os.environ.items() if not name.startswith("AWS_")}
    env.update(environment)
    return subprocess.run(
        [sys.executable, "-c", textwrap.dedent(code)], capture_output=True, text=True, env=env, timeout=120
    )


@functools.cache
def _client_of(session: boto3.session.Session, region: str) -> Client:
    return session.client("lightsail", region_name=region)


def shared_client(region: str = REGION) -> Client:
    """A Lightsail client of boto3's default session for ``region``, one for the whole run.

    A botocore client keeps no state between calls (the default retry mode keeps no quota),
    and an active mock answers a client of any age (``test_isolation`` checks that on its own).
    A new client per test cost 3 ms and as much again in garbage collection, over a thousand
    times. One per session, because a session's clients share their error classes."""
    if boto3.DEFAULT_SESSION is None:
        boto3.setup_default_session()
    assert boto3.DEFAULT_SESSION is not None
    return _client_of(boto3.DEFAULT_SESSION, region)


def create_instances(client: Client, *names: str, **overrides: Any) -> dict[str, Any]:
    """CreateInstances for ``names`` in the client's region, zone ``a``, a small Ubuntu bundle."""
    params = {
        "instanceNames": list(names),
        "availabilityZone": f"{client.meta.region_name}a",
        "blueprintId": "ubuntu_22_04",
        "bundleId": "nano_3_0",
        **overrides,
    }
    result: dict[str, Any] = client.create_instances(**params)
    return result


def create_load_balancer(client: Client, name: str, **overrides: Any) -> dict[str, Any]:
    """CreateLoadBalancer ``name`` forwarding to port 80."""
    result: dict[str, Any] = client.create_load_balancer(**{"loadBalancerName": name, "instancePort": 80, **overrides})
    return result


def create_distribution(client: Client, name: str, origin: str, **overrides: Any) -> dict[str, Any]:
    """CreateDistribution ``name`` of the us-east-1 resource ``origin``, over HTTP, caching by default."""
    params = {
        "distributionName": name,
        "origin": {"name": origin, "regionName": REGION, "protocolPolicy": "http-only"},
        "defaultCacheBehavior": {"behavior": "cache"},
        "bundleId": "small_1_0",
        **overrides,
    }
    result: dict[str, Any] = client.create_distribution(**params)
    return result


def create_database(client: Client, name: str, **overrides: Any) -> dict[str, Any]:
    """CreateRelationalDatabase ``name``: MySQL 8.0 on the smallest bundle."""
    params = {
        "relationalDatabaseName": name,
        "relationalDatabaseBlueprintId": "mysql_8_0",
        "relationalDatabaseBundleId": "micro_2_0",
        "masterDatabaseName": "app",
        "masterUsername": "dbmaster",
        **overrides,
    }
    result: dict[str, Any] = client.create_relational_database(**params)
    return result


def refusal(call: Any) -> tuple[str, str]:
    """The error code and message a client call is refused with (it must be refused)."""
    with pytest.raises(ClientError) as caught:
        call()
    error = caught.value.response["Error"]
    return error["Code"], error["Message"]


def race(clients: list[Client], attempt: Callable[[Client], Any]) -> list[bool]:
    """Each client makes ``attempt`` at the same time (a thread each); whether each got
    through (False where the service refused it with ``InvalidInputException``)."""

    def one(client: Client) -> bool:
        try:
            attempt(client)
        except client.exceptions.InvalidInputException:
            return False
        return True

    with ThreadPoolExecutor(max_workers=len(clients)) as pool:
        return list(pool.map(one, clients))
