"""DNS zones through boto3, certbot's Lightsail plugin's calls, and a dynamic-DNS updater
driven through the AWS CLI and jq against ``lightmock server`` (docs/service-reference.md §13)."""

from __future__ import annotations

import json
import shutil
import subprocess
import threading
from typing import Any

import pytest

from lightmock import LightsailMock
from lightmock.server import LightsailServer
from tests.helpers import OTHER_REGION, create_instances, create_load_balancer, shared_client
from tests.serving import http_client
from tests.test_server_clients import aws

Client = Any


def _entries(client: Client, domain: str = "example.com") -> list[dict[str, Any]]:
    entries: list[dict[str, Any]] = client.get_domain(domainName=domain)["domain"]["domainEntries"]
    return entries


def _made(client: Client, domain: str = "example.com") -> list[tuple[str, str, str]]:
    """The entries beyond the zone's own NS and SOA, as (type, name, target)."""
    return [
        (entry["type"], entry["name"], entry["target"])
        for entry in _entries(client, domain)
        if not (entry["name"] == domain and entry["type"] in ("NS", "SOA"))
    ]


@pytest.fixture
def zone(client: Client) -> Client:
    client.create_domain(domainName="example.com")
    return client


class TestZones:
    def test_a_new_zone_is_global_with_its_name_servers_and_soa(self, client: Client) -> None:
        """As the aws-cli create-domain and get-domain examples show it."""
        created = client.create_domain(domainName="Example.com.")["operation"]
        assert created["location"] == {"availabilityZone": "all", "regionName": "global"}
        assert (created["resourceName"], created["resourceType"], created["operationType"]) == (
            "example.com",
            "Domain",
            "CreateDomain",
        )
        domain = client.get_domain(domainName="EXAMPLE.COM")["domain"]
        assert domain["arn"].startswith("arn:aws:lightsail:global:")
        assert domain["location"]["regionName"] == "global"
        assert "//hostedzone/Z" in domain["supportCode"]
        types = [entry["type"] for entry in domain["domainEntries"]]
        assert types == ["NS", "NS", "NS", "NS", "SOA"]
        soa = domain["domainEntries"][4]["target"]
        assert soa.endswith(" awsdns-hostmaster.amazon.com. 1 7200 900 1209600 86400")
        assert all(int(entry["id"]) < 2**31 and entry["isAlias"] is False for entry in domain["domainEntries"])

    def test_other_regions_refuse_every_domain_operation(self, zone: Client, ls: LightsailMock) -> None:
        """The service's own words (clouddrove/terraform-aws-lightsail#12), for reads too."""
        west = shared_client(OTHER_REGION)
        for call in (
            lambda: west.create_domain(domainName="example.org"),
            lambda: west.get_domain(domainName="example.com"),
            lambda: west.get_domains(),
            lambda: west.delete_domain(domainName="example.com"),
            lambda: west.create_domain_entry(
                domainName="example.com", domainEntry={"name": "example.com", "type": "A", "target": "192.0.2.1"}
            ),
        ):
            with pytest.raises(west.exceptions.InvalidInputException) as raised:
                call()
            assert raised.value.response["code"] == "UnsupportedOperation"
            assert "only available in the us-east-1 Region" in raised.value.response["Error"]["Message"]
        assert [domain["name"] for domain in zone.get_domains()["domains"]] == ["example.com"]

    def test_delete_takes_the_entries_with_it(self, zone: Client) -> None:
        zone.create_domain_entry(
            domainName="example.com", domainEntry={"name": "www.example.com", "type": "A", "target": "192.0.2.1"}
        )
        assert zone.delete_domain(domainName="example.com.")["operation"]["operationType"] == "DeleteDomain"
        zone.create_domain(domainName="example.com")
        assert _made(zone) == []


