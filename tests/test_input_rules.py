"""Inputs the service treats otherwise than lightmock did, through a real boto3 client: a
firewall rule's sources, tags, imported keys, attaching a stopped instance, and public
addresses held by one record at a time (docs/service-reference.md §7.5, §7.6)."""

from __future__ import annotations

import base64
import struct
from typing import Any

import pytest

from tests.helpers import create_instances

Client = Any

# Real public keys, as ``ssh-keygen -t <type>`` writes them (``*.pub``, comment left out);
# no private half is kept anywhere.
REAL_KEYS = {
    "ssh-rsa": "ssh-rsa "
    + (
        "AAAAB3NzaC1yc2EAAAADAQABAAABAQDZSPzl3HBPwGXT7uVmD5ILZUSZQioUQP0rFy/kZC+KeVRFhw7FDJ0rHfF2"
        "s7YUdVb0UYyiURJXMq2qSy3+RTpWBVeSpemeCChI1Uz4WoHBDygimv1HOGh4vq6t0OmpcNyznpg+uQCrImJ4SCk4"
        "rFB6Ht09dH9U1XwwM4KpTwbd+RCF8lW14+ZMgDtU8k++fqxHwtZ9r65wo6Ntu3SrjLcOMdSORk07ZMsrOQDnx7US"
        "x+aQz0bTXOnQfn0s8qLpP1FBhhA7oH1oj5z2b5PCKsl7/QaJrgXkPWgnHgAQywFhqTzMDIYCDjAWMDm9Wa3V+8jb"
        "1ucLU/EtH/+XMQUZxHgZ"
    ),
    "ssh-ed25519": "ssh-ed25519 " + ("AAAAC3NzaC1lZDI1NTE5AAAAIG4K0VmHd5wCzLot9vmpifZysn+Z0Vh+EJQ52nhOe7/G"),
    "ecdsa-sha2-nistp256": "ecdsa-sha2-nistp256 "
    + (
        "AAAAE2VjZHNhLXNoYTItbmlzdHAyNTYAAAAIbmlzdHAyNTYAAABBBHS8QwBOHXRbu6Li1Gq0d38Y5jnNqN8Q1A2i"
        "whUPnKFP4xrCGpHEdrRU4rJgnKAhDJijQKfsbr9nClbwwo9PPeI="
    ),
    "ecdsa-sha2-nistp384": "ecdsa-sha2-nistp384 "
    + (
        "AAAAE2VjZHNhLXNoYTItbmlzdHAzODQAAAAIbmlzdHAzODQAAABhBMbR8PNBq3T3gzlWoVROlnIm4zuq7Hcmd445"
        "tnXLbz3ws/DIgCaP+8WnYucv6rdQ+EE3Q+3RQkbnFZ/f+dE2WdySjLpQrMXHYE1bazzAIEct/EaYvpsZ3SMxWczG"
        "mBbmmQ=="
    ),
    "ecdsa-sha2-nistp521": "ecdsa-sha2-nistp521 "
    + (
        "AAAAE2VjZHNhLXNoYTItbmlzdHA1MjEAAAAIbmlzdHA1MjEAAACFBAAuQu1vWNyC/1PGoBskZaKWCtXlP8qTdVV3"
        "uyLi7eqyiZ3t0TnEcS2pKAxKnv+ICA0JR7yRf42Qmm8BZGy5gQD+/QE/TFIvSEbDWG8TIwUlj52XElVfeyjv6TCT"
        "4Kx2WfiHyek4xVUS0h9IXIM28kcFaQd571+7rqyFNHPlaigk6mNsfQ=="
    ),
}


def _port_states(client: Client, name: str = "web-1") -> dict[tuple[str, int, int], dict[str, Any]]:
    states = client.get_instance_port_states(instanceName=name)["portStates"]
    return {(state["protocol"], state["fromPort"], state["toPort"]): state for state in states}


def _rules(client: Client, name: str = "web-1") -> list[dict[str, Any]]:
    return client.get_instance(instanceName=name)["instance"]["networking"]["ports"]  # type: ignore[no-any-return]


