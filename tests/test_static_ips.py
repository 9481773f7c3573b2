"""Static IPs through a real boto3 client: allocate, attach, detach, release, and what an
attached instance shows (``publicIpAddress``, ``isStaticIp``)."""

from __future__ import annotations

from typing import Any

import pytest

from lightmock import mock_lightsail
from tests.helpers import shared_client

Client = Any


def _instance(client: Client, name: str = "web-1", **extra: Any) -> dict[str, Any]:
    client.create_instances(
        instanceNames=[name], availabilityZone="us-east-1a", blueprintId="ubuntu_22_04", bundleId="nano_3_0", **extra
    )
    return client.get_instance(instanceName=name)["instance"]  # type: ignore[no-any-return]


def _get(client: Client, name: str = "web-1") -> dict[str, Any]:
    return client.get_instance(instanceName=name)["instance"]  # type: ignore[no-any-return]


class TestLifecycle:
    def test_allocate_attach_detach_release(self, client: Client) -> None:
        _instance(client)
        (allocated,) = client.allocate_static_ip(staticIpName="ip-1")["operations"]
        assert (allocated["operationType"], allocated["status"]) == ("AllocateStaticIp", "Succeeded")
        static_ip = client.get_static_ip(staticIpName="ip-1")["staticIp"]
        assert static_ip["isAttached"] is False
        assert "attachedTo" not in static_ip
        assert static_ip["supportCode"].endswith("/" + static_ip["ipAddress"])

        operations = client.attach_static_ip(staticIpName="ip-1", instanceName="web-1")["operations"]
        assert [(op["resourceType"], op["operationDetails"]) for op in operations] == [
            ("StaticIp", "web-1"),
            ("Instance", "ip-1"),
        ]
        instance = _get(client)
        assert (instance["publicIpAddress"], instance["isStaticIp"]) == (static_ip["ipAddress"], True)
        attached = client.get_static_ip(staticIpName="ip-1")["staticIp"]
        assert (attached["attachedTo"], attached["isAttached"]) == ("web-1", True)

        client.detach_static_ip(staticIpName="ip-1")
        instance = _get(client)
        assert instance["isStaticIp"] is False
        assert instance["publicIpAddress"] != static_ip["ipAddress"]

        client.release_static_ip(staticIpName="ip-1")
        with pytest.raises(client.exceptions.NotFoundException):
            client.get_static_ip(staticIpName="ip-1")

    def test_address_survives_stop_and_start(self, client: Client) -> None:
        _instance(client)
        client.allocate_static_ip(staticIpName="ip-1")
        client.attach_static_ip(staticIpName="ip-1", instanceName="web-1")
        address = client.get_static_ip(staticIpName="ip-1")["staticIp"]["ipAddress"]
        client.stop_instance(instanceName="web-1")
        assert _get(client)["publicIpAddress"] == address
        client.start_instance(instanceName="web-1")
        assert _get(client)["publicIpAddress"] == address

    def test_release_while_attached_detaches(self, client: Client) -> None:
        _instance(client)
        client.allocate_static_ip(staticIpName="ip-1")
        client.attach_static_ip(staticIpName="ip-1", instanceName="web-1")
        types = [op["operationType"] for op in client.release_static_ip(staticIpName="ip-1")["operations"]]
        assert types == ["DetachStaticIp", "DetachStaticIp", "ReleaseStaticIp"]
        assert _get(client)["isStaticIp"] is False

    def test_deleting_the_instance_detaches(self, client: Client) -> None:
        _instance(client)
        client.allocate_static_ip(staticIpName="ip-1")
        client.attach_static_ip(staticIpName="ip-1", instanceName="web-1")
        client.delete_instance(instanceName="web-1")
        static_ip = client.get_static_ip(staticIpName="ip-1")["staticIp"]
        assert static_ip["isAttached"] is False
        assert "attachedTo" not in static_ip


class TestRefusals:
    def test_refusals_change_nothing(self, client: Client) -> None:
        _instance(client)
        _instance(client, "web-2")
        client.allocate_static_ip(staticIpName="ip-1")
        client.allocate_static_ip(staticIpName="ip-2")
        client.attach_static_ip(staticIpName="ip-1", instanceName="web-1")
        invalid = client.exceptions.InvalidInputException
        with pytest.raises(invalid, match="already in use"):
            client.allocate_static_ip(staticIpName="ip-1")
        with pytest.raises(invalid, match="already attached to the instance web-1"):
            client.attach_static_ip(staticIpName="ip-1", instanceName="web-2")
        with pytest.raises(invalid, match="already has a static IP"):
            client.attach_static_ip(staticIpName="ip-2", instanceName="web-1")
        with pytest.raises(invalid, match="not attached"):
            client.detach_static_ip(staticIpName="ip-2")
        with pytest.raises(client.exceptions.NotFoundException):
            client.attach_static_ip(staticIpName="ip-2", instanceName="nope")
        with pytest.raises(client.exceptions.NotFoundException):
            client.release_static_ip(staticIpName="nope")
        assert client.get_static_ip(staticIpName="ip-2")["staticIp"]["isAttached"] is False
        assert _get(client, "web-2")["isStaticIp"] is False

    def test_ipv6_only_instance(self, client: Client) -> None:
        _instance(client, ipAddressType="ipv6")
        client.allocate_static_ip(staticIpName="ip-1")
        with pytest.raises(client.exceptions.InvalidInputException, match="IPv6-only"):
            client.attach_static_ip(staticIpName="ip-1", instanceName="web-1")


def test_listing_pages() -> None:
    with mock_lightsail(page_size=2):
        client = shared_client()
        for index in range(5):
            client.allocate_static_ip(staticIpName=f"ip-{index}")
        names: list[str] = []
        kwargs: dict[str, str] = {}
        while True:
            page = client.get_static_ips(**kwargs)
            names += [static_ip["name"] for static_ip in page["staticIps"]]
            if "nextPageToken" not in page:
                break
            kwargs = {"pageToken": page["nextPageToken"]}
        assert sorted(names) == [f"ip-{index}" for index in range(5)]