class TestEntries:
    @pytest.mark.parametrize(
        ("entry_type", "name", "target"),
        [
            ("A", "example.com", "192.0.2.1"),
            ("AAAA", "www.example.com", "2001:db8::1"),
            ("CNAME", "blog.example.com", "example.net"),
            ("MX", "example.com", "10 mail.example.com"),
            ("NS", "sub.example.com", "ns-1.awsdns-01.org"),
            ("SRV", "_sip._tcp.example.com", "1 10 5060 sip.example.com"),
            ("TXT", "example.com", '"v=spf1 -all"'),
        ],
    )
    def test_each_type_is_kept_as_given(self, zone: Client, entry_type: str, name: str, target: str) -> None:
        operation = zone.create_domain_entry(
            domainName="example.com", domainEntry={"name": name, "type": entry_type, "target": target}
        )["operation"]
        assert operation["location"]["regionName"] == "global"
        assert _made(zone) == [(entry_type, name, target)]

    def test_names_are_kept_in_lower_case_without_the_trailing_dot(self, zone: Client) -> None:
        """What Terraform compares its own normalised name with (domain_entry.go)."""
        zone.create_domain_entry(
            domainName="EXAMPLE.com.", domainEntry={"name": "WWW.Example.COM.", "type": "A", "target": "192.0.2.1"}
        )
        assert _made(zone) == [("A", "www.example.com", "192.0.2.1")]

    @pytest.mark.parametrize(
        ("entry", "words"),
        [
            ({"name": "example.com", "type": "TXT", "target": "v=spf1 -all"}, "enclosed in quotation marks"),
            ({"name": "example.com", "type": "A", "target": "not-an-address"}, "not an IPv4 address"),
            ({"name": "www.example.com", "type": "AAAA", "target": "192.0.2.1"}, "not an IPv6 address"),
            ({"name": "example.com", "type": "MX", "target": "mail.example.com"}, "priority"),
            ({"name": "www.example.org", "type": "A", "target": "192.0.2.1"}, "not in the zone"),
            ({"name": "example.com", "type": "CNAME", "target": "example.net"}, "apex"),
            ({"name": "example.com", "type": "PTR", "target": "example.net"}, "not one of"),
            ({"name": "example.com", "type": "CNAME", "target": "x.example.net", "isAlias": True}, "alias"),
            ({"name": "example.com", "type": "A", "target": "www.example.net", "isAlias": True}, "load balancer"),
            ({"name": "example.com", "type": "SOA", "target": "x"}, "SOA"),
        ],
    )
    def test_refused_entries_change_nothing(self, zone: Client, entry: dict[str, Any], words: str) -> None:
        before = _entries(zone)
        with pytest.raises(zone.exceptions.InvalidInputException, match=words):
            zone.create_domain_entry(domainName="example.com", domainEntry=entry)
        assert _entries(zone) == before

    def test_the_same_entry_twice_is_refused(self, zone: Client) -> None:
        entry = {"name": "www.example.com", "type": "A", "target": "192.0.2.1"}
        zone.create_domain_entry(domainName="example.com", domainEntry=entry)
        with pytest.raises(zone.exceptions.InvalidInputException, match="already exists"):
            zone.create_domain_entry(domainName="example.com", domainEntry={**entry, "name": "WWW.example.com."})
        zone.create_domain_entry(domainName="example.com", domainEntry={**entry, "target": "192.0.2.2"})
        assert len(_made(zone)) == 2

    def test_an_alias_points_at_a_load_balancer(self, zone: Client) -> None:
        create_load_balancer(zone, "front")
        dns_name = zone.get_load_balancer(loadBalancerName="front")["loadBalancer"]["dnsName"]
        zone.create_domain_entry(
            domainName="example.com",
            domainEntry={"name": "example.com", "type": "A", "target": dns_name, "isAlias": True},
        )
        (alias,) = [entry for entry in _entries(zone) if entry["type"] == "A"]
        assert (alias["target"], alias["isAlias"]) == (dns_name, True)

    def test_an_alias_points_at_a_distribution(self, zone: Client) -> None:
        create_instances(zone, "web-1")
        created = zone.create_distribution(
            distributionName="cdn",
            origin={"name": "web-1", "regionName": "us-east-1"},
            defaultCacheBehavior={"behavior": "cache"},
            bundleId="small_1_0",
        )
        target = created["distribution"]["domainName"]
        zone.create_domain_entry(
            domainName="example.com",
            domainEntry={"name": "www.example.com", "type": "A", "target": target, "isAlias": True},
        )
        assert ("A", "www.example.com", target) in _made(zone)

    def test_an_unknown_zone_is_not_found(self, client: Client) -> None:
        with pytest.raises(client.exceptions.NotFoundException, match="does not exist"):
            client.create_domain_entry(
                domainName="example.com", domainEntry={"name": "example.com", "type": "A", "target": "192.0.2.1"}
            )

    def test_the_apex_name_servers_stay(self, zone: Client) -> None:
        ns = next(entry for entry in _entries(zone) if entry["type"] == "NS")
        with pytest.raises(zone.exceptions.InvalidInputException, match="cannot be deleted"):
            zone.delete_domain_entry(domainName="example.com", domainEntry=ns)

    def test_delete_by_id_alone(self, zone: Client) -> None:
        zone.create_domain_entry(
            domainName="example.com", domainEntry={"name": "www.example.com", "type": "A", "target": "192.0.2.1"}
        )
        (entry,) = [entry for entry in _entries(zone) if entry["type"] == "A"]
        zone.delete_domain_entry(domainName="example.com", domainEntry={"id": entry["id"]})
        assert _made(zone) == []
        with pytest.raises(zone.exceptions.NotFoundException, match="does not exist"):
            zone.delete_domain_entry(domainName="example.com", domainEntry={"id": entry["id"]})


