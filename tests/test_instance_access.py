"""GetInstanceAccessDetails, DeleteKnownHostKeys and UpdateInstanceMetadataOptions through a
real boto3 client (docs/service-reference.md §12.3, §12.4, §12.6)."""

from __future__ import annotations

import base64
import hashlib
import struct
from datetime import timedelta
from typing import Any

import boto3
import pytest

from lightmock import LightsailMock
from tests.helpers import T0, create_instances

Client = Any

#: The members of the aws-cli get-instance-access-details example, and expiresAt (model).
SSH_MEMBERS = {
    "certKey",
    "expiresAt",
    "ipAddress",
    "ipv6Addresses",
    "privateKey",
    "protocol",
    "instanceName",
    "username",
    "hostKeys",
}


def _strings(blob: bytes) -> list[bytes]:
    """The SSH ``string``s a blob is made of, as far as they go."""
    parts, at = [], 0
    while at + 4 <= len(blob):
        (length,) = struct.unpack(">I", blob[at : at + 4])
        parts.append(blob[at + 4 : at + 4 + length])
        at += 4 + length
    return parts


def _certificate(cert_key: str) -> dict[str, Any]:
    """The principal and validity of an OpenSSH ``ssh-rsa-cert-v01`` user certificate."""
    kind, encoded = cert_key.split()
    blob = base64.b64decode(encoded)
    at = 0

    def string() -> bytes:
        nonlocal at
        (length,) = struct.unpack(">I", blob[at : at + 4])
        at += 4 + length
        return blob[at - length : at]

    assert string() == kind.encode()
    string(), string(), string()  # nonce, e, n
    _serial, certificate_type = struct.unpack(">QI", blob[at : at + 12])
    at += 12
    key_id = string()
    principals = _strings(string())
    valid_after, valid_before = struct.unpack(">QQ", blob[at : at + 16])
    return {
        "type": certificate_type,
        "key_id": key_id,
        "principals": principals,
        "after": valid_after,
        "before": valid_before,
    }


def _unpadded(digest: bytes) -> str:
    return base64.b64encode(digest).decode().rstrip("=")


class TestSsh:
    def test_the_example_record_for_the_blueprint_user(self, client: Client) -> None:
        """A key certified for the blueprint's user until expiresAt, the instance's addresses,
        and its three host keys with their fingerprints, recorded when it was launched."""
        create_instances(client, "web-1")
        instance = client.get_instance(instanceName="web-1")["instance"]
        details = client.get_instance_access_details(instanceName="web-1")["accessDetails"]
        assert set(details) == SSH_MEMBERS
        assert details["protocol"] == "ssh"
        assert (details["instanceName"], details["username"]) == ("web-1", "ubuntu")
        assert details["ipAddress"] == instance["publicIpAddress"]
        assert details["ipv6Addresses"] == instance["ipv6Addresses"]
        assert details["expiresAt"] == T0 + timedelta(hours=12)
        certificate = _certificate(details["certKey"])
        assert details["certKey"].startswith("ssh-rsa-cert-v01@openssh.com AAAA")
        assert certificate["type"] == 1  # a user certificate
        assert certificate["principals"] == [b"ubuntu"]
        assert certificate["before"] == int(details["expiresAt"].timestamp())
        assert certificate["after"] <= T0.timestamp()
        assert details["privateKey"].startswith("-----BEGIN RSA PRIVATE KEY-----\n")
        assert details["privateKey"].endswith("-----END RSA PRIVATE KEY-----\n")
        keys = details["hostKeys"]
        assert [key["algorithm"] for key in keys] == ["ssh-rsa", "ssh-ed25519", "ecdsa-sha2-nistp256"]
        for key in keys:
            blob = base64.b64decode(key["publicKey"])
            assert _strings(blob)[0] == key["algorithm"].encode()
            assert key["fingerprintSHA1"] == "SHA1:" + _unpadded(hashlib.sha1(blob).digest())
            assert key["fingerprintSHA256"] == "SHA256:" + _unpadded(hashlib.sha256(blob).digest())
            assert key["witnessedAt"] == instance["createdAt"]
            assert "notValidBefore" not in key

    def test_a_new_key_each_call_the_same_host_keys(self, client: Client) -> None:
        create_instances(client, "web-1", blueprintId="wordpress")
        first = client.get_instance_access_details(instanceName="web-1", protocol="ssh")["accessDetails"]
        second = client.get_instance_access_details(instanceName="web-1")["accessDetails"]
        assert first["username"] == "bitnami"
        assert first["certKey"] != second["certKey"]
        assert first["privateKey"] != second["privateKey"]
        assert first["hostKeys"] == second["hostKeys"]

    def test_an_ipv6_only_instance_has_no_ipv4_address(self, client: Client) -> None:
        create_instances(client, "web-6", bundleId="nano_ipv6_3_0", ipAddressType="ipv6")
        details = client.get_instance_access_details(instanceName="web-6")["accessDetails"]
        assert "ipAddress" not in details
        assert len(details["ipv6Addresses"]) == 1

    def test_errors(self, client: Client) -> None:
        with pytest.raises(client.exceptions.NotFoundException, match="does not exist"):
            client.get_instance_access_details(instanceName="nope")
        create_instances(client, "web-1")
        with pytest.raises(client.exceptions.InvalidInputException, match="reached over ssh, not rdp"):
            client.get_instance_access_details(instanceName="web-1", protocol="rdp")


