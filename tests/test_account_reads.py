"""GetRegions and GetActiveNames through a real boto3 client (docs/service-reference.md §12.1, §12.2)."""

from __future__ import annotations

from collections.abc import Iterator
from typing import Any

import boto3
import pytest

from lightmock import LightsailMock, mock_lightsail
from lightmock.schema.model import served_regions
from tests.helpers import OTHER_REGION, REGION, T0, create_database, create_instances, create_load_balancer

Client = Any


class TestGetRegions:
    def test_the_example_records_first_without_zones(self, client: Client) -> None:
        """Every served region once; the first three exactly as the aws-cli example shows them."""
        regions = client.get_regions()["regions"]
        assert sorted(region["name"] for region in regions) == sorted(served_regions())
        assert regions[:3] == [
            {
                "continentCode": "NA",
                "description": "This region is recommended to serve users in the eastern United States",
                "displayName": "Virginia",
                "name": "us-east-1",
                "availabilityZones": [],
                "relationalDatabaseAvailabilityZones": [],
            },
            {
                "continentCode": "NA",
                "description": "This region is recommended to serve users in the eastern United States",
                "displayName": "Ohio",
                "name": "us-east-2",
                "availabilityZones": [],
                "relationalDatabaseAvailabilityZones": [],
            },
            {
                "continentCode": "NA",
                "description": (
                    "This region is recommended to serve users in the northwestern United States, Alaska, "
                    "and western Canada"
                ),
                "displayName": "Oregon",
                "name": "us-west-2",
                "availabilityZones": [],
                "relationalDatabaseAvailabilityZones": [],
            },
        ]
        assert all(region["displayName"] and region["continentCode"] for region in regions)

    def test_zones_on_request_each_flag_its_own(self, client: Client) -> None:
        """includeAvailabilityZones gives the instance zones, the database flag the database zones."""
        instance_zones = {r["name"]: r for r in client.get_regions(includeAvailabilityZones=True)["regions"]}
        zones = instance_zones["eu-west-2"]["availabilityZones"]
        assert [zone["zoneName"] for zone in zones] == [f"eu-west-2{letter}" for letter in "abcdef"]
        assert {zone["state"] for zone in zones} == {"available"}
        assert instance_zones["eu-west-2"]["relationalDatabaseAvailabilityZones"] == []
        database_zones = client.get_regions(includeRelationalDatabaseAvailabilityZones=True)["regions"]
        assert all(region["availabilityZones"] == [] for region in database_zones)
        assert all(len(region["relationalDatabaseAvailabilityZones"]) == 6 for region in database_zones)

    def test_every_zone_listed_is_one_a_create_takes(self, client: Client) -> None:
        """A zone GetRegions lists is accepted by CreateInstances and CreateRelationalDatabase."""
        (region,) = [
            r
            for r in client.get_regions(includeAvailabilityZones=True, includeRelationalDatabaseAvailabilityZones=True)[
                "regions"
            ]
            if r["name"] == REGION
        ]
        for index, zone in enumerate(region["availabilityZones"]):
            create_instances(client, f"web-{index}", availabilityZone=zone["zoneName"])
        last = region["relationalDatabaseAvailabilityZones"][-1]["zoneName"]
        create_database(client, "db-1", availabilityZone=last)
        assert (
            client.get_relational_database(relationalDatabaseName="db-1")["relationalDatabase"]["location"][
                "availabilityZone"
            ]
            == last
        )

    def test_the_same_from_any_region(self, ls: LightsailMock) -> None:
        here = boto3.client("lightsail", region_name=REGION).get_regions()["regions"]
        there = boto3.client("lightsail", region_name="ap-southeast-2").get_regions()["regions"]
        assert here == there


@pytest.fixture
def paged_mock() -> Iterator[LightsailMock]:
    with mock_lightsail(page_size=2) as ls:
        ls.clock.freeze(T0)
        yield ls


@pytest.fixture
def paged(paged_mock: LightsailMock) -> Client:
    return boto3.client("lightsail", region_name=REGION)


def _all_names(client: Client) -> list[str]:
    names: list[str] = []
    for page in client.get_paginator("get_active_names").paginate():
        names += page["activeNames"]
    return names


class TestGetActiveNames:
    def test_none_in_a_new_region(self, client: Client) -> None:
        assert client.get_active_names()["activeNames"] == []

    def test_every_kind_oldest_first_in_pages(self, paged_mock: LightsailMock, paged: Client) -> None:
        """Instances, a load balancer, a database, a static IP and a key pair, in pages of two,
        oldest first (made a second apart, in an order that is not the names')."""
        client = paged
        for make in (
            lambda: create_instances(client, "web-1", "web-2"),
            lambda: create_load_balancer(client, "lb-1"),
            lambda: create_database(client, "db-1"),
            lambda: client.allocate_static_ip(staticIpName="ip-1"),
            lambda: client.create_key_pair(keyPairName="kp-1"),
        ):
            make()
            paged_mock.clock.advance(seconds=1)
        first = client.get_active_names()
        assert len(first["activeNames"]) == 2
        assert "nextPageToken" in first
        assert _all_names(client) == ["web-1", "web-2", "lb-1", "db-1", "ip-1", "kp-1"]

    def test_deleted_names_leave_and_a_shared_name_is_listed_once(self, client: Client) -> None:
        create_instances(client, "web-1", "web-2")
        client.create_key_pair(keyPairName="web-2")  # a key pair may share an instance's name
        client.delete_instance(instanceName="web-1")
        assert _all_names(client) == ["web-2"]
        client.delete_instance(instanceName="web-2")
        assert _all_names(client) == ["web-2"]  # the key pair's
        client.delete_key_pair(keyPairName="web-2")
        assert _all_names(client) == []

    def test_only_the_region_asked(self, client: Client) -> None:
        create_instances(client, "web-1")
        other = boto3.client("lightsail", region_name=OTHER_REGION)
        create_instances(other, "far-1")
        assert _all_names(client) == ["web-1"]
        assert _all_names(other) == ["far-1"]

    def test_a_token_of_another_operation_is_refused(self, paged: Client) -> None:
        create_instances(paged, "web-1", "web-2", "web-3")
        token = paged.get_instances()["nextPageToken"]
        with pytest.raises(paged.exceptions.InvalidInputException, match="page token"):
            paged.get_active_names(pageToken=token)
