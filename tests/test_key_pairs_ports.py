"""Key pairs, an instance's public ports, and load balancer attachments, through a real
boto3 client."""

from __future__ import annotations

import base64
import struct
from typing import Any

import pytest

Client = Any


def _instance(client: Client, name: str = "web-1") -> None:
    client.create_instances(
        instanceNames=[name], availabilityZone="us-east-1a", blueprintId="ubuntu_22_04", bundleId="nano_3_0"
    )


def _rsa_line(comment: str = " me@laptop") -> str:
    blob = b"".join(struct.pack(">I", len(part)) + part for part in (b"ssh-rsa", b"\x01\x00\x01", bytes(range(1, 200))))
    return "ssh-rsa " + base64.b64encode(blob).decode() + comment


class TestKeyPairs:
    def test_create_get_delete(self, client: Client) -> None:
        created = client.create_key_pair(keyPairName="kp-1", tags=[{"key": "env", "value": "ci"}])
        assert created["publicKeyBase64"].startswith("ssh-rsa AAAA")
        assert created["privateKeyBase64"].startswith("-----BEGIN RSA PRIVATE KEY-----")
        assert created["operation"]["status"] == "Succeeded"
        record = client.get_key_pair(keyPairName="kp-1")["keyPair"]
        assert record == created["keyPair"]
        assert record["tags"] == [{"key": "env", "value": "ci"}]
        assert len(record["fingerprint"].split(":")) == 16
        assert record["supportCode"].endswith("/kp-1")
        client.delete_key_pair(keyPairName="kp-1")
        with pytest.raises(client.exceptions.NotFoundException):
            client.get_key_pair(keyPairName="kp-1")

    def test_import_and_list(self, client: Client) -> None:
        operation = client.import_key_pair(keyPairName="laptop", publicKeyBase64=_rsa_line())["operation"]
        assert (operation["resourceType"], operation["status"]) == ("KeyPair", "Succeeded")
        client.import_key_pair(keyPairName="bare", publicKeyBase64=_rsa_line("").split()[1])  # the base64 part alone
        client.create_key_pair(keyPairName="kp-1")
        assert sorted(kp["name"] for kp in client.get_key_pairs()["keyPairs"]) == ["bare", "kp-1", "laptop"]

    @pytest.mark.parametrize(
        "key",
        [
            "not a key",
            "ssh-rsa !!!",
            "ssh-rsa " + base64.b64encode(b"junk").decode(),
            # Another type: the model documents "a public key of the ssh-rsa type".
            "ssh-ed25519 " + base64.b64encode(struct.pack(">I", 11) + b"ssh-ed25519" + bytes(36)).decode(),
        ],
    )
    def test_import_refuses_what_does_not_parse(self, client: Client, key: str) -> None:
        with pytest.raises(client.exceptions.InvalidInputException, match="OpenSSH public key"):
            client.import_key_pair(keyPairName="bad", publicKeyBase64=key)
        assert client.get_key_pairs()["keyPairs"] == []

    def test_name_taken_and_fingerprint_checked(self, client: Client) -> None:
        client.create_key_pair(keyPairName="kp-1")
        with pytest.raises(client.exceptions.InvalidInputException, match="already in use"):
            client.import_key_pair(keyPairName="kp-1", publicKeyBase64=_rsa_line())
        with pytest.raises(client.exceptions.InvalidInputException, match="expectedFingerprint"):
            client.delete_key_pair(keyPairName="kp-1", expectedFingerprint="00:11")
        assert client.get_key_pair(keyPairName="kp-1")["keyPair"]["name"] == "kp-1"


def _ports(client: Client) -> set[tuple[int, int, str]]:
    states = client.get_instance_port_states(instanceName="web-1")["portStates"]
    assert all(state["state"] == "open" for state in states)
    return {(state["fromPort"], state["toPort"], state["protocol"]) for state in states}