class TestRdp:
    def _windows(self, client: Client, name: str, **overrides: Any) -> None:
        create_instances(client, name, blueprintId="windows_server_2022", bundleId="nano_win_3_0", **overrides)

    def test_the_password_with_the_default_key_pair(self, client: Client) -> None:
        """Launched with the default key pair: the password, the same every call, and the RDP certificate."""
        self._windows(client, "win-1")
        details = client.get_instance_access_details(instanceName="win-1")["accessDetails"]
        assert details["protocol"] == "rdp"
        assert details["username"] == "Administrator"
        assert details["password"]
        assert details["passwordData"]["keyPairName"] == "LightsailDefaultKeyPair"
        assert details["passwordData"]["ciphertext"]
        assert "certKey" not in details
        assert "privateKey" not in details
        again = client.get_instance_access_details(instanceName="win-1", protocol="rdp")["accessDetails"]
        assert again["password"] == details["password"]
        (certificate,) = details["hostKeys"]
        assert certificate["algorithm"] == "x509-cert"
        der = base64.b64decode(certificate["publicKey"])
        assert certificate["fingerprintSHA256"] == ":".join(f"{b:02x}" for b in hashlib.sha256(der).digest())
        assert certificate["notValidBefore"] < certificate["notValidAfter"]

    def test_no_password_with_a_key_pair_of_ones_own(self, client: Client) -> None:
        """The model: "If you create an instance using any key pair other than the default ...
        password will always be an empty string"; the ciphertext is there, for the key pair's owner."""
        client.create_key_pair(keyPairName="mine")
        self._windows(client, "win-2", keyPairName="mine")
        details = client.get_instance_access_details(instanceName="win-2")["accessDetails"]
        assert details["password"] == ""
        assert details["passwordData"]["keyPairName"] == "mine"
        with pytest.raises(client.exceptions.InvalidInputException, match="reached over rdp, not ssh"):
            client.get_instance_access_details(instanceName="win-2", protocol="ssh")


class TestDeleteKnownHostKeys:
    def test_the_keys_are_recorded_again_at_the_next_access(self, ls: LightsailMock, client: Client) -> None:
        create_instances(client, "web-1")
        before = client.get_instance_access_details(instanceName="web-1")["accessDetails"]["hostKeys"]
        ls.clock.advance(hours=1)
        (operation,) = client.delete_known_host_keys(instanceName="web-1")["operations"]
        assert (operation["operationType"], operation["status"], operation["isTerminal"]) == (
            "DeleteKnownHostKeys",
            "Succeeded",
            True,
        )
        assert (operation["resourceType"], operation["location"]["availabilityZone"]) == ("Instance", "us-east-1a")
        logged = client.get_operations_for_resource(resourceName="web-1")["operations"]
        assert operation["id"] in [entry["id"] for entry in logged]
        ls.clock.advance(minutes=5)
        after = client.get_instance_access_details(instanceName="web-1")["accessDetails"]["hostKeys"]
        assert [key["publicKey"] for key in after] == [key["publicKey"] for key in before]
        assert {key["witnessedAt"] for key in before} == {T0}
        assert {key["witnessedAt"] for key in after} == {T0 + timedelta(hours=1, minutes=5)}

    def test_unknown_instance(self, client: Client) -> None:
        with pytest.raises(client.exceptions.NotFoundException):
            client.delete_known_host_keys(instanceName="nope")


def _options(client: Client, name: str = "web-1") -> dict[str, Any]:
    options: dict[str, Any] = client.get_instance(instanceName=name)["instance"]["metadataOptions"]
    return options


