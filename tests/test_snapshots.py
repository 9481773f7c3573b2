"""Instance and disk snapshots through a real boto3 client: taking them, restoring instances
and disks from them, copying them across regions, exporting them
(docs/service-reference.md §11.2 to §11.4, §11.6)."""

from __future__ import annotations

from typing import Any

import pytest

from lightmock import LightsailMock, mock_lightsail
from tests.helpers import OTHER_REGION, REGION, create_instances, shared_client

Client = Any


def _instance_snapshot(client: Client, name: str = "snap-1") -> dict[str, Any]:
    return client.get_instance_snapshot(instanceSnapshotName=name)["instanceSnapshot"]  # type: ignore[no-any-return]


class TestInstanceSnapshots:
    def test_the_record_names_its_instance(self, client: Client) -> None:
        create_instances(client, "web-1", blueprintId="debian_12", bundleId="small_3_0")
        client.create_disk(diskName="data-1", availabilityZone="us-east-1a", sizeInGb=16)
        client.attach_disk(diskName="data-1", instanceName="web-1", diskPath="/dev/xvdf")
        operations = client.create_instance_snapshot(instanceSnapshotName="snap-1", instanceName="web-1")["operations"]
        assert [
            (op["resourceName"], op["resourceType"], op["operationDetails"], op["status"]) for op in operations
        ] == [
            ("snap-1", "InstanceSnapshot", "web-1", "Started"),
            ("web-1", "Instance", "snap-1", "Started"),
        ]
        assert operations[0]["location"]["availabilityZone"] == "all"
        instance = client.get_instance(instanceName="web-1")["instance"]
        snapshot = _instance_snapshot(client)
        assert (snapshot["state"], snapshot["progress"], snapshot["isFromAutoSnapshot"]) == ("available", "100%", False)
        assert (snapshot["fromInstanceName"], snapshot["fromInstanceArn"]) == ("web-1", instance["arn"])
        assert (snapshot["fromBlueprintId"], snapshot["fromBundleId"], snapshot["sizeInGb"]) == (
            "debian_12",
            "small_3_0",
            60,
        )
        assert [(disk["name"], disk["path"], disk["sizeInGb"]) for disk in snapshot["fromAttachedDisks"]] == [
            ("data-1", "/dev/xvdf", 16)
        ]
        assert snapshot["supportCode"].split("/")[1].startswith("ami-")

    def test_pending_then_available_on_the_clock(self, ls: LightsailMock, client: Client) -> None:
        create_instances(client, "web-1")
        ls.set_transitions("clock")
        client.create_instance_snapshot(instanceSnapshotName="snap-1", instanceName="web-1")
        assert (_instance_snapshot(client)["state"], _instance_snapshot(client)["progress"]) == ("pending", "0%")
        ls.clock.advance(minutes=5)
        assert (_instance_snapshot(client)["state"], _instance_snapshot(client)["progress"]) == ("available", "100%")

    def test_a_snapshot_outlives_its_instance(self, client: Client) -> None:
        create_instances(client, "web-1")
        client.create_instance_snapshot(instanceSnapshotName="snap-1", instanceName="web-1")
        client.delete_instance(instanceName="web-1")
        assert _instance_snapshot(client)["fromInstanceName"] == "web-1"
        (deleted,) = client.delete_instance_snapshot(instanceSnapshotName="snap-1")["operations"]
        assert (deleted["operationType"], deleted["status"]) == ("DeleteInstanceSnapshot", "Succeeded")
        assert client.get_instance_snapshots()["instanceSnapshots"] == []

    def test_an_unknown_instance_is_not_found(self, client: Client) -> None:
        with pytest.raises(client.exceptions.NotFoundException, match="does not exist"):
            client.create_instance_snapshot(instanceSnapshotName="snap-1", instanceName="nope")
        assert client.get_instance_snapshots()["instanceSnapshots"] == []