class TestFirewallSources:
    def test_a_rule_naming_no_source_reports_none(self, client: Client) -> None:
        """What Terraform's provider reads back must be what it sent, or it re-plans a replacement."""
        create_instances(client, "web-1")
        client.put_instance_public_ports(
            instanceName="web-1",
            portInfos=[
                {"fromPort": 80, "toPort": 80, "protocol": "tcp"},
                {"fromPort": 443, "toPort": 443, "protocol": "tcp"},
            ],
        )
        states = _port_states(client)
        assert set(states) == {("tcp", 80, 80), ("tcp", 443, 443)}
        for state in states.values():
            assert (state["cidrs"], state["ipv6Cidrs"], state["cidrListAliases"]) == ([], [], [])
        (rule, _) = _rules(client)
        assert (rule["cidrs"], rule["accessFrom"]) == ([], "Anywhere (0.0.0.0/0)")

    def test_a_rule_keeps_the_sources_it_names(self, client: Client) -> None:
        create_instances(client, "web-1")
        client.open_instance_public_ports(
            instanceName="web-1",
            portInfo={"fromPort": 22, "toPort": 22, "protocol": "tcp", "cidrListAliases": ["lightsail-connect"]},
        )
        client.open_instance_public_ports(
            instanceName="web-1", portInfo={"fromPort": -1, "toPort": -1, "protocol": "icmpv6", "ipv6Cidrs": ["::/0"]}
        )
        states = _port_states(client)
        assert (states["tcp", 22, 22]["cidrs"], states["tcp", 22, 22]["cidrListAliases"]) == ([], ["lightsail-connect"])
        assert (states["icmpv6", -1, -1]["cidrs"], states["icmpv6", -1, -1]["ipv6Cidrs"]) == ([], ["::/0"])
        access = {rule["fromPort"]: rule["accessFrom"] for rule in _rules(client)}
        assert (access[22], access[-1]) == ("Custom", "Anywhere (::/0)")

    @pytest.mark.parametrize(
        ("sources", "message"),
        [
            ({"cidrs": ["not-a-cidr"]}, r"cidrs\[0\]: 'not-a-cidr' is not an IP address"),
            ({"cidrs": ["192.0.2.0/24", "300.1.2.3/40"]}, r"cidrs\[1\]: '300.1.2.3/40'"),
            ({"cidrs": ["2001:db8::/32"]}, "IPv6 sources go in ipv6Cidrs"),
            ({"ipv6Cidrs": ["192.0.2.0/24"]}, r"ipv6Cidrs\[0\]: '192.0.2.0/24' is an IPv4 range"),
            ({"cidrListAliases": ["everyone"]}, "the only one is lightsail-connect"),
        ],
    )
    def test_bad_sources_are_refused_and_change_nothing(
        self, client: Client, sources: dict[str, Any], message: str
    ) -> None:
        create_instances(client, "web-1")
        before = _rules(client)
        port_info = {"fromPort": 8080, "toPort": 8080, "protocol": "tcp", **sources}
        with pytest.raises(client.exceptions.InvalidInputException, match=message):
            client.open_instance_public_ports(instanceName="web-1", portInfo=port_info)
        with pytest.raises(client.exceptions.InvalidInputException, match=message):
            client.put_instance_public_ports(
                instanceName="web-1", portInfos=[{"fromPort": 22, "toPort": 22}, port_info]
            )
        assert _rules(client) == before

    def test_open_replaces_and_close_removes_whatever_sources_it_names(self, client: Client) -> None:
        create_instances(client, "web-1")
        rule = {"fromPort": 22, "toPort": 22, "protocol": "tcp"}
        client.open_instance_public_ports(instanceName="web-1", portInfo={**rule, "cidrs": ["192.0.2.0/24"]})
        client.open_instance_public_ports(instanceName="web-1", portInfo={**rule, "cidrs": ["203.0.113.7/32"]})
        assert _port_states(client)["tcp", 22, 22]["cidrs"] == ["203.0.113.7/32"]
        # Pulumi's create-before-delete closes with the old sources: the rule goes all the same.
        client.close_instance_public_ports(instanceName="web-1", portInfo={**rule, "cidrs": ["192.0.2.0/24"]})
        assert ("tcp", 22, 22) not in _port_states(client)


