"""SetIpAddressType on instances and load balancers, through a real boto3 client
(docs/service-reference.md §12.5)."""

from __future__ import annotations

from typing import Any

import pytest

from lightmock.core.domain import ResourceType
from lightmock.core.exceptions import UnsupportedOperation
from lightmock.service import ip_address_types
from tests.helpers import create_instances, create_load_balancer

Client = Any


def _instance(client: Client, name: str = "web-1") -> dict[str, Any]:
    record: dict[str, Any] = client.get_instance(instanceName=name)["instance"]
    return record


def _set(client: Client, ip_address_type: str, name: str = "web-1", **extra: Any) -> dict[str, Any]:
    (operation,) = client.set_ip_address_type(
        resourceType="Instance", resourceName=name, ipAddressType=ip_address_type, **extra
    )["operations"]
    result: dict[str, Any] = operation
    return result


class TestInstance:
    def test_ipv4_and_back_to_dualstack(self, client: Client) -> None:
        """Dual-stack to IPv4 drops the IPv6 address and keeps the bundle and the IPv4 address;
        back to dual-stack gives a new IPv6 address. No bundle changes, so none to accept."""
        create_instances(client, "web-1")
        before = _instance(client)
        operation = _set(client, "ipv4")
        assert (operation["operationType"], operation["status"], operation["resourceType"]) == (
            "SetIpAddressType",
            "Succeeded",
            "Instance",
        )
        assert operation["location"]["availabilityZone"] == "us-east-1a"
        after = _instance(client)
        assert (after["ipAddressType"], after["ipv6Addresses"]) == ("ipv4", [])
        assert (after["bundleId"], after["publicIpAddress"]) == ("nano_3_0", before["publicIpAddress"])
        _set(client, "dualstack")
        again = _instance(client)
        assert again["ipAddressType"] == "dualstack"
        assert len(again["ipv6Addresses"]) == 1
        assert again["publicIpAddress"] == before["publicIpAddress"]

    def test_ipv6_only_changes_the_bundle_once_accepted(self, client: Client) -> None:
        create_instances(client, "web-1")
        before = _instance(client)
        with pytest.raises(client.exceptions.InvalidInputException, match="acceptBundleUpdate must be true"):
            _set(client, "ipv6")
        with pytest.raises(client.exceptions.InvalidInputException, match="nano_3_0 to nano_ipv6_3_0"):
            _set(client, "ipv6", acceptBundleUpdate=False)
        assert _instance(client) == before
        _set(client, "ipv6", acceptBundleUpdate=True)
        after = _instance(client)
        assert (after["ipAddressType"], after["bundleId"]) == ("ipv6", "nano_ipv6_3_0")
        assert "publicIpAddress" not in after
        assert after["ipv6Addresses"] == before["ipv6Addresses"]
        access = client.get_instance_access_details(instanceName="web-1")["accessDetails"]
        assert "ipAddress" not in access

    def test_back_from_ipv6_a_running_instance_gets_an_ipv4_address(self, client: Client) -> None:
        create_instances(client, "web-1", bundleId="small_ipv6_3_0", ipAddressType="ipv6")
        with pytest.raises(client.exceptions.InvalidInputException, match="small_ipv6_3_0 to small_3_0"):
            _set(client, "dualstack")
        _set(client, "dualstack", acceptBundleUpdate=True)
        after = _instance(client)
        assert (after["ipAddressType"], after["bundleId"]) == ("dualstack", "small_3_0")
        assert after["publicIpAddress"].startswith("198.1")

    def test_a_stopped_instance_gets_its_ipv4_address_when_started(self, client: Client) -> None:
        create_instances(client, "web-1", bundleId="micro_ipv6_3_0", ipAddressType="ipv6")
        client.stop_instance(instanceName="web-1")
        _set(client, "ipv4", acceptBundleUpdate=True)
        stopped = _instance(client)
        assert (stopped["bundleId"], stopped["ipv6Addresses"]) == ("micro_3_0", [])
        assert "publicIpAddress" not in stopped
        client.start_instance(instanceName="web-1")
        assert "publicIpAddress" in _instance(client)

    @pytest.mark.parametrize(
        ("blueprint", "bundle"), [("ubuntu_22_04", "medium_3_0"), ("windows_server_2022", "nano_win_3_0")]
    )
    def test_no_ipv6_only_without_an_ipv6_bundle(self, client: Client, blueprint: str, bundle: str) -> None:
        create_instances(client, "web-1", blueprintId=blueprint, bundleId=bundle)
        before = _instance(client)
        with pytest.raises(client.exceptions.InvalidInputException, match="no IPv6-only counterpart"):
            _set(client, "ipv6", acceptBundleUpdate=True)
        assert _instance(client) == before

    def test_no_ipv6_only_with_a_static_ip(self, client: Client) -> None:
        create_instances(client, "web-1")
        client.allocate_static_ip(staticIpName="ip-1")
        client.attach_static_ip(staticIpName="ip-1", instanceName="web-1")
        before = _instance(client)
        with pytest.raises(client.exceptions.InvalidInputException, match="static IP attached"):
            _set(client, "ipv6", acceptBundleUpdate=True)
        assert _instance(client) == before

    def test_unknown_instance(self, client: Client) -> None:
        with pytest.raises(client.exceptions.NotFoundException, match="does not exist"):
            _set(client, "ipv4", name="nope")


class TestLoadBalancer:
    @pytest.mark.parametrize("ip_address_type", ["ipv4", "ipv6", "dualstack"])
    def test_each_type(self, client: Client, ip_address_type: str) -> None:
        create_load_balancer(client, "lb-1", ipAddressType="ipv4" if ip_address_type != "ipv4" else "dualstack")
        (operation,) = client.set_ip_address_type(
            resourceType="LoadBalancer", resourceName="lb-1", ipAddressType=ip_address_type
        )["operations"]
        assert (operation["resourceType"], operation["location"]["availabilityZone"]) == ("LoadBalancer", "all")
        balancer = client.get_load_balancer(loadBalancerName="lb-1")["loadBalancer"]
        assert balancer["ipAddressType"] == ip_address_type


class TestOtherTypes:
    def test_a_type_lightmock_does_not_model_yet_has_nothing_to_find(self, client: Client) -> None:
        """No distribution exists in the mock (CreateDistribution is not implemented)."""
        with pytest.raises(client.exceptions.NotFoundException, match="Distribution does not exist: cdn-1"):
            client.set_ip_address_type(resourceType="Distribution", resourceName="cdn-1", ipAddressType="dualstack")

    def test_a_modelled_type_without_a_setter_fails_the_test(
        self, client: Client, monkeypatch: pytest.MonkeyPatch
    ) -> None:
        """A family that models a type SetIpAddressType takes but gives it no entry in SETTERS
        is told so by the first test that tries."""
        create_load_balancer(client, "lb-1")
        monkeypatch.delitem(ip_address_types.SETTERS, ResourceType.LOAD_BALANCER)
        with pytest.raises(UnsupportedOperation, match="SetIpAddressType for a LoadBalancer"):
            client.set_ip_address_type(resourceType="LoadBalancer", resourceName="lb-1", ipAddressType="ipv4")

    def test_a_type_the_service_does_not_take(self, client: Client) -> None:
        create_instances(client, "web-1")
        with pytest.raises(client.exceptions.InvalidInputException, match="not 'Disk'"):
            client.set_ip_address_type(resourceType="Disk", resourceName="web-1", ipAddressType="ipv4")
