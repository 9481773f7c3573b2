"""Checks that Terraform configurations (``tests/terraform/*.tf``) name in their ``# check:``
line: each takes a boto3 client of the server and asserts what the apply made."""

from __future__ import annotations

from typing import Any


def disks(client: Any) -> None:
    disk = client.get_disk(diskName="data")["disk"]
    assert (disk["attachedTo"], disk["path"], disk["state"]) == ("db-host", "/dev/xvdf", "in-use")
    assert disk["tags"] == [{"key": "team", "value": "db"}]


def instance_auto_snapshot(client: Any) -> None:
    (add_on,) = client.get_instance(instanceName="backed-up")["instance"]["addOns"]
    assert (add_on["name"], add_on["status"], add_on["snapshotTimeOfDay"]) == ("AutoSnapshot", "Enabled", "06:00")


def key_pair_and_ip(client: Any) -> None:
    assert client.get_key_pair(keyPairName="ops")["keyPair"]["name"] == "ops"
    assert client.get_static_ip(staticIpName="spare")["staticIp"]["isAttached"] is False