class TestDiskSnapshots:
    def test_of_a_disk(self, client: Client) -> None:
        client.create_disk(diskName="data-1", availabilityZone="us-east-1a", sizeInGb=8)
        operations = client.create_disk_snapshot(diskName="data-1", diskSnapshotName="ds-1")["operations"]
        assert [(op["resourceName"], op["operationDetails"]) for op in operations] == [
            ("ds-1", "data-1"),
            ("data-1", "ds-1"),
        ]
        snapshot = client.get_disk_snapshot(diskSnapshotName="ds-1")["diskSnapshot"]
        disk = client.get_disk(diskName="data-1")["disk"]
        assert (snapshot["state"], snapshot["progress"], snapshot["sizeInGb"]) == ("completed", "100%", 8)
        assert (snapshot["fromDiskName"], snapshot["fromDiskArn"]) == ("data-1", disk["arn"])
        assert snapshot["supportCode"].split("/")[1].startswith("snap-")

    def test_of_an_instance_system_disk(self, client: Client) -> None:
        create_instances(client, "web-1")
        operations = client.create_disk_snapshot(instanceName="web-1", diskSnapshotName="sys-1")["operations"]
        assert [(op["resourceType"], op["resourceName"]) for op in operations] == [
            ("DiskSnapshot", "sys-1"),
            ("Instance", "web-1"),
        ]
        snapshot = client.get_disk_snapshot(diskSnapshotName="sys-1")["diskSnapshot"]
        assert (snapshot["fromInstanceName"], snapshot["sizeInGb"]) == ("web-1", 20)
        assert "fromDiskName" not in snapshot

    def test_a_disk_and_an_instance_together_are_refused(self, client: Client) -> None:
        create_instances(client, "web-1")
        client.create_disk(diskName="data-1", availabilityZone="us-east-1a", sizeInGb=8)
        with pytest.raises(client.exceptions.InvalidInputException, match="either a disk"):
            client.create_disk_snapshot(diskName="data-1", instanceName="web-1", diskSnapshotName="ds-1")
        assert client.get_disk_snapshots()["diskSnapshots"] == []