class TestMetadataOptions:
    def test_pending_then_applied_while_the_instance_runs(self, ls: LightsailMock, client: Client) -> None:
        create_instances(client, "web-1")
        ls.set_transitions("hold")
        operation = client.update_instance_metadata_options(instanceName="web-1", httpTokens="required")["operation"]
        assert (operation["operationType"], operation["status"]) == ("UpdateInstanceMetadataOptions", "Started")
        assert _options(client) == {
            "state": "pending",
            "httpTokens": "required",
            "httpEndpoint": "enabled",
            "httpPutResponseHopLimit": 1,
            "httpProtocolIpv6": "disabled",
        }
        assert client.get_instances()["instances"][0]["metadataOptions"]["state"] == "pending"
        assert client.get_instance_state(instanceName="web-1")["state"]["name"] == "running"
        assert ls.finish_transitions("web-1") == 1
        assert _options(client)["state"] == "applied"
        assert client.get_instance_state(instanceName="web-1")["state"]["name"] == "running"

    def test_applied_at_once_in_the_instant_mode_on_the_clock_in_the_clock_mode(
        self, ls: LightsailMock, client: Client
    ) -> None:
        create_instances(client, "web-1")
        client.update_instance_metadata_options(instanceName="web-1", httpPutResponseHopLimit=2)
        assert _options(client)["state"] == "applied"
        assert _options(client)["httpPutResponseHopLimit"] == 2
        ls.set_transitions("clock")
        client.update_instance_metadata_options(instanceName="web-1", httpEndpoint="disabled")
        assert _options(client)["state"] == "pending"
        ls.clock.advance(seconds=29)
        assert _options(client)["state"] == "pending"
        ls.clock.advance(seconds=1)
        assert _options(client) == {
            "state": "applied",
            "httpTokens": "optional",
            "httpEndpoint": "disabled",
            "httpPutResponseHopLimit": 2,
            "httpProtocolIpv6": "disabled",
        }

    def test_a_stop_does_not_stall_it(self, ls: LightsailMock, client: Client) -> None:
        """The metadata options and the instance's state move apart: a stop begun while the
        options are pending replaces neither transition."""
        create_instances(client, "web-1")
        ls.set_transitions("hold")
        client.update_instance_metadata_options(instanceName="web-1", httpTokens="required")
        client.stop_instance(instanceName="web-1")
        assert client.get_instance_state(instanceName="web-1")["state"]["name"] == "stopping"
        assert ls.finish_transitions("web-1") == 2
        assert _options(client)["state"] == "applied"
        assert client.get_instance_state(instanceName="web-1")["state"]["name"] == "stopped"

    def test_a_stopped_instance_applies_at_once(self, ls: LightsailMock, client: Client) -> None:
        create_instances(client, "web-1")
        client.stop_instance(instanceName="web-1")
        ls.set_transitions("hold")
        operation = client.update_instance_metadata_options(instanceName="web-1", httpTokens="required")["operation"]
        assert operation["status"] == "Succeeded"
        assert _options(client)["state"] == "applied"

    @pytest.mark.parametrize(
        ("change", "match"),
        [
            ({"httpPutResponseHopLimit": 0}, "1 to 64"),
            ({"httpPutResponseHopLimit": 65}, "1 to 64"),
            ({"httpTokens": "required", "httpProtocolIpv6": "enabled"}, "only for instances in eu-north-1"),
        ],
    )
    def test_refused_changes_change_nothing(self, client: Client, change: dict[str, Any], match: str) -> None:
        create_instances(client, "web-1")
        before = _options(client)
        with pytest.raises(client.exceptions.InvalidInputException, match=match):
            client.update_instance_metadata_options(instanceName="web-1", **change)
        assert _options(client) == before

    def test_ipv6_endpoint_in_stockholm(self, ls: LightsailMock) -> None:
        client = boto3.client("lightsail", region_name="eu-north-1")
        create_instances(client, "web-1")
        client.update_instance_metadata_options(instanceName="web-1", httpProtocolIpv6="enabled")
        assert _options(client)["httpProtocolIpv6"] == "enabled"

    def test_only_a_running_or_stopped_instance(self, ls: LightsailMock, client: Client) -> None:
        ls.set_transitions("hold")
        create_instances(client, "web-1")
        with pytest.raises(client.exceptions.OperationFailureException, match="running or stopped"):
            client.update_instance_metadata_options(instanceName="web-1", httpTokens="required")
        assert _options(client)["httpTokens"] == "optional"
