"""PeerVpc, UnpeerVpc and IsVpcPeered through a real boto3 client: per account and region,
operations as the aws-cli examples show them."""

from __future__ import annotations

import re
from typing import Any

import pytest
from botocore.exceptions import ClientError

from lightmock import LightsailMock
from tests.helpers import OTHER_REGION, REGION, shared_client

Client = Any


def refused(call: Any) -> str:
    with pytest.raises(ClientError) as caught:
        call()
    assert caught.value.response["Error"]["Code"] == "OperationFailureException"
    return str(caught.value.response["Error"]["Message"])


def test_peer_then_unpeer(client: Client) -> None:
    assert client.is_vpc_peered()["isPeered"] is False
    peered = client.peer_vpc()["operation"]
    assert re.fullmatch(r"vpc-0[0-9a-f]{16}", peered["resourceName"])
    assert re.fullmatch(r"vpc-[0-9a-f]{8}", peered["operationDetails"])
    assert (peered["resourceType"], peered["status"], peered["isTerminal"]) == ("PeeredVpc", "Succeeded", True)
    assert peered["location"] == {"availabilityZone": "all", "regionName": REGION}
    assert "operationType" not in peered  # the service's PeeredVpc is not in the model's enum
    assert client.is_vpc_peered()["isPeered"] is True
    unpeered = client.unpeer_vpc()["operation"]
    assert (unpeered["resourceName"], unpeered["operationDetails"]) == (
        peered["resourceName"],
        peered["operationDetails"],
    )
    assert (unpeered["resourceType"], unpeered["status"]) == ("PeeredVpc", "Succeeded")
    assert client.is_vpc_peered()["isPeered"] is False
    logged = client.get_operations_for_resource(resourceName=peered["resourceName"])["operations"]
    assert {operation["id"] for operation in logged} == {peered["id"], unpeered["id"]}


def test_the_same_vpcs_every_time(client: Client) -> None:
    first = client.peer_vpc()["operation"]
    client.unpeer_vpc()
    again = client.peer_vpc()["operation"]
    assert (first["resourceName"], first["operationDetails"]) == (again["resourceName"], again["operationDetails"])


def test_peering_twice_or_unpeering_unpeered_is_refused(client: Client) -> None:
    assert "is not peered" in refused(client.unpeer_vpc)
    client.peer_vpc()
    operations = client.get_operations()["operations"]
    assert "already peered" in refused(client.peer_vpc)
    assert client.get_operations()["operations"] == operations
    assert client.is_vpc_peered()["isPeered"] is True


def test_per_region(ls: LightsailMock, client: Client) -> None:
    other = shared_client(OTHER_REGION)
    here = client.peer_vpc()["operation"]
    assert other.is_vpc_peered()["isPeered"] is False
    there = other.peer_vpc()["operation"]
    assert there["resourceName"] != here["resourceName"]
    assert there["location"]["regionName"] == OTHER_REGION
    client.unpeer_vpc()
    assert other.is_vpc_peered()["isPeered"] is True


def test_per_account() -> None:
    from lightmock import mock_lightsail

    with mock_lightsail(account_id="111122223333"):
        first = shared_client().peer_vpc()["operation"]["resourceName"]
    with mock_lightsail():
        second = shared_client().peer_vpc()["operation"]["resourceName"]
    assert first != second