class TestRestore:
    def test_instances_from_a_snapshot_take_its_blueprint(self, client: Client) -> None:
        create_instances(client, "web-1", blueprintId="debian_12", bundleId="micro_3_0")
        client.create_instance_snapshot(instanceSnapshotName="snap-1", instanceName="web-1")
        operations = client.create_instances_from_snapshot(
            instanceSnapshotName="snap-1",
            instanceNames=["web-2", "web-3"],
            availabilityZone="us-east-1b",
            bundleId="small_3_0",
        )["operations"]
        assert [(op["resourceName"], op["operationType"], op["status"]) for op in operations] == [
            ("web-2", "CreateInstancesFromSnapshot", "Started"),
            ("web-3", "CreateInstancesFromSnapshot", "Started"),
        ]
        restored = client.get_instance(instanceName="web-2")["instance"]
        assert (restored["blueprintId"], restored["bundleId"], restored["state"]["name"]) == (
            "debian_12",
            "small_3_0",
            "running",
        )
        assert restored["location"]["availabilityZone"] == "us-east-1b"

    def test_attached_disk_mapping_makes_the_disks(self, client: Client) -> None:
        create_instances(client, "web-1")
        client.create_disk(diskName="data-1", availabilityZone="us-east-1a", sizeInGb=16)
        client.attach_disk(diskName="data-1", instanceName="web-1", diskPath="/dev/xvdf")
        client.create_instance_snapshot(instanceSnapshotName="snap-1", instanceName="web-1")
        restore = {
            "instanceSnapshotName": "snap-1",
            "instanceNames": ["web-2"],
            "availabilityZone": "us-east-1b",
            "bundleId": "nano_3_0",
        }
        with pytest.raises(client.exceptions.InvalidInputException, match="not a disk of the snapshot"):
            client.create_instances_from_snapshot(
                **restore, attachedDiskMapping={"web-2": [{"originalDiskPath": "/dev/xvdg", "newDiskName": "data-2"}]}
            )
        assert [instance["name"] for instance in client.get_instances()["instances"]] == ["web-1"]
        client.create_instances_from_snapshot(
            **restore, attachedDiskMapping={"web-2": [{"originalDiskPath": "/dev/xvdf", "newDiskName": "data-2"}]}
        )
        disk = client.get_disk(diskName="data-2")["disk"]
        assert (disk["attachedTo"], disk["path"], disk["sizeInGb"], disk["state"]) == (
            "web-2",
            "/dev/xvdf",
            16,
            "in-use",
        )
        assert disk["location"]["availabilityZone"] == "us-east-1b"

    def test_a_smaller_bundle_is_refused(self, client: Client) -> None:
        create_instances(client, "web-1", bundleId="small_3_0")
        client.create_instance_snapshot(instanceSnapshotName="snap-1", instanceName="web-1")
        with pytest.raises(client.exceptions.InvalidInputException, match="equal to or greater in specifications"):
            client.create_instances_from_snapshot(
                instanceSnapshotName="snap-1",
                instanceNames=["web-2"],
                availabilityZone="us-east-1a",
                bundleId="nano_3_0",
            )
        assert [instance["name"] for instance in client.get_instances()["instances"]] == ["web-1"]

    def test_a_pending_snapshot_is_not_restored(self, ls: LightsailMock, client: Client) -> None:
        create_instances(client, "web-1")
        ls.set_transitions("hold")
        client.create_instance_snapshot(instanceSnapshotName="snap-1", instanceName="web-1")
        with pytest.raises(client.exceptions.OperationFailureException, match="is pending"):
            client.create_instances_from_snapshot(
                instanceSnapshotName="snap-1",
                instanceNames=["web-2"],
                availabilityZone="us-east-1a",
                bundleId="nano_3_0",
            )

    def test_a_disk_from_a_snapshot_is_at_least_its_size(self, client: Client) -> None:
        client.create_disk(diskName="data-1", availabilityZone="us-east-1a", sizeInGb=32)
        client.create_disk_snapshot(diskName="data-1", diskSnapshotName="ds-1")
        with pytest.raises(client.exceptions.InvalidInputException, match="from 32 to"):
            client.create_disk_from_snapshot(
                diskName="data-2", diskSnapshotName="ds-1", availabilityZone="us-east-1b", sizeInGb=16
            )
        (operation,) = client.create_disk_from_snapshot(
            diskName="data-2", diskSnapshotName="ds-1", availabilityZone="us-east-1b", sizeInGb=64
        )["operations"]
        assert (operation["operationType"], operation["resourceType"]) == ("CreateDiskFromSnapshot", "Disk")
        disk = client.get_disk(diskName="data-2")["disk"]
        assert (disk["sizeInGb"], disk["state"], disk["location"]["availabilityZone"]) == (
            64,
            "available",
            "us-east-1b",
        )


class TestCopy:
    def test_across_regions(self, client: Client) -> None:
        """The copy is made in the request's region from the source region's snapshot."""
        west = shared_client(OTHER_REGION)
        create_instances(west, "web-1")
        west.create_instance_snapshot(instanceSnapshotName="snap-1", instanceName="web-1")
        (operation,) = client.copy_snapshot(
            sourceSnapshotName="snap-1", targetSnapshotName="snap-1-copy", sourceRegion=OTHER_REGION
        )["operations"]
        assert (operation["resourceName"], operation["operationDetails"]) == ("snap-1-copy", f"{OTHER_REGION}:snap-1")
        assert "operationType" not in operation  # CopySnapshot is not in the model's OperationType enum
        assert operation["location"] == {"availabilityZone": "all", "regionName": REGION}
        copy = _instance_snapshot(client, "snap-1-copy")
        source = west.get_instance_snapshot(instanceSnapshotName="snap-1")["instanceSnapshot"]
        assert copy["arn"].startswith(f"arn:aws:lightsail:{REGION}:")
        assert (copy["fromInstanceArn"], copy["fromBundleId"], copy["state"]) == (
            source["fromInstanceArn"],
            source["fromBundleId"],
            "available",
        )
        assert west.get_instance_snapshots()["instanceSnapshots"] == [source]

    def test_a_disk_snapshot_copies_as_a_disk_snapshot(self, client: Client) -> None:
        client.create_disk(diskName="data-1", availabilityZone="us-east-1a", sizeInGb=8)
        client.create_disk_snapshot(diskName="data-1", diskSnapshotName="ds-1")
        client.copy_snapshot(sourceSnapshotName="ds-1", targetSnapshotName="ds-2", sourceRegion=REGION)
        assert client.get_disk_snapshot(diskSnapshotName="ds-2")["diskSnapshot"]["fromDiskName"] == "data-1"

    def test_a_missing_source_or_taken_name_is_refused(self, client: Client) -> None:
        with pytest.raises(client.exceptions.NotFoundException, match="does not exist"):
            client.copy_snapshot(sourceSnapshotName="nope", targetSnapshotName="x-1", sourceRegion=OTHER_REGION)
        create_instances(client, "web-1")
        client.create_instance_snapshot(instanceSnapshotName="snap-1", instanceName="web-1")
        with pytest.raises(client.exceptions.InvalidInputException, match="already in use"):
            client.copy_snapshot(sourceSnapshotName="snap-1", targetSnapshotName="snap-1", sourceRegion=REGION)