class TestPorts:
    def test_open_close_put(self, client: Client) -> None:
        _instance(client)
        assert _ports(client) == {(22, 22, "tcp"), (80, 80, "tcp")}
        operation = client.open_instance_public_ports(
            instanceName="web-1", portInfo={"fromPort": 8000, "toPort": 8010, "protocol": "tcp"}
        )["operation"]
        assert operation["operationType"] == "OpenInstancePublicPorts"
        assert operation["operationDetails"] == "8000-8010/tcp"
        assert (8000, 8010, "tcp") in _ports(client)
        client.close_instance_public_ports(
            instanceName="web-1", portInfo={"fromPort": 22, "toPort": 22, "protocol": "tcp"}
        )
        assert _ports(client) == {(80, 80, "tcp"), (8000, 8010, "tcp")}
        client.put_instance_public_ports(
            instanceName="web-1",
            portInfos=[{"fromPort": 443, "toPort": 443, "protocol": "tcp", "cidrs": ["192.0.2.0/24"]}],
        )
        assert _ports(client) == {(443, 443, "tcp")}
        (rule,) = client.get_instance(instanceName="web-1")["instance"]["networking"]["ports"]
        assert (rule["cidrs"], rule["accessFrom"]) == (["192.0.2.0/24"], "Custom")

    def test_reopening_replaces_the_sources(self, client: Client) -> None:
        _instance(client)
        only_one = {"fromPort": 22, "toPort": 22, "protocol": "tcp", "cidrs": ["203.0.113.7/32"]}
        client.open_instance_public_ports(instanceName="web-1", portInfo=only_one)
        states = client.get_instance_port_states(instanceName="web-1")["portStates"]
        assert [s["cidrs"] for s in states if s["fromPort"] == 22] == [["203.0.113.7/32"]]

    def test_bad_range_changes_nothing(self, client: Client) -> None:
        _instance(client)
        with pytest.raises(client.exceptions.InvalidInputException, match="not valid for tcp"):
            client.open_instance_public_ports(
                instanceName="web-1", portInfo={"fromPort": 90, "toPort": 80, "protocol": "tcp"}
            )
        assert _ports(client) == {(22, 22, "tcp"), (80, 80, "tcp")}


def _health(client: Client) -> list[dict[str, str]]:
    return client.get_load_balancer(loadBalancerName="lb-1")["loadBalancer"]["instanceHealthSummary"]  # type: ignore[no-any-return]


class TestLoadBalancerAttachments:
    def test_attach_detach_and_health(self, client: Client) -> None:
        _instance(client, "web-1")
        _instance(client, "web-2")
        client.create_load_balancer(loadBalancerName="lb-1", instancePort=80)
        attached = client.attach_instances_to_load_balancer(loadBalancerName="lb-1", instanceNames=["web-1", "web-2"])
        operations = attached["operations"]
        assert [(op["resourceName"], op["operationDetails"]) for op in operations] == [
            ("lb-1", "web-1"),
            ("web-1", "lb-1"),
            ("lb-1", "web-2"),
            ("web-2", "lb-1"),
        ]
        assert _health(client) == [
            {"instanceName": "web-1", "instanceHealth": "healthy"},
            {"instanceName": "web-2", "instanceHealth": "healthy"},
        ]
        client.stop_instance(instanceName="web-2")
        assert _health(client)[1] == {
            "instanceName": "web-2",
            "instanceHealth": "unused",
            "instanceHealthReason": "Instance.InvalidState",
        }
        client.detach_instances_from_load_balancer(loadBalancerName="lb-1", instanceNames=["web-1"])
        assert [entry["instanceName"] for entry in _health(client)] == ["web-2"]
        client.delete_instance(instanceName="web-2")
        assert _health(client) == []

    def test_refusals_change_nothing(self, client: Client) -> None:
        _instance(client)
        client.create_load_balancer(loadBalancerName="lb-1", instancePort=80)
        client.attach_instances_to_load_balancer(loadBalancerName="lb-1", instanceNames=["web-1"])
        with pytest.raises(client.exceptions.InvalidInputException, match="Already attached"):
            client.attach_instances_to_load_balancer(loadBalancerName="lb-1", instanceNames=["web-1"])
        with pytest.raises(client.exceptions.NotFoundException):
            client.attach_instances_to_load_balancer(loadBalancerName="lb-1", instanceNames=["nope"])
        _instance(client, "web-2")
        with pytest.raises(client.exceptions.InvalidInputException, match="Not attached"):
            client.detach_instances_from_load_balancer(loadBalancerName="lb-1", instanceNames=["web-1", "web-2"])
        assert [entry["instanceName"] for entry in _health(client)] == ["web-1"]