class TestTags:
    @pytest.mark.parametrize(
        ("tag", "message"),
        [
            ({"value": "no key"}, r"tags\[\d\].key: a tag needs a key"),
            ({"key": "", "value": "empty key"}, "a tag needs a key"),
            ({"key": "k" * 129}, "is 129 characters long; at most 128"),
            ({"key": "env", "value": "v" * 257}, "is 257 characters long; at most 256"),
            ({"key": "env;drop"}, "characters other than letters, numbers, spaces and .*';'"),
            ({"key": "env", "value": "a\tb"}, r"characters other than .*'\\t'"),
        ],
    )
    def test_bad_tags_are_refused_everywhere_and_store_nothing(
        self, client: Client, tag: dict[str, str], message: str
    ) -> None:
        create_instances(client, "web-1", tags=[{"key": "team", "value": "web"}])
        with pytest.raises(client.exceptions.InvalidInputException, match=message):
            client.tag_resource(resourceName="web-1", tags=[{"key": "ok"}, tag])
        assert client.get_instance(instanceName="web-1")["instance"]["tags"] == [{"key": "team", "value": "web"}]
        creates = [
            lambda tags: create_instances(client, "web-2", tags=tags),
            lambda tags: client.create_load_balancer(loadBalancerName="lb-1", instancePort=80, tags=tags),
            lambda tags: client.create_key_pair(keyPairName="kp-1", tags=tags),
            lambda tags: client.create_contact_method(protocol="Email", contactEndpoint="ops@example.com", tags=tags),
            lambda tags: client.put_alarm(
                alarmName="cpu",
                metricName="CPUUtilization",
                monitoredResourceName="web-1",
                comparisonOperator="GreaterThanThreshold",
                threshold=90.0,
                evaluationPeriods=1,
                tags=tags,
            ),
        ]
        for create in creates:
            with pytest.raises(client.exceptions.InvalidInputException, match=message):
                create([tag])
        assert [i["name"] for i in client.get_instances()["instances"]] == ["web-1"]
        assert client.get_load_balancers()["loadBalancers"] == []
        assert client.get_key_pairs()["keyPairs"] == []
        assert client.get_contact_methods()["contactMethods"] == []
        assert client.get_alarms()["alarms"] == []

    def test_put_alarm_update_checks_its_tags_too(self, client: Client) -> None:
        create_instances(client, "web-1")
        alarm = {
            "alarmName": "cpu",
            "metricName": "CPUUtilization",
            "monitoredResourceName": "web-1",
            "comparisonOperator": "GreaterThanThreshold",
            "evaluationPeriods": 1,
        }
        client.put_alarm(**alarm, threshold=90.0)
        with pytest.raises(client.exceptions.InvalidInputException, match="a tag needs a key"):
            client.put_alarm(**alarm, threshold=10.0, tags=[{"value": "x"}])
        assert client.get_alarms(alarmName="cpu")["alarms"][0]["threshold"] == 90.0

    def test_what_the_rules_allow_is_kept_and_can_be_removed(self, client: Client) -> None:
        create_instances(client, "web-1")
        tags = [
            {"key": "k" * 128, "value": "v" * 256},
            {"key": "Ünïcode Straße 東京 42", "value": "+ - = . _ : / @"},
            {"key": "no-value"},
        ]
        client.tag_resource(resourceName="web-1", tags=tags)
        assert client.get_instance(instanceName="web-1")["instance"]["tags"] == tags
        client.untag_resource(resourceName="web-1", tagKeys=[tag["key"] for tag in tags])
        assert client.get_instance(instanceName="web-1")["instance"]["tags"] == []


def _blob_line(*fields: bytes, key_type: str = "ssh-rsa") -> str:
    blob = b"".join(struct.pack(">I", len(field)) + field for field in fields)
    return f"{key_type} {base64.b64encode(blob).decode()}"


_MODULUS = b"\x00\xc1" + bytes(range(254)) + b"\x07"  # 2,048 bits, odd


