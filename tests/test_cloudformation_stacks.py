"""CreateCloudFormationStack and GetCloudFormationStackRecords through a real boto3 client.

ExportSnapshot is another branch's; here its records are seeded into the mock's store as it
leaves them (``helpers.seed_export_snapshot_record``), and the stacks are made from those.
"""

from __future__ import annotations

import re
from typing import Any

import pytest
from botocore.exceptions import ClientError

from lightmock import LightsailMock, mock_lightsail
from tests.helpers import ACCOUNT, REGION, T0, UUID, seed_export_snapshot_record, shared_client

Client = Any
EXPORT = "ExportSnapshotRecord-e02f23d7-0453-4aa9-9c95-91aa01a141dd"


def entry(**overrides: Any) -> dict[str, Any]:
    return {
        "sourceName": EXPORT,
        "instanceType": "t2.micro",
        "portInfoSource": "INSTANCE",
        "availabilityZone": f"{REGION}a",
        **overrides,
    }


def records(client: Client) -> list[dict[str, Any]]:
    listed: list[dict[str, Any]] = client.get_cloud_formation_stack_records()["cloudFormationStackRecords"]
    return listed


def refused(client: Client, call: Any) -> tuple[str, str]:
    before = (records(client), client.get_operations()["operations"])
    with pytest.raises(ClientError) as caught:
        call()
    assert (records(client), client.get_operations()["operations"]) == before
    return caught.value.response["Error"]["Code"], caught.value.response["Error"]["Message"]


def test_a_stack_record_as_the_example(ls: LightsailMock, client: Client) -> None:
    seed_export_snapshot_record(ls, EXPORT)
    [operation] = client.create_cloud_formation_stack(instances=[entry(userData="apt-get -y update")])["operations"]
    [record] = records(client)
    assert (operation["resourceName"], operation["resourceType"], operation["status"]) == (
        record["name"],
        "CloudFormationStackRecord",
        "Started",
    )
    assert operation["operationDetails"] == EXPORT
    identifier = re.fullmatch(f"CloudFormationStackRecord-({UUID})", record["name"])
    assert identifier is not None
    assert re.fullmatch(rf"arn:aws:lightsail:{REGION}:{ACCOUNT}:CloudFormationStackRecord/{UUID}", record["arn"])
    assert record["location"] == {"availabilityZone": "all", "regionName": REGION}
    assert record["state"] == "Succeeded"
    [source] = record["sourceInfo"]
    assert (source["resourceType"], source["name"]) == ("ExportSnapshotRecord", EXPORT)
    assert source["arn"].startswith(f"arn:aws:lightsail:{REGION}:{ACCOUNT}:ExportSnapshotRecord/")
    destination = record["destinationInfo"]
    assert destination["service"] == "Aws::CloudFormation::Stack"
    assert re.fullmatch(
        rf"arn:aws:cloudformation:{REGION}:{ACCOUNT}:stack/Lightsail-Stack-{identifier.group(1)}/{UUID}",
        destination["id"],
    )
    assert "tags" not in record
    assert "supportCode" not in record


def test_started_until_the_stack_is_made(ls: LightsailMock, client: Client) -> None:
    seed_export_snapshot_record(ls, EXPORT)
    ls.set_transitions("hold")
    client.create_cloud_formation_stack(instances=[entry()])
    assert records(client)[0]["state"] == "Started"
    code, message = refused(client, lambda: client.create_cloud_formation_stack(instances=[entry()]))
    assert (code, "still being created" in message) == ("OperationFailureException", True)
    ls.finish_transitions()
    assert records(client)[0]["state"] == "Succeeded"
    client.create_cloud_formation_stack(instances=[entry()])
    assert len(records(client)) == 2


@pytest.mark.parametrize(
    ("instances", "code", "words"),
    [
        ([], "InvalidInputException", "exactly one"),
        ([entry(), entry()], "InvalidInputException", "exactly one"),
        ([entry(sourceName="ExportSnapshotRecord-nope")], "NotFoundException", "does not exist"),
        ([entry(instanceType="tiny")], "InvalidInputException", "EC2 instance type"),
        ([entry(availabilityZone="us-west-2a")], "InvalidInputException", "availability zone"),
    ],
)
def test_refused(ls: LightsailMock, client: Client, instances: list[Any], code: str, words: str) -> None:
    seed_export_snapshot_record(ls, EXPORT)
    got, message = refused(client, lambda: client.create_cloud_formation_stack(instances=instances))
    assert (got, words in message) == (code, True)


def test_an_export_of_a_disk_snapshot_or_unfinished_is_refused(ls: LightsailMock, client: Client) -> None:
    seed_export_snapshot_record(ls, EXPORT, source_type="DiskSnapshot")
    seed_export_snapshot_record(ls, "ExportSnapshotRecord-busy", state="Started")
    code, _ = refused(client, lambda: client.create_cloud_formation_stack(instances=[entry()]))
    assert code == "InvalidInputException"
    busy = entry(sourceName="ExportSnapshotRecord-busy")
    code, _ = refused(client, lambda: client.create_cloud_formation_stack(instances=[busy]))
    assert code == "OperationFailureException"


def test_records_page() -> None:
    with mock_lightsail(page_size=2) as ls:
        ls.clock.freeze(T0)
        client = shared_client()
        seed_export_snapshot_record(ls, EXPORT)
        for _ in range(3):
            client.create_cloud_formation_stack(instances=[entry()])
            ls.clock.advance(seconds=1)
        first = client.get_cloud_formation_stack_records()
        second = client.get_cloud_formation_stack_records(pageToken=first["nextPageToken"])
        names = [
            record["name"] for record in first["cloudFormationStackRecords"] + second["cloudFormationStackRecords"]
        ]
        assert "nextPageToken" not in second
        assert len(names) == len(set(names)) == 3
