"""Block storage disks through a real boto3 client: create, attach, detach, delete, and what
an instance's deletion does to its disks (docs/service-reference.md §11.1)."""

from __future__ import annotations

from typing import Any

import pytest

from lightmock import LightsailMock
from tests.helpers import OTHER_REGION, create_instances, shared_client

Client = Any


def _disk(client: Client, name: str = "data-1", zone: str = "us-east-1a", size: int = 32) -> dict[str, Any]:
    client.create_disk(diskName=name, availabilityZone=zone, sizeInGb=size)
    return client.get_disk(diskName=name)["disk"]  # type: ignore[no-any-return]


def _get(client: Client, name: str = "data-1") -> dict[str, Any]:
    return client.get_disk(diskName=name)["disk"]  # type: ignore[no-any-return]


class TestCreate:
    def test_a_new_disk_is_available_and_detached(self, client: Client) -> None:
        (operation,) = client.create_disk(diskName="data-1", availabilityZone="us-east-1a", sizeInGb=8)["operations"]
        assert (operation["operationType"], operation["status"], operation["resourceType"]) == (
            "CreateDisk",
            "Started",
            "Disk",
        )
        assert operation["location"]["availabilityZone"] == "us-east-1a"
        disk = _get(client)
        assert disk["state"] == "available"
        assert (disk["isAttached"], disk["attachmentState"]) == (False, "detached")
        assert "path" not in disk
        assert "attachedTo" not in disk
        assert (disk["sizeInGb"], disk["iops"], disk["isSystemDisk"]) == (8, 100, False)
        assert disk["supportCode"].split("/")[1].startswith("vol-")

    def test_pending_until_the_transition_ends(self, ls: LightsailMock, client: Client) -> None:
        ls.set_transitions("hold")
        client.create_disk(diskName="data-1", availabilityZone="us-east-1a", sizeInGb=8)
        assert _get(client)["state"] == "pending"
        ls.finish_transitions("data-1")
        assert _get(client)["state"] == "available"

    @pytest.mark.parametrize("size", [4, 16385])
    def test_a_size_out_of_range_is_refused(self, client: Client, size: int) -> None:
        with pytest.raises(client.exceptions.InvalidInputException, match="from 8 to 16384 GB"):
            client.create_disk(diskName="data-1", availabilityZone="us-east-1a", sizeInGb=size)
        assert client.get_disks()["disks"] == []

    def test_a_zone_of_another_region_is_refused(self, client: Client) -> None:
        with pytest.raises(client.exceptions.InvalidInputException, match="availability zone"):
            client.create_disk(diskName="data-1", availabilityZone="us-west-2a", sizeInGb=8)


class TestAttach:
    def test_attach_shows_on_disk_and_instance(self, client: Client) -> None:
        create_instances(client, "web-1")
        _disk(client)
        operations = client.attach_disk(diskName="data-1", instanceName="web-1", diskPath="/dev/xvdf")["operations"]
        assert [(op["resourceName"], op["operationDetails"], op["operationType"]) for op in operations] == [
            ("data-1", "web-1", "AttachDisk"),
            ("web-1", "data-1", "AttachDisk"),
        ]
        disk = _get(client)
        assert (disk["state"], disk["attachedTo"], disk["isAttached"], disk["path"], disk["attachmentState"]) == (
            "in-use",
            "web-1",
            True,
            "/dev/xvdf",
            "attached",
        )
        hardware = client.get_instance(instanceName="web-1")["instance"]["hardware"]["disks"]
        assert [(d.get("name"), d["path"], d["isSystemDisk"]) for d in hardware] == [
            (None, "/dev/xvda", True),
            ("data-1", "/dev/xvdf", False),
        ]

    def test_another_zone_is_refused_and_changes_nothing(self, client: Client) -> None:
        create_instances(client, "web-1")
        _disk(client, zone="us-east-1b")
        before = _get(client)
        with pytest.raises(client.exceptions.InvalidInputException, match="its own availability zone"):
            client.attach_disk(diskName="data-1", instanceName="web-1", diskPath="/dev/xvdf")
        assert _get(client) == before

    def test_an_attached_disk_is_not_attached_again(self, client: Client) -> None:
        create_instances(client, "web-1", "web-2")
        _disk(client)
        client.attach_disk(diskName="data-1", instanceName="web-1", diskPath="/dev/xvdf")
        with pytest.raises(client.exceptions.InvalidInputException, match="already attached to the instance web-1"):
            client.attach_disk(diskName="data-1", instanceName="web-2", diskPath="/dev/xvdf")

    def test_a_path_in_use_or_malformed_is_refused(self, client: Client) -> None:
        create_instances(client, "web-1")
        _disk(client, "data-1")
        _disk(client, "data-2")
        client.attach_disk(diskName="data-1", instanceName="web-1", diskPath="/dev/xvdf")
        with pytest.raises(client.exceptions.InvalidInputException, match="already has a disk at /dev/xvdf"):
            client.attach_disk(diskName="data-2", instanceName="web-1", diskPath="/dev/xvdf")
        with pytest.raises(client.exceptions.InvalidInputException, match="disk path"):
            client.attach_disk(diskName="data-2", instanceName="web-1", diskPath="/dev/xvda")
        assert _get(client, "data-2")["isAttached"] is False

    def test_unknown_disk_or_instance(self, client: Client) -> None:
        _disk(client)
        with pytest.raises(client.exceptions.NotFoundException, match="does not exist"):
            client.attach_disk(diskName="data-1", instanceName="nope", diskPath="/dev/xvdf")
        with pytest.raises(client.exceptions.NotFoundException, match="does not exist"):
            client.attach_disk(diskName="nope", instanceName="web-1", diskPath="/dev/xvdf")


