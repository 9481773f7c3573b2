"""The account-wide reads and instance access through the AWS CLI against ``lightmock
server``: each command its own process, as a shell script runs it."""

from __future__ import annotations

import json
import subprocess
import sys
from typing import Any

import pytest

from lightmock.server import LightsailServer
from tests.helpers import T0, create_instances
from tests.serving import clean_environment, http_client

pytest.importorskip("awscli")


def _aws(server: LightsailServer, *arguments: str) -> Any:
    """``aws lightsail ...`` with ``--endpoint-url``; its JSON output."""
    done = subprocess.run(
        [sys.executable, "-m", "awscli", "lightsail", *arguments, "--endpoint-url", server.url, "--output", "json"],
        capture_output=True,
        text=True,
        timeout=120,
        env=clean_environment(AWS_DEFAULT_REGION="us-east-1"),
    )
    assert done.returncode == 0, done.stderr
    return json.loads(done.stdout)


def test_a_script_finds_a_zone_an_address_and_a_name(lightsail_server: LightsailServer) -> None:
    """A script picks a zone from get-regions, launches there, turns the instance IPv6-only,
    reads how to reach it and lists the names in use."""
    server = lightsail_server
    server.mock.clock.freeze(T0)
    zones = _aws(
        server,
        "get-regions",
        "--include-availability-zones",
        "--query",
        "regions[?name=='us-east-1'].availabilityZones[].zoneName",
    )
    assert zones == [f"us-east-1{letter}" for letter in "abcdef"]
    client = http_client(server.url)
    create_instances(client, "web-1", availabilityZone=zones[-1])
    (operation,) = _aws(
        server,
        "set-ip-address-type",
        "--resource-type",
        "Instance",
        "--resource-name",
        "web-1",
        "--ip-address-type",
        "ipv6",
        "--accept-bundle-update",
    )["operations"]
    assert operation["operationType"] == "SetIpAddressType"
    details = _aws(server, "get-instance-access-details", "--instance-name", "web-1")["accessDetails"]
    assert details["ipv6Addresses"] == client.get_instance(instanceName="web-1")["instance"]["ipv6Addresses"]
    assert "ipAddress" not in details
    assert details["username"] == "ubuntu"
    assert _aws(server, "get-active-names") == {"activeNames": ["web-1"]}