class TestImportKeyPair:
    @pytest.mark.parametrize(
        ("key", "problem"),
        [
            ("ssh-rsa AAAAB3NzaC1yc2E=", "truncated"),  # the type string alone
            (_blob_line(b"ssh-rsa", b"\x01\x00\x01"), "truncated"),  # no modulus
            (_blob_line(b"ssh-rsa", b"\x01\x00\x01", _MODULUS[:-1] + b"\x00"), "even"),
            (_blob_line(b"ssh-rsa", b"\x01\x00\x01", b"\x00\xc1" + bytes(62) + b"\x01"), "of 512 bits"),
            (_blob_line(b"ssh-rsa", b"\x01\x00\x01", _MODULUS, b"extra"), "bytes after its last field"),
            (_blob_line(b"ssh-rsa", b"\x00\x01\x00\x01", _MODULUS), "needless leading zero"),
            (_blob_line(b"ssh-rsa", b"\x02", _MODULUS), "exponent"),
            (_blob_line(b"ssh-rsa", b"\x01\x00\x01", b"\xc1" + bytes(254) + b"\x07"), "negative"),
            (_blob_line(b"ssh-dss", b"\x01", b"\x01", b"\x01", b"\x01", key_type="ssh-dss"), "unknown type 'ssh-dss'"),
            ("ssh-ed25519 " + REAL_KEYS["ssh-ed25519"].split()[1][:-8], "not valid base64|truncated"),
            (
                "ssh-rsa " + REAL_KEYS["ssh-ed25519"].split()[1],
                "names the type 'ssh-rsa', but its blob holds an ssh-ed25519 key",
            ),
            (
                _blob_line(b"ecdsa-sha2-nistp256", b"nistp384", b"\x04" + bytes(64), key_type="ecdsa-sha2-nistp256"),
                "curve",
            ),
        ],
    )
    def test_what_is_not_a_key_is_refused(self, client: Client, key: str, problem: str) -> None:
        with pytest.raises(
            client.exceptions.InvalidInputException, match=f"not a valid OpenSSH public key.*({problem})"
        ):
            client.import_key_pair(keyPairName="bad", publicKeyBase64=key)
        assert client.get_key_pairs()["keyPairs"] == []

    def test_an_ecdsa_point_off_its_curve_is_not_a_key(self, client: Client) -> None:
        line = REAL_KEYS["ecdsa-sha2-nistp256"].split()
        blob = bytearray(base64.b64decode(line[1]))
        blob[-1] ^= 1
        with pytest.raises(client.exceptions.InvalidInputException, match="not on the curve nistp256"):
            client.import_key_pair(
                keyPairName="bad", publicKeyBase64=f"{line[0]} {base64.b64encode(bytes(blob)).decode()}"
            )

    def test_real_keys_of_other_types_are_named_in_the_refusal(self, client: Client) -> None:
        for key_type, line in REAL_KEYS.items():
            if key_type == "ssh-rsa":
                continue
            with pytest.raises(client.exceptions.InvalidInputException, match=f"is a {key_type} key; .* ssh-rsa type"):
                client.import_key_pair(keyPairName="other", publicKeyBase64=line)
        assert client.get_key_pairs()["keyPairs"] == []

    def test_real_and_created_rsa_keys_import(self, client: Client) -> None:
        client.import_key_pair(keyPairName="laptop", publicKeyBase64=REAL_KEYS["ssh-rsa"] + " me@laptop")
        created = client.create_key_pair(keyPairName="made")["publicKeyBase64"]
        client.import_key_pair(keyPairName="again", publicKeyBase64=created)
        prints = {kp["name"]: kp["fingerprint"] for kp in client.get_key_pairs()["keyPairs"]}
        assert prints["again"] == prints["made"] != prints["laptop"]


class TestAttachRunningOnly:
    def test_a_stopped_instance_is_refused_and_nothing_is_attached(self, client: Client) -> None:
        create_instances(client, "web-1", "web-2")
        client.create_load_balancer(loadBalancerName="lb-1", instancePort=80)
        client.stop_instance(instanceName="web-2")
        with pytest.raises(
            client.exceptions.InvalidInputException,
            match=r"must be running before you can attach it.*web-2 \(stopped\)",
        ):
            client.attach_instances_to_load_balancer(loadBalancerName="lb-1", instanceNames=["web-1", "web-2"])
        assert client.get_load_balancer(loadBalancerName="lb-1")["loadBalancer"]["instanceHealthSummary"] == []
        client.start_instance(instanceName="web-2")
        client.attach_instances_to_load_balancer(loadBalancerName="lb-1", instanceNames=["web-1", "web-2"])
        summary = client.get_load_balancer(loadBalancerName="lb-1")["loadBalancer"]["instanceHealthSummary"]
        assert [entry["instanceHealth"] for entry in summary] == ["healthy", "healthy"]


class TestPublicAddresses:
    def test_thousands_of_records_hold_distinct_addresses(self, client: Client) -> None:
        """3,000 draws from 130,560 addresses: at random, about 34 would be shared."""
        names = [f"web-{i}" for i in range(1500)]
        for start in range(0, len(names), 500):
            create_instances(client, *names[start : start + 500])
        for i in range(1500):
            client.allocate_static_ip(staticIpName=f"ip-{i}")
        paginator = client.get_paginator("get_instances")
        instances = [record["publicIpAddress"] for page in paginator.paginate() for record in page["instances"]]
        static, token = [], None
        while True:
            page = client.get_static_ips(**({"pageToken": token} if token else {}))
            static += [record["ipAddress"] for record in page["staticIps"]]
            token = page.get("nextPageToken")
            if not token:
                break
        assert len(instances) == len(static) == 1500
        assert len(set(instances + static)) == 3000