class TestDetachAndDelete:
    def _attached(self, client: Client) -> None:
        create_instances(client, "web-1")
        _disk(client)
        client.attach_disk(diskName="data-1", instanceName="web-1", diskPath="/dev/xvdf")

    def test_detach_needs_a_stopped_instance(self, client: Client) -> None:
        self._attached(client)
        with pytest.raises(client.exceptions.OperationFailureException, match="only from a stopped instance"):
            client.detach_disk(diskName="data-1")
        assert _get(client)["isAttached"] is True
        client.stop_instance(instanceName="web-1")
        operations = client.detach_disk(diskName="data-1")["operations"]
        assert [op["operationType"] for op in operations] == ["DetachDisk", "DetachDisk"]
        disk = _get(client)
        assert (disk["state"], disk["isAttached"], disk["attachmentState"]) == ("available", False, "detached")
        assert "path" not in disk
        assert "attachedTo" not in disk
        hardware = client.get_instance(instanceName="web-1")["instance"]["hardware"]["disks"]
        assert [d["path"] for d in hardware] == ["/dev/xvda"]

    def test_detach_of_a_detached_disk_is_refused(self, client: Client) -> None:
        _disk(client)
        with pytest.raises(client.exceptions.InvalidInputException, match="not attached"):
            client.detach_disk(diskName="data-1")

    def test_an_attached_disk_is_not_deleted(self, client: Client) -> None:
        self._attached(client)
        with pytest.raises(client.exceptions.InvalidInputException, match="must be available"):
            client.delete_disk(diskName="data-1")
        assert _get(client)["attachedTo"] == "web-1"
        client.stop_instance(instanceName="web-1")
        client.detach_disk(diskName="data-1")
        (operation,) = client.delete_disk(diskName="data-1")["operations"]
        assert (operation["operationType"], operation["status"], operation["isTerminal"]) == (
            "DeleteDisk",
            "Succeeded",
            True,
        )
        assert client.get_disks()["disks"] == []

    def test_deleting_the_instance_detaches_its_disks(self, client: Client) -> None:
        """As the aws-cli delete-instance example: a DetachDisk pair per disk, then DeleteInstance."""
        self._attached(client)
        operations = client.delete_instance(instanceName="web-1")["operations"]
        assert [(op["resourceName"], op["operationType"], op.get("operationDetails")) for op in operations] == [
            ("data-1", "DetachDisk", "web-1"),
            ("web-1", "DetachDisk", "data-1"),
            ("web-1", "DeleteInstance", None),
        ]
        disk = _get(client)
        assert (disk["state"], disk["isAttached"]) == ("available", False)
        assert "attachedTo" not in disk
        client.delete_disk(diskName="data-1")


def test_disks_are_per_region(client: Client) -> None:
    _disk(client)
    assert shared_client(OTHER_REGION).get_disks()["disks"] == []