class TestExport:
    def test_the_record_describes_source_and_destination(self, client: Client) -> None:
        create_instances(client, "web-1", blueprintId="wordpress")
        client.create_instance_snapshot(instanceSnapshotName="snap-1", instanceName="web-1")
        operations = client.export_snapshot(sourceSnapshotName="snap-1")["operations"]
        assert [(op["resourceType"], op["status"]) for op in operations] == [
            ("ExportSnapshotRecord", "Started"),
            ("InstanceSnapshot", "Started"),
        ]
        (record,) = client.get_export_snapshot_records()["exportSnapshotRecords"]
        assert record["name"] == operations[0]["resourceName"]
        assert record["name"].startswith("ExportSnapshotRecord-")
        assert (record["resourceType"], record["state"], record["location"]["availabilityZone"]) == (
            "ExportSnapshotRecord",
            "Succeeded",
            "all",
        )
        source = record["sourceInfo"]
        assert (source["resourceType"], source["name"], source["fromResourceName"]) == (
            "InstanceSnapshot",
            "snap-1",
            "web-1",
        )
        assert source["instanceSnapshotInfo"]["fromBlueprintId"] == "wordpress"
        assert record["destinationInfo"]["service"] == "Aws::EC2::Image"
        assert record["destinationInfo"]["id"].startswith("ami-")

    def test_a_disk_snapshot_exports_as_a_volume(self, client: Client) -> None:
        client.create_disk(diskName="data-1", availabilityZone="us-east-1a", sizeInGb=8)
        client.create_disk_snapshot(diskName="data-1", diskSnapshotName="ds-1")
        client.export_snapshot(sourceSnapshotName="ds-1")
        (record,) = client.get_export_snapshot_records()["exportSnapshotRecords"]
        assert record["sourceInfo"]["diskSnapshotInfo"] == {"sizeInGb": 8}
        assert record["destinationInfo"]["service"] == "Aws::EC2::Volume"

    def test_records_page(self) -> None:
        with mock_lightsail(page_size=2):
            client = shared_client()
            create_instances(client, "web-1")
            client.create_instance_snapshot(instanceSnapshotName="snap-1", instanceName="web-1")
            for _ in range(3):
                client.export_snapshot(sourceSnapshotName="snap-1")
            names: list[str] = []
            token = None
            while True:
                page = client.get_export_snapshot_records(**({"pageToken": token} if token else {}))
                assert len(page["exportSnapshotRecords"]) <= 2
                names += [record["name"] for record in page["exportSnapshotRecords"]]
                token = page.get("nextPageToken")
                if not token:
                    break
        assert len(names) == len(set(names)) == 3

    def test_unknown_snapshot(self, client: Client) -> None:
        with pytest.raises(client.exceptions.NotFoundException, match="does not exist"):
            client.export_snapshot(sourceSnapshotName="nope")