class TestCertbotDns01:
    """The calls certbot-dns-lightsail makes for a DNS-01 challenge (its authentication.py):
    a TXT record whose target it quotes itself, then a delete naming only name, type and
    target."""

    def test_the_challenge_record_is_made_and_removed(self, zone: Client) -> None:
        name, value = "_acme-challenge.example.com", "gfj9Xq-validation-token"
        entry = {"type": "TXT", "name": name, "target": f'"{value}"'}
        zone.create_domain_entry(domainName="example.com", domainEntry=entry)
        assert _made(zone) == [("TXT", name, f'"{value}"')]
        deleted = zone.delete_domain_entry(domainName="example.com", domainEntry=entry)["operation"]
        assert (deleted["operationType"], deleted["resourceName"]) == ("DeleteDomainEntry", "example.com")
        assert _made(zone) == []

    def test_a_second_challenge_for_the_same_name_is_its_own_record(self, zone: Client) -> None:
        """A certificate for example.com and *.example.com gets two values under one name;
        each cleanup removes its own."""
        name = "_acme-challenge.example.com"
        for value in ("first", "second"):
            zone.create_domain_entry(
                domainName="example.com", domainEntry={"type": "TXT", "name": name, "target": f'"{value}"'}
            )
        zone.delete_domain_entry(
            domainName="example.com", domainEntry={"type": "TXT", "name": name, "target": '"first"'}
        )
        assert _made(zone) == [("TXT", name, '"second"')]

    def test_a_cleanup_of_a_record_gone_is_not_found(self, zone: Client) -> None:
        with pytest.raises(zone.exceptions.NotFoundException, match="does not exist"):
            zone.delete_domain_entry(
                domainName="example.com",
                domainEntry={"type": "TXT", "name": "_acme-challenge.example.com", "target": '"x"'},
            )


class TestUpdate:
    def test_the_entry_as_get_domain_returned_it_takes_a_new_target(self, zone: Client) -> None:
        zone.create_domain_entry(
            domainName="example.com", domainEntry={"name": "home.example.com", "type": "A", "target": "192.0.2.1"}
        )
        entry = next(entry for entry in _entries(zone) if entry["name"] == "home.example.com")
        operations = zone.update_domain_entry(domainName="example.com", domainEntry={**entry, "target": "192.0.2.9"})
        assert operations["operations"][0]["operationType"] == "UpdateDomainEntry"
        assert _made(zone) == [("A", "home.example.com", "192.0.2.9")]

    def test_a_refused_update_changes_nothing(self, zone: Client) -> None:
        zone.create_domain_entry(
            domainName="example.com", domainEntry={"name": "home.example.com", "type": "A", "target": "192.0.2.1"}
        )
        entry = next(entry for entry in _entries(zone) if entry["name"] == "home.example.com")
        with pytest.raises(zone.exceptions.InvalidInputException, match="IPv4"):
            zone.update_domain_entry(domainName="example.com", domainEntry={**entry, "target": "nowhere"})
        with pytest.raises(zone.exceptions.NotFoundException):
            zone.update_domain_entry(domainName="example.com", domainEntry={**entry, "id": "12345"})
        assert _made(zone) == [("A", "home.example.com", "192.0.2.1")]


@pytest.mark.skipif(shutil.which("jq") is None, reason="jq is not installed")
def test_a_dynamic_dns_update_through_the_cli_and_jq(lightsail_server: LightsailServer) -> None:
    """A ddns script: ``aws lightsail get-domain | jq`` picks the entry, then
    ``update-domain-entry`` sends it back with the new address."""
    client = http_client(lightsail_server.url)
    client.create_domain(domainName="example.com")
    client.create_domain_entry(
        domainName="example.com", domainEntry={"name": "home.example.com", "type": "A", "target": "192.0.2.1"}
    )
    got = aws(lightsail_server, "get-domain", "--domain-name", "example.com")
    assert got.returncode == 0, got.stderr
    picked = subprocess.run(
        [
            "jq",
            "-c",
            '.domain.domainEntries[] | select(.name == "home.example.com" and .type == "A") | .target = "198.51.100.7"',
        ],
        input=got.stdout,
        capture_output=True,
        text=True,
        check=True,
        timeout=30,
    ).stdout.strip()
    updated = aws(lightsail_server, "update-domain-entry", "--domain-name", "example.com", "--domain-entry", picked)
    assert updated.returncode == 0, updated.stderr
    assert json.loads(updated.stdout)["operations"][0]["operationType"] == "UpdateDomainEntry"
    assert _made(client) == [("A", "home.example.com", "198.51.100.7")]


def test_entries_made_from_threads_are_each_kept_once(zone: Client) -> None:
    """Four threads add entries to one zone at once (each a read-modify-write of its entries):
    none is lost or doubled, and a duplicate sent by two threads is refused once."""
    errors: list[str] = []

    def add(worker: int) -> None:
        for index in range(10):
            zone.create_domain_entry(
                domainName="example.com",
                domainEntry={"name": f"w{worker}-{index}.example.com", "type": "A", "target": "192.0.2.1"},
            )
        try:
            zone.create_domain_entry(
                domainName="example.com", domainEntry={"name": "same.example.com", "type": "A", "target": "192.0.2.9"}
            )
        except zone.exceptions.InvalidInputException as error:
            errors.append(str(error))

    threads = [threading.Thread(target=add, args=(worker,)) for worker in range(4)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    made = _made(zone)
    assert len(made) == len(set(made)) == 41
    assert len(errors) == 3
