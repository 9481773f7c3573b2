"""CreateCloudFormationStack and GetCloudFormationStackRecords through a real boto3 client,
from the records ExportSnapshot leaves."""

from __future__ import annotations

import re
from typing import Any

import pytest
from botocore.exceptions import ClientError

from lightmock import LightsailMock, mock_lightsail
from tests.helpers import ACCOUNT, REGION, T0, UUID, create_instances, shared_client

Client = Any


def exported(client: Client, kind: str = "instance", name: str = "snap-1") -> str:
    """The name of the record of a new export of a new snapshot of an instance (or of its
    system disk) of instance ``vm-1``, made if need be."""
    if not client.get_instances()["instances"]:
        create_instances(client, "vm-1")
    if kind == "instance":
        client.create_instance_snapshot(instanceSnapshotName=name, instanceName="vm-1")
    else:
        client.create_disk_snapshot(diskSnapshotName=name, instanceName="vm-1")
    record: str = client.export_snapshot(sourceSnapshotName=name)["operations"][0]["resourceName"]
    return record


def entry(export: str, **overrides: Any) -> dict[str, Any]:
    return {
        "sourceName": export,
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


def test_a_stack_record_as_the_example(client: Client) -> None:
    export = exported(client)
    [operation] = client.create_cloud_formation_stack(instances=[entry(export, userData="apt-get -y update")])[
        "operations"
    ]
    [record] = records(client)
    assert (operation["resourceName"], operation["resourceType"], operation["status"]) == (
        record["name"],
        "CloudFormationStackRecord",
        "Started",
    )
    assert operation["operationDetails"] == export
    identifier = re.fullmatch(f"CloudFormationStackRecord-({UUID})", record["name"])
    assert identifier is not None
    assert re.fullmatch(rf"arn:aws:lightsail:{REGION}:{ACCOUNT}:CloudFormationStackRecord/{UUID}", record["arn"])
    assert record["location"] == {"availabilityZone": "all", "regionName": REGION}
    assert record["state"] == "Succeeded"
    [source] = record["sourceInfo"]
    assert (source["resourceType"], source["name"]) == ("ExportSnapshotRecord", export)
    [export_record] = client.get_export_snapshot_records()["exportSnapshotRecords"]
    assert source["arn"] == export_record["arn"]
    destination = record["destinationInfo"]
    assert destination["service"] == "Aws::CloudFormation::Stack"
    assert re.fullmatch(
        rf"arn:aws:cloudformation:{REGION}:{ACCOUNT}:stack/Lightsail-Stack-{identifier.group(1)}/{UUID}",
        destination["id"],
    )
    assert "tags" not in record
    assert "supportCode" not in record


def test_started_until_the_stack_is_made(ls: LightsailMock, client: Client) -> None:
    export = exported(client)
    ls.set_transitions("hold")
    client.create_cloud_formation_stack(instances=[entry(export)])
    assert records(client)[0]["state"] == "Started"
    code, message = refused(client, lambda: client.create_cloud_formation_stack(instances=[entry(export)]))
    assert (code, "still being created" in message) == ("OperationFailureException", True)
    ls.finish_transitions()
    assert records(client)[0]["state"] == "Succeeded"
    client.create_cloud_formation_stack(instances=[entry(export)])
    assert len(records(client)) == 2


@pytest.mark.parametrize(
    ("change", "code", "words"),
    [
        ({"count": 0}, "InvalidInputException", "exactly one"),
        ({"count": 2}, "InvalidInputException", "exactly one"),
        ({"sourceName": "ExportSnapshotRecord-nope"}, "NotFoundException", "does not exist"),
        ({"instanceType": "tiny"}, "InvalidInputException", "EC2 instance type"),
        ({"availabilityZone": "us-west-2a"}, "InvalidInputException", "availability zone"),
    ],
)
def test_refused(client: Client, change: dict[str, Any], code: str, words: str) -> None:
    export = exported(client)
    count = change.pop("count", 1)
    instances = [entry(export, **change)] * count
    got, message = refused(client, lambda: client.create_cloud_formation_stack(instances=instances))
    assert (got, words in message) == (code, True)


def test_an_export_of_a_disk_snapshot_or_unfinished_is_refused(ls: LightsailMock, client: Client) -> None:
    disk = exported(client, "disk", "disk-snap")
    code, _ = refused(client, lambda: client.create_cloud_formation_stack(instances=[entry(disk)]))
    assert code == "InvalidInputException"
    client.create_instance_snapshot(instanceSnapshotName="snap-2", instanceName="vm-1")
    ls.set_transitions("hold")
    busy = client.export_snapshot(sourceSnapshotName="snap-2")["operations"][0]["resourceName"]
    code, _ = refused(client, lambda: client.create_cloud_formation_stack(instances=[entry(busy)]))
    assert code == "OperationFailureException"


def test_records_page() -> None:
    with mock_lightsail(page_size=2) as ls:
        ls.clock.freeze(T0)
        client = shared_client()
        export = exported(client)
        for _ in range(3):
            client.create_cloud_formation_stack(instances=[entry(export)])
            ls.clock.advance(seconds=1)
        first = client.get_cloud_formation_stack_records()
        second = client.get_cloud_formation_stack_records(pageToken=first["nextPageToken"])
        names = [
            record["name"] for record in first["cloudFormationStackRecords"] + second["cloudFormationStackRecords"]
        ]
        assert "nextPageToken" not in second
        assert len(names) == len(set(names)) == 3
